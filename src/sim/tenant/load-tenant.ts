/**
 * A tenant from recorded Wiz JSON, so users can replay their own export. Recorded nodes are kept (made
 * whole with nulls for missing fields); the columns are derived from them, resources referenced by
 * issues and findings but missing from cloudResources.json are added from the reference, and
 * everything created later (mutations, activity) is generated from the seed as in a generated tenant.
 */
import { CLOUD_PLATFORMS, DETECTION_TYPES, FINDING_STATUSES, ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type Tenant, type WizRecord } from "./types.js";
import { DETECTION_ORIGINS } from "./catalogue.js";
import { CVE_CATALOGUE, severityOfScore, type CveEntry } from "./cve.catalogue.js";
import { detectionOriginIndex, writeDetectionRow } from "./detection.records.js";
import { createStores, emptyPicks, storeSizes, unboundRecords } from "./generate-tenant.js";
import { writeIssueRow } from "./issue.records.js";
import { readRecordedTenant } from "./recorded-json.js";
import {
  absentFields,
  accountFacts,
  clusterFacts,
  normaliseRecord,
  obj,
  projectFacts,
  records,
  resourceFactsFromRecord,
  resourceFromReference,
  str,
  time,
  userFacts,
} from "./recorded-records.js";
import { buildResourcePicks } from "./resource-picks.js";
import { builtinRules, type TenantRule } from "./rule.catalogue.js";
import { createTenant } from "./tenant-instance.js";
import { at, noChangedRows, wizTime, type CollectionName, type LoadedData, type ResourceFacts, type TenantModel } from "./tenant-model.js";
import { writeFindingRow } from "./vulnerability-finding.records.js";

export interface LoadTenantOptions {
  /** Simulator time at load; recorded records missing a required timestamp get it. */
  now: number;
  /** Seed for records created later (ids, activity). Default 1. */
  seed?: number;
}

const COLLECTIONS: readonly CollectionName[] = [
  "projects",
  "users",
  "cloudAccounts",
  "kubernetesClusters",
  "cloudResources",
  "versionControlResources",
  "issues",
  "detections",
  "vulnerabilityFindings",
  "configurationFindings",
  "auditLogEntries",
];

function indexById(list: readonly WizRecord[]): Map<string, number> {
  const map = new Map<string, number>();
  list.forEach((record, index) => {
    const id = String(record.id);
    if (!map.has(id)) map.set(id, index);
    const lower = id.toLowerCase();
    if (!map.has(lower)) map.set(lower, index);
  });
  return map;
}

function enumIndex(values: readonly string[], value: unknown, fallback: number): number {
  const at = typeof value === "string" ? values.indexOf(value.toUpperCase()) : -1;
  return at >= 0 ? at : fallback;
}

const firstId = (value: unknown): string | null => str(records(value)[0]?.id);

export function loadTenantFromJson(dir: string | Record<string, unknown[]>, options: LoadTenantOptions): Tenant {
  if (!Number.isFinite(options.now)) throw new RangeError(`loadTenantFromJson needs \`now\` as epoch milliseconds, got ${options.now}`);
  const seed = options.seed ?? 1;
  const now = at(options.now);
  const recorded = readRecordedTenant(dir);
  const lists = {} as Record<CollectionName, WizRecord[]>;
  const absent = {} as Record<CollectionName, ReadonlyArray<ReadonlySet<string>>>;
  for (const collection of COLLECTIONS) {
    const nodes = recorded.get(collection)?.nodes ?? [];
    absent[collection] = nodes.map((node) => absentFields(collection, node));
    lists[collection] = nodes.map((node, i) => normaliseRecord(collection, node, i, seed));
  }
  // Whether recorded node i of a collection carried a field (possibly null); records added from references carried nothing.
  const carried = (collection: CollectionName, i: number, field: string): boolean => absent[collection][i]?.has(field) === false;
  const finite = (ms: number, fallback: number): number => (Number.isNaN(ms) ? fallback : ms);
  const ids = {} as Record<CollectionName, Map<string, number>>;
  for (const collection of COLLECTIONS) ids[collection] = indexById(lists[collection]);
  const lookup = (collection: CollectionName, id: unknown): number => (typeof id === "string" ? (ids[collection].get(id) ?? ids[collection].get(id.toLowerCase()) ?? -1) : -1);

  // Accounts and resources referenced but not recorded are added from the reference, so every issue,
  // finding and detection points at a real resource of the tenant.
  const ensureAccount = (id: string | null, name: unknown, externalId: unknown, provider: unknown): number => {
    if (!id) return -1;
    const known = lookup("cloudAccounts", id);
    if (known >= 0) return known;
    const account = normaliseRecord("cloudAccounts", { id, name: name ?? id, externalId: externalId ?? id, cloudProvider: provider ?? null, status: "CONNECTED" }, lists.cloudAccounts.length, seed);
    lists.cloudAccounts.push(account);
    ids.cloudAccounts.set(id, lists.cloudAccounts.length - 1);
    return lists.cloudAccounts.length - 1;
  };
  const ensureResource = (reference: unknown): number => {
    const ref = obj(reference);
    const id = str(ref?.id);
    if (!ref || !id) return -1;
    const known = lookup("cloudResources", id);
    if (known >= 0) return known;
    lists.cloudResources.push(normaliseRecord("cloudResources", resourceFromReference(ref), lists.cloudResources.length, seed));
    ids.cloudResources.set(id, lists.cloudResources.length - 1);
    return lists.cloudResources.length - 1;
  };
  const issueResources = lists.issues.map((issue) => ensureResource(issue.entitySnapshot ?? issue.entity));
  const findingResources = lists.vulnerabilityFindings.map((finding) => ensureResource(finding.vulnerableAsset));
  const configurationResources = lists.configurationFindings.map((finding) => ensureResource(finding.resource));
  const detectionResources = lists.detections.map((detection) => ensureResource(detection.primaryResource ?? records(detection.resources)[0]));
  const resourceAccounts = lists.cloudResources.map((resource) => {
    const account = obj(resource.cloudAccount) ?? obj(resource.subscription);
    const id = str(resource.subscriptionId) ?? str(account?.id);
    return ensureAccount(id, resource.subscriptionName ?? account?.name, resource.subscriptionExternalId ?? account?.externalId, account?.cloudProvider ?? resource.cloudPlatform);
  });

  const stores = createStores({
    projects: lists.projects.length,
    cloudAccounts: lists.cloudAccounts.length,
    kubernetesClusters: lists.kubernetesClusters.length,
    cloudResources: lists.cloudResources.length,
    issues: lists.issues.length,
    vulnerabilityFindings: lists.vulnerabilityFindings.length,
    configurationFindings: lists.configurationFindings.length,
    detections: lists.detections.length,
    auditLogEntries: lists.auditLogEntries.length,
    versionControlResources: lists.versionControlResources.length,
    users: lists.users.length,
  });
  const rules = builtinRules();
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const ruleOf = (value: unknown, issueType: string, severity: string): number => {
    const rule = obj(value);
    const id = str(rule?.id);
    if (!rule || !id) return -1;
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    const typename = (str(rule.__typename) ?? "CloudEventRule") as TenantRule["__typename"];
    const ruleSeverity = str(rule.severity) ?? str(rule.ruleSeverity) ?? severity;
    rules.push({
      id,
      name: str(rule.name) ?? id,
      description: str(rule.description) ?? str(rule.controlDescription) ?? "",
      __typename: typename,
      severity: (SEVERITIES as readonly string[]).includes(ruleSeverity) ? (ruleSeverity as TenantRule["severity"]) : "MEDIUM",
      issueType: (ISSUE_TYPES as readonly string[]).includes(issueType) ? (issueType as TenantRule["issueType"]) : "THREAT_DETECTION",
      builtin: rule.builtin !== false,
      family: "ANY",
      subjectTypes: str(rule.subjectEntityType) ? [String(rule.subjectEntityType)] : [],
      techniques: [],
      risks: Array.isArray(rule.risks) ? rule.risks.filter((r): r is string => typeof r === "string") : [],
      remediation: str(rule.remediationInstructions) ?? str(rule.resolutionRecommendation) ?? "",
      shortId: str(rule.shortId) ?? undefined,
      cloudProvider: str(rule.cloudProvider) ?? undefined,
      serviceType: str(rule.serviceType) ?? undefined,
      origins: Array.isArray(rule.origins) ? rule.origins.filter((o): o is string => typeof o === "string") : undefined,
    });
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };

  const model: TenantModel = {
    seed,
    createdAt: now,
    names: { company: "recorded", domain: "example.com" },
    stores,
    baseCounts: storeSizes(stores),
    rules,
    resourceTypes: [],
    detectionOrigins: [...DETECTION_ORIGINS],
    cves: [...CVE_CATALOGUE],
    issueOverlays: new Map(),
    detectionOverlays: new Map(),
    loaded: undefined,
    picks: emptyPicks(),
    facts: { resource: () => missing("resource"), account: () => null, cluster: () => null, project: () => null, user: () => null },
    records: unboundRecords(),
    version: 1,
    issueCounts: undefined,
    accountStats: undefined,
    providerIdIndex: undefined,
    vulnerableAssets: new WeakMap(),
    changed: noChangedRows(),
  };
  const required = (ms: number): number => (Number.isNaN(ms) ? now : at(ms));

  // Simple collections.
  const projects = lists.projects.map((record, i) => projectFacts(record, i));
  const users = lists.users.map((record, i) => userFacts(record, i));
  const accounts = lists.cloudAccounts.map((record, i) => accountFacts(record, i, lookup("projects", firstId(record.linkedProjects))));
  const clusters = lists.kubernetesClusters.map((record, i) => clusterFacts(record, i, lookup("cloudAccounts", obj(record.cloudAccount)?.id), lookup("projects", firstId(record.projects))));
  lists.projects.forEach((record, i) => (stores.projects.cols.createdAt[i] = at(time(record.createdAt))));
  lists.users.forEach((record, i) => (stores.users.cols.createdAt[i] = at(time(record.createdAt))));
  lists.cloudAccounts.forEach((record, i) => (stores.cloudAccounts.cols.createdAt[i] = at(time(record.firstScannedAt))));
  lists.auditLogEntries.forEach((record, i) => {
    stores.auditLogEntries.cols.timestamp[i] = required(time(record.timestamp));
    record.timestamp = record.timestamp ?? new Date(now).toISOString();
  });

  // Cloud resources.
  const resources: ResourceFacts[] = [];
  const rc = stores.cloudResources.cols;
  lists.cloudResources.forEach((record, i) => {
    const entity = obj(record.graphEntity);
    const firstSeen = required(time(record.firstSeen ?? entity?.firstSeen ?? record.createdAt));
    const lastSeen = Math.max(firstSeen, required(time(record.lastSeen ?? entity?.lastSeen)));
    const deletedAt = at(time(record.deletedAt ?? entity?.deletedAt));
    const updatedAt = Math.max(firstSeen, at(time(record.updatedAt)) || firstSeen);
    const accountIndex = resourceAccounts[i] ?? -1;
    const project = lookup("projects", firstId(record.projects) ?? firstId(entity?.projects));
    const facts = resourceFactsFromRecord(record, {
      index: i,
      accountIndex,
      account: accounts[accountIndex] ?? null,
      projectIndexes: project >= 0 ? [project] : [],
      times: { firstSeen, lastSeen, updatedAt: Number.isNaN(updatedAt) ? firstSeen : updatedAt, deletedAt },
    });
    resources.push(facts);
    let type = model.resourceTypes.findIndex((t) => t.type === facts.type && t.nativeType === (facts.nativeType ?? ""));
    if (type < 0) {
      model.resourceTypes.push({ type: facts.type, nativeType: facts.nativeType ?? "" });
      type = model.resourceTypes.length - 1;
    }
    const cluster = clusters.findIndex((c) => c.id === facts.kubernetesClusterId || c.externalId === facts.kubernetesClusterId);
    const platform = CLOUD_PLATFORMS.indexOf((facts.cloudPlatform ?? "") as (typeof CLOUD_PLATFORMS)[number]);
    rc.type[i] = Math.min(type, 0xffff);
    rc.platform[i] = platform >= 0 ? platform : 255;
    rc.account[i] = accountIndex;
    rc.project[i] = project;
    rc.cluster[i] = cluster;
    rc.firstSeen[i] = firstSeen;
    rc.lastSeen[i] = lastSeen;
    rc.updatedAt[i] = facts.updatedAt;
    rc.deletedAt[i] = deletedAt;
    // Fill the served fields the recorded node left out, from what was read.
    record.name ??= facts.name;
    record.type ??= facts.type;
    record.nativeType ??= facts.nativeType;
    record.cloudPlatform ??= facts.cloudPlatform;
    record.providerUniqueId ??= facts.providerUniqueId;
    record.externalId ??= facts.externalId;
    record.region ??= facts.region;
    record.status ??= facts.status;
    record.subscriptionId ??= facts.subscriptionId;
    record.subscriptionExternalId ??= facts.subscriptionExternalId;
    record.subscriptionName ??= facts.subscriptionName;
    record.firstSeen ??= wizTime(firstSeen);
    record.lastSeen ??= wizTime(lastSeen);
    record.createdAt ??= record.firstSeen;
    record.updatedAt ??= wizTime(facts.updatedAt);
    record.isAvailableOnGraph ??= Number.isNaN(deletedAt);
    if (record.cloudAccount === null && accountIndex >= 0) record.cloudAccount = structuredClone(lists.cloudAccounts[accountIndex]) ?? null;
    record.graphEntity ??= { id: facts.id, name: facts.name, type: facts.type, providerUniqueId: facts.providerUniqueId, properties: {}, deletedAt: null, firstSeen: record.firstSeen, lastSeen: record.lastSeen, projects: [], userMetadata: null, technologies: [] };
  });
  lists.kubernetesClusters.forEach((_, c) => {
    const mirror = resources.find((f) => f.kubernetesClusterId === clusters[c]?.id && f.type === "KUBERNETES_CLUSTER");
    stores.kubernetesClusters.cols.createdAt[c] = mirror ? mirror.firstSeen : Number.NaN;
  });
  lists.versionControlResources.forEach((record, v) => {
    const mirror = lookup("cloudResources", record.id);
    stores.versionControlResources.cols.createdAt[v] = mirror >= 0 ? (rc.firstSeen[mirror] ?? Number.NaN) : Number.NaN;
  });

  // Issues.
  const noteOwners = new Map<string, number>();
  lists.issues.forEach((record, i) => {
    const type = enumIndex(ISSUE_TYPES, record.type, 1);
    const status = enumIndex(ISSUE_STATUSES, record.status, 0);
    const severity = enumIndex(SEVERITIES, record.severity, 2);
    const resource = issueResources[i] ?? -1;
    // Recorded times are taken as they are (never clamped); only missing ones are derived, for ordering and filters.
    const createdAt = required(time(record.createdAt));
    const statusChangedAt = finite(at(time(record.statusChangedAt)), createdAt);
    const updatedAt = finite(at(time(record.updatedAt)), Math.max(createdAt, statusChangedAt));
    const recordedResolvedAt = at(time(record.resolvedAt));
    const project = lookup("projects", firstId(record.projects));
    writeIssueRow(model, i, {
      type,
      status,
      severity,
      resource,
      rule: ruleOf(record.sourceRule ?? records(record.sourceRules)[0], ISSUE_TYPES[type] ?? "THREAT_DETECTION", SEVERITIES[severity] ?? "MEDIUM"),
      project: project >= 0 ? project : resource >= 0 ? (rc.project[resource] ?? -1) : -1,
      createdAt,
      statusChangedAt,
      updatedAt,
      resolvedAt: status === 2 && !carried("issues", i, "resolvedAt") ? statusChangedAt : recordedResolvedAt,
      dueAt: at(time(record.dueAt)),
    });
    for (const note of records(record.notes)) if (typeof note.id === "string") noteOwners.set(note.id, i);
  });

  // Detections, linked to their issues.
  lists.detections.forEach((record, d) => {
    const issue = lookup("issues", obj(record.issue)?.id);
    const resource = detectionResources[d] ?? -1;
    const createdAt = required(time(record.createdAt));
    const severity = enumIndex(SEVERITIES, record.severity, 2);
    const origins = Array.isArray(record.origins) ? record.origins : [];
    writeDetectionRow(model, d, {
      type: enumIndex(DETECTION_TYPES, record.type, 0),
      issue,
      resource,
      project: issue >= 0 ? (stores.issues.cols.project[issue] ?? -1) : resource >= 0 ? (rc.project[resource] ?? -1) : -1,
      rule: ruleOf(obj(record.ruleMatch)?.rule, "THREAT_DETECTION", SEVERITIES[severity] ?? "MEDIUM"),
      origin: detectionOriginIndex(model, typeof origins[0] === "string" ? origins[0] : "WIZ_THREAT_DETECTION"),
      severity,
      createdAt,
      startedAt: at(time(record.startedAt)) || createdAt,
      updatedAt: Math.max(createdAt, required(time(record.updatedAt ?? record.createdAt))),
    });
  });

  // Vulnerability findings; CVEs the catalogue lacks are added from the recorded fields.
  const cveIndex = new Map(model.cves.map((cve, index) => [cve.id, index]));
  lists.vulnerabilityFindings.forEach((record, f) => {
    const name = str(record.vulnerabilityExternalId) ?? str(record.name) ?? "UNKNOWN";
    let cve = cveIndex.get(name);
    if (cve === undefined) {
      model.cves.push(recordedCve(name, record));
      cve = model.cves.length - 1;
      cveIndex.set(name, cve);
    }
    const firstDetectedAt = required(time(record.firstDetectedAt));
    const lastDetectedAt = finite(at(time(record.lastDetectedAt)), firstDetectedAt);
    const status = enumIndex(FINDING_STATUSES, record.status, 0);
    const resolvedAt = at(time(record.resolvedAt));
    const resource = findingResources[f] ?? -1;
    // A finding without updatedAt is ordered and filtered by its latest detection or resolution; it is not served one.
    const updatedAt = finite(at(time(record.updatedAt)), Math.max(lastDetectedAt, finite(resolvedAt, lastDetectedAt)));
    writeFindingRow(model, f, { resource: Math.max(resource, 0), cve, status, firstDetectedAt, lastDetectedAt, resolvedAt, updatedAt });
    const fc = stores.vulnerabilityFindings.cols;
    fc.resource[f] = resource;
    const project = lookup("projects", firstId(record.projects));
    if (project >= 0) fc.project[f] = project;
    fc.severity[f] = enumIndex(SEVERITIES, record.vendorSeverity ?? record.CVSSSeverity ?? record.severity, fc.severity[f] ?? 2);
    fc.hasExploit[f] = record.hasExploit === true ? 1 : 0;
    fc.hasFix[f] = str(record.fixedVersion) ? 1 : 0;
  });

  // Configuration findings.
  lists.configurationFindings.forEach((record, k) => {
    const cols = stores.configurationFindings.cols;
    const resource = configurationResources[k] ?? -1;
    const severity = enumIndex(SEVERITIES, record.severity, 2);
    cols.resource[k] = resource;
    cols.project[k] = resource >= 0 ? (rc.project[resource] ?? -1) : -1;
    cols.rule[k] = ruleOf(record.rule ? { __typename: "CloudConfigurationRule", ...obj(record.rule) } : null, "CLOUD_CONFIGURATION", SEVERITIES[severity] ?? "MEDIUM");
    cols.severity[k] = severity;
    // Only a recorded RESOLVED is resolved: a finding without status (or with result PASS) is not invented a resolution.
    cols.status[k] = str(record.status) === "RESOLVED" ? 1 : 0;
    cols.updatedAt[k] = required(time(record.updatedAt ?? record.analyzedAt));
    cols.analyzedAt[k] = finite(at(time(record.analyzedAt)), cols.updatedAt[k] ?? now);
  });

  const loaded: LoadedData = { records: lists, ids, noteOwners, absent, resources, accounts, clusters, projects, users };
  const data: TenantModel = { ...model, loaded, baseCounts: storeSizes(stores) };
  data.facts = {
    resource: (i) => resources[i] ?? missing(`resource ${i}`),
    account: (i) => accounts[i] ?? null,
    cluster: (i) => clusters[i] ?? null,
    project: (i) => projects[i] ?? null,
    user: (i) => users[i] ?? null,
  };
  data.picks = buildResourcePicks(rc, stores.cloudResources.size(), data.resourceTypes, data.rules);
  return createTenant(data);
}

function missing(what: string): never {
  throw new RangeError(`recorded tenant has no ${what}`);
}

function recordedCve(id: string, record: WizRecord): CveEntry {
  const score = typeof record.score === "number" ? record.score : 5;
  return {
    id,
    packageName: str(record.detailedName) ?? "unknown",
    ecosystem: "os",
    version: str(record.version) ?? "",
    fixedVersion: str(record.fixedVersion),
    score,
    exploitabilityScore: typeof record.exploitabilityScore === "number" ? record.exploitabilityScore : 0,
    impactScore: typeof record.impactScore === "number" ? record.impactScore : 0,
    severity: (SEVERITIES as readonly string[]).includes(String(record.CVSSSeverity)) ? (record.CVSSSeverity as CveEntry["severity"]) : severityOfScore(score),
    hasExploit: record.hasExploit === true,
    hasCisaKevExploit: record.hasCisaKevExploit === true,
    epssProbability: typeof record.epssProbability === "number" ? record.epssProbability : 0,
    description: str(record.CVEDescription) ?? "",
  };
}
