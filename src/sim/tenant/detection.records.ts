/**
 * Detections (Wiz Defend). Every THREAT_DETECTION issue gets a main detection created just before it,
 * some get more while open; the rest are MATCH_ONLY detections without an issue. A detection carries
 * its triggering CloudEvents, with a runtime process tree for sensor origins.
 */
import { FIRST_NAMES, LAST_NAMES, USER_AGENTS } from "./catalogue.js";
import { THREAT } from "./issue.records.js";
import { derivedNestedId, recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { eventRulesFor, ruleFamilyOf } from "./resource-picks.js";
import { detectionResource, graphEntityStub } from "./resource-shapes.js";
import { cloudEventRuleRecord } from "./rule-shapes.js";
import type { TenantRule } from "./rule.catalogue.js";
import { fieldUnit, recordRandom, rowKey, streamKey, type SeededRandom } from "./seeded-random.js";
import { at, between, HISTORY, MINUTE, wizTime, type ResourceFacts, type TenantModel } from "./tenant-model.js";
import { CLOUD_PLATFORMS, DETECTION_TYPES, ISSUE_STATUSES, SEVERITIES, type Millis, type WizRecord } from "./types.js";

export const GENERATED_THREAT = 0;
export const MATCH_ONLY = 1;

export interface DetectionRow {
  type: number;
  issue: number;
  resource: number;
  project: number;
  rule: number;
  origin: number;
  severity: number;
  createdAt: Millis;
  startedAt: Millis;
  updatedAt: Millis;
}

/** Index of an origin in the tenant's origin list, appending unknown ones (loaded and uploaded origins). */
export function detectionOriginIndex(model: TenantModel, origin: string): number {
  const found = model.detectionOrigins.indexOf(origin);
  if (found >= 0) return found;
  if (model.detectionOrigins.length >= 255) return 0;
  model.detectionOrigins.push(origin);
  return model.detectionOrigins.length - 1;
}

/** A Cloud Event Rule for a detection on a resource (the issue's own rule when it is one). */
export function detectionRuleFor(model: TenantModel, resource: number, issueRule: number, u: number, v: number): number {
  if (model.rules[issueRule]?.__typename === "CloudEventRule") return issueRule;
  const res = model.stores.cloudResources.cols;
  const type = model.resourceTypes[res.type[resource] ?? 0]?.type ?? "";
  const platform = CLOUD_PLATFORMS[res.platform[resource] ?? 255] ?? model.facts.resource(resource).cloudPlatform;
  const rules = eventRulesFor(model.picks, ruleFamilyOf(platform, type), type, v < 0.5);
  return rules.length > 0 ? (rules[Math.floor(u * rules.length)] ?? issueRule) : issueRule;
}

function originOfRule(model: TenantModel, rule: TenantRule | undefined): number {
  return detectionOriginIndex(model, rule?.origins?.[0] ?? "WIZ_THREAT_DETECTION");
}

export function writeDetectionRow(model: TenantModel, index: number, row: DetectionRow): void {
  const cols = model.stores.detections.cols;
  cols.type[index] = row.type;
  cols.issue[index] = row.issue;
  cols.resource[index] = row.resource;
  cols.project[index] = row.project;
  cols.rule[index] = row.rule;
  cols.origin[index] = row.origin;
  cols.severity[index] = row.severity;
  cols.createdAt[index] = row.createdAt;
  cols.startedAt[index] = row.startedAt;
  cols.updatedAt[index] = row.updatedAt;
  if (row.issue >= 0) {
    const head = model.stores.issueLinks.cols.firstDetection;
    model.stores.detectionLinks.cols.nextDetection[index] = head[row.issue] ?? -1;
    head[row.issue] = index;
  }
}

/** Appends a detection (growing the columns), links it to its issue and returns its index. */
export function appendDetection(model: TenantModel, row: DetectionRow): number {
  const index = model.stores.detections.append();
  model.stores.detectionLinks.append();
  writeDetectionRow(model, index, row);
  return index;
}

/** A detection of an issue: `main` ones come just before the issue, later ones while it was being updated. */
export function issueDetectionRow(model: TenantModel, issue: number, main: boolean, next: () => number): DetectionRow {
  const icols = model.stores.issues.cols;
  const resource = icols.resource[issue] ?? 0;
  const rule = detectionRuleFor(model, resource, icols.rule[issue] ?? -1, next(), next());
  const issueCreated = icols.createdAt[issue] ?? model.createdAt;
  const createdAt = main ? at(issueCreated - (10_000 + next() * 170_000)) : between(issueCreated, icols.updatedAt[issue] ?? issueCreated, next());
  const startedAt = at(createdAt - MINUTE * (1 + next() * (main ? 29 : 9)));
  const severity = Math.max(0, (icols.severity[issue] ?? 2) - (!main && next() < 0.3 ? 1 : 0));
  return {
    type: GENERATED_THREAT,
    issue,
    resource,
    project: icols.project[issue] ?? -1,
    rule,
    origin: originOfRule(model, model.rules[rule]),
    severity,
    createdAt,
    startedAt,
    updatedAt: createdAt,
  };
}

/** A MATCH_ONLY detection (no issue) on a resource some Cloud Event Rule applies to; undefined if none. */
export function matchOnlyDetectionRow(model: TenantModel, createdAt: Millis, next: () => number): DetectionRow | undefined {
  const rules = model.picks.eventRules;
  if (rules.length === 0) return undefined;
  const rule = rules[Math.floor(next() * rules.length)] ?? 0;
  const resources = model.picks.byRule[rule];
  if (!resources || resources.length === 0) return undefined;
  const resource = resources[Math.floor(next() * resources.length)] ?? 0;
  const base = SEVERITIES.indexOf(model.rules[rule]?.severity ?? "LOW");
  return {
    type: MATCH_ONLY,
    issue: -1,
    resource,
    project: model.stores.cloudResources.cols.project[resource] ?? -1,
    rule,
    origin: originOfRule(model, model.rules[rule]),
    severity: Math.max(0, base - (next() < 0.5 ? 1 : 0)),
    createdAt,
    startedAt: at(createdAt - MINUTE * (1 + next() * 20)),
    updatedAt: createdAt,
  };
}

/** Generates the detection columns of a new tenant (after the issues). */
export function fillDetectionColumns(model: TenantModel): void {
  const size = model.stores.detections.size();
  const icols = model.stores.issues.cols;
  const threats: number[] = [];
  for (let i = 0; i < model.stores.issues.size(); i += 1) if (icols.type[i] === THREAT) threats.push(i);
  const mains = Math.min(threats.length, size);
  const stream = streamKey(model.seed, KIND.detection);
  for (let d = 0; d < size; d += 1) {
    const row = rowKey(stream, d);
    let field = 2;
    const next = (): number => fieldUnit(row, field++);
    let detection: DetectionRow | undefined;
    if (d < mains) detection = issueDetectionRow(model, threats[d] ?? 0, true, next);
    else if (threats.length > 0 && fieldUnit(row, 0) < 0.5) detection = issueDetectionRow(model, threats[Math.floor(fieldUnit(row, 1) * threats.length)] ?? 0, false, next);
    else detection = matchOnlyDetectionRow(model, at(model.createdAt - HISTORY * fieldUnit(row, 1)), next);
    if (!detection) throw new RangeError("cannot generate detections: no cloud resource matches a threat rule; raise counts.cloudResources");
    writeDetectionRow(model, d, detection);
  }
}

const IP_ORIGINS = [
  { country: "United States", countryCode: "US", city: "Ashburn", asn: 14618, org: "AMAZON-AES" },
  { country: "Germany", countryCode: "DE", city: "Frankfurt am Main", asn: 24940, org: "Hetzner Online GmbH" },
  { country: "Netherlands", countryCode: "NL", city: "Amsterdam", asn: 14061, org: "DIGITALOCEAN-ASN" },
  { country: "Russia", countryCode: "RU", city: "Moscow", asn: 197695, org: "REG.RU Ltd" },
  { country: "China", countryCode: "CN", city: "Beijing", asn: 4134, org: "CHINANET-BACKBONE" },
  { country: "Brazil", countryCode: "BR", city: "Sao Paulo", asn: 28573, org: "Claro NXT Telecomunicacoes Ltda" },
  { country: "Singapore", countryCode: "SG", city: "Singapore", asn: 16509, org: "AMAZON-02" },
] as const;

interface Actor {
  record: WizRecord;
  userAgent: string | null;
  ip: string;
  meta: WizRecord;
  foreign: boolean;
}

function actorFor(model: TenantModel, rng: SeededRandom, index: number, facts: ResourceFacts, origin: string, runtime: boolean): Actor {
  const first = rng.pick(FIRST_NAMES).toLowerCase();
  const last = rng.pick(LAST_NAMES).toLowerCase();
  const account = facts.accountIndex >= 0 && facts.accountIndex < model.stores.cloudAccounts.size() ? model.records.cloudAccount(facts.accountIndex) : null;
  const externalAccount = facts.subscriptionExternalId ?? "";
  const malicious = rng.chance(0.25);
  const where = malicious ? rng.pick(IP_ORIGINS.slice(3)) : rng.pick(IP_ORIGINS.slice(0, 3));
  const ip = rng.ipv4(true);
  let name: string;
  let type = "USER_ACCOUNT";
  let nativeType: string;
  let providerUniqueId: string;
  let email: string | null = null;
  let accessKeyId: string | null = null;
  if (runtime || origin.startsWith("WIZ_KUBERNETES") || origin === "WIZ_ADMISSION_CONTROLLER" || origin === "WIN_FALCO") {
    const ns = facts.kubernetesNamespace?.name;
    name = ns ? `system:serviceaccount:${ns}:default` : "root";
    type = ns ? "SERVICE_ACCOUNT" : "LOCAL_USER";
    nativeType = ns ? "ServiceAccount" : "LocalUser";
    providerUniqueId = ns ? rng.uuid() : `${facts.providerUniqueId ?? facts.id}/users/root`;
  } else if (origin.startsWith("AWS")) {
    const role = rng.chance(0.4);
    name = role ? `${first}.${last}@${model.names.domain}` : `${first}.${last}`;
    nativeType = role ? "sts#assumedrole" : "iam#user";
    providerUniqueId = role ? `arn:aws:sts::${externalAccount}:assumed-role/AWSReservedSSO_AdministratorAccess_${rng.hex(16)}/${name}` : `arn:aws:iam::${externalAccount}:user/${name}`;
    accessKeyId = `${role ? "ASIA" : "AKIA"}${rng.chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
    email = role ? name : null;
  } else if (origin.startsWith("AZURE")) {
    name = `${first}.${last}@${model.names.company}.onmicrosoft.com`;
    nativeType = "Microsoft Entra ID User";
    providerUniqueId = rng.uuid();
    email = name;
  } else if (origin.startsWith("GCP") || origin.startsWith("GOOGLE")) {
    const serviceAccount = rng.chance(0.4);
    name = serviceAccount ? `deployer@${externalAccount}.iam.gserviceaccount.com` : `${first}.${last}@${model.names.domain}`;
    type = serviceAccount ? "SERVICE_ACCOUNT" : "USER_ACCOUNT";
    nativeType = serviceAccount ? "iam#serviceAccount" : "user";
    providerUniqueId = name;
    email = name;
  } else if (origin === "OCI_AUDIT_LOGS") {
    name = `${first}.${last}@${model.names.domain}`;
    nativeType = "identity#user";
    providerUniqueId = `ocid1.user.oc1..aaaaaaaa${rng.chars(52, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    email = name;
  } else {
    name = `${first}-${last}`;
    nativeType = origin === "GITHUB_AUDIT_LOGS" ? "github#user" : "user";
    providerUniqueId = name;
  }
  const record: WizRecord = {
    id: recordId(model.seed, KIND.actor, index),
    externalId: providerUniqueId,
    name,
    type,
    nativeType,
    providerUniqueId,
    email,
    userAgent: runtime ? null : rng.pick(USER_AGENTS),
    MFA: type === "USER_ACCOUNT" ? rng.chance(0.6) : null,
    federated: nativeType === "sts#assumedrole",
    friendlyName: name,
    accessKeyId,
    hasHighPrivileges: rng.chance(0.4),
    hasAdminPrivileges: rng.chance(0.15),
    hasHighKubernetesPrivileges: type === "SERVICE_ACCOUNT" && rng.chance(0.3),
    hasAdminKubernetesPrivileges: type === "SERVICE_ACCOUNT" && rng.chance(0.1),
    inactiveInLast90Days: rng.chance(0.05),
    isExternalCloudAccount: malicious && rng.chance(0.3),
    actingAs: null,
    cloudAccount: account,
    graphEntity: graphEntityStub(recordId(model.seed, KIND.actor, index, 1), name, type, providerUniqueId),
  };
  return {
    record,
    userAgent: record.userAgent as string | null,
    ip,
    foreign: where.countryCode !== "US",
    meta: {
      country: where.country,
      countryCode: where.countryCode,
      city: where.city,
      autonomousSystemNumber: where.asn,
      autonomousSystemOrganization: where.org,
      reputation: malicious ? "Malicious" : "Benign",
      reputationDescription: malicious ? "Known scanner and TOR exit node" : "No malicious activity detected",
      reputationSource: "Recorded Future",
      relatedAttackGroupNames: malicious && rng.chance(0.3) ? ["TeamTNT"] : [],
      customIPRanges: [],
    },
  };
}

function eventConsoleUrl(facts: ResourceFacts, origin: string, eventId: string): string | null {
  if (origin.startsWith("AWS")) return `https://console.aws.amazon.com/cloudtrail/home?region=${facts.region ?? "us-east-1"}#/events/${eventId}`;
  if (origin.startsWith("AZURE")) return "https://portal.azure.com/#view/Microsoft_Azure_ActivityLog/ActivityLogBlade";
  if (origin.startsWith("GCP")) return `https://console.cloud.google.com/logs/query?project=${facts.subscriptionExternalId ?? ""}`;
  return null;
}

/** The runtime container of a process: its image, pod, controller and cluster, as the sensor reports them. */
function runtimeContainer(model: TenantModel, facts: ResourceFacts): WizRecord | null {
  if (facts.type !== "CONTAINER" && facts.type !== "POD") return null;
  const resource = detectionResource(model, facts);
  const imageId = facts.imageId ?? recordId(model.seed, KIND.containerImage, facts.index);
  const ns = facts.kubernetesNamespace;
  const controller = resource.kubernetesController as WizRecord | null;
  const podName = facts.podName ?? facts.name;
  return {
    id: facts.id,
    externalId: facts.providerUniqueId,
    name: facts.name,
    image: { id: imageId, externalId: facts.imageExternalId },
    imageGraphEntity: graphEntityStub(imageId, facts.imageExternalId, "CONTAINER_IMAGE", facts.imageExternalId),
    pod: ns ? { id: derivedNestedId(facts.id, "pod", 0), name: podName, externalId: `${ns.providerUniqueId}/pods/${podName}`, ips: facts.ipAddresses.slice(0, 1), namespace: ns.name, namespaceGraphEntity: resource.kubernetesNamespaceGraphEntity } : null,
    podGraphEntity: ns ? graphEntityStub(derivedNestedId(facts.id, "pod", 0), podName, "POD", `${ns.providerUniqueId}/pods/${podName}`) : null,
    kubernetesController: controller ? { id: controller.id, name: controller.name, externalId: controller.providerUniqueId, type: "Deployment" } : null,
    kubernetesControllerGraphEntity: controller,
    kubernetesCluster: facts.kubernetesClusterId ? { id: facts.kubernetesClusterId, name: facts.kubernetesClusterName, externalId: facts.kubernetesClusterId } : null,
    kubernetesClusterGraphEntity: resource.kubernetesClusterGraphEntity,
    serviceAccount: ns ? "default" : null,
    ecsContainerDetails: null,
  };
}

function processTree(model: TenantModel, rng: SeededRandom, facts: ResourceFacts, command: string, when: Millis): WizRecord[] {
  const container = runtimeContainer(model, facts);
  const program = command.split(/\s+/)[0] ?? "sh";
  const chain = [
    { name: "containerd-shim", command: "/usr/bin/containerd-shim-runc-v2 -namespace k8s.io", path: "/usr/bin/containerd-shim-runc-v2" },
    { name: "bash", command: "/bin/bash", path: "/bin/bash" },
    { name: program.slice(program.lastIndexOf("/") + 1), command, path: program.startsWith("/") ? program : `/usr/bin/${program}` },
  ];
  // Innermost process first; each parent started some seconds before its child.
  let started = when;
  return chain.reverse().map((p, depth) => ({
    id: String(rng.between(100, 65000)),
    name: p.name,
    command: p.command,
    path: p.path,
    hash: rng.hex(40),
    size: rng.between(20_000, 2_000_000),
    executionTime: wizTime((started = depth === 0 ? when : at(started - 1000 * rng.between(1, 600)))),
    runtimeProgramId: recordId(model.seed, KIND.cloudEvent, facts.index, 1000 + depth),
    userId: "0",
    userName: "root",
    stdin: null,
    stdout: null,
    container,
    // Wiz only reports a response when a policy acted; detections here are alerts, never blocks.
    wizResponse: null,
    enforcementResult: null,
    containerGraphEntity: container ? graphEntityStub(facts.id, facts.name, "CONTAINER", facts.providerUniqueId) : null,
  }));
}

/** Runtime details of a sensor event: the process tree plus the sensor, host and event context. */
function runtimeDetails(model: TenantModel, rng: SeededRandom, facts: ResourceFacts, command: string, when: Millis): WizRecord {
  const node = facts.nodeName ?? facts.name;
  const hostId = derivedNestedId(facts.id, "host", 0);
  const clusterStub = facts.kubernetesClusterId ? { id: facts.kubernetesClusterId, name: facts.kubernetesClusterName, type: "KUBERNETES" } : null;
  return {
    __typename: "CloudEventRuntimeDetails",
    processTree: processTree(model, rng, facts, command, when),
    rawDetails: null,
    runtimeExecutionDataId: rng.uuid(),
    type: "PROCESS_START",
    context: { __typename: "CloudEventRuntimeTypeProcessStartContext", commandLine: command },
    sensor: {
      id: derivedNestedId(hostId, "sensor", 0),
      name: `wiz-sensor-${node}`,
      type: clusterStub ? "KUBERNETES" : "HOST",
      status: "CONNECTED",
      sensorVersion: "1.0.5820",
      definitionsVersion: "1.0.1390",
      ipAddress: facts.ipAddresses[0] ?? null,
      firstSeenAt: wizTime(at(when - 30 * 86_400_000)),
      lastSeenAt: wizTime(when),
      workload: clusterStub ? { id: derivedNestedId(hostId, "workload", 0), name: "wiz-sensor", sensorName: `wiz-sensor-${node}` } : null,
      cluster: clusterStub,
    },
    host: { id: hostId, externalId: facts.vmExternalId ?? facts.providerUniqueId, type: "VIRTUAL_MACHINE", hostname: node, kernelVersion: "6.1.0-1025-aws", computeInstanceGroupGraphEntity: null },
    hostGraphEntity: graphEntityStub(hostId, node, "VIRTUAL_MACHINE", facts.vmExternalId ?? null),
  };
}

/** Why the sensor raised the event: the sensor engine rule that matched, with its MITRE mapping. */
function sensorTrigger(model: TenantModel, rule: TenantRule | undefined, index: number): WizRecord {
  return {
    __typename: "CloudEventSensorRulesMatch",
    sensorEngineRules: rule
      ? [{ rule: { id: recordId(model.seed, KIND.builtinRule, index, 7), name: rule.name, description: rule.description, MITRETactics: [], MITRETechniques: [...rule.techniques] }, version: "1" }]
      : [],
    fileReputationHashMatch: null,
    connectivityReputation: null,
    dnsQueryReputation: null,
  };
}

function rawAuditRecord(facts: ResourceFacts, rule: TenantRule | undefined, actor: Actor, eventId: string, when: Millis, origin: string): WizRecord {
  if (origin.startsWith("AWS")) {
    return {
      eventVersion: "1.09",
      eventTime: new Date(Math.floor(when)).toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: rule?.eventSource ?? "ec2.amazonaws.com",
      eventName: rule?.eventName ?? "UnknownEvent",
      awsRegion: facts.region,
      sourceIPAddress: actor.ip,
      userAgent: actor.userAgent,
      userIdentity: { type: actor.record.nativeType === "sts#assumedrole" ? "AssumedRole" : "IAMUser", arn: actor.record.providerUniqueId, accountId: facts.subscriptionExternalId, accessKeyId: actor.record.accessKeyId },
      requestParameters: { resource: facts.providerUniqueId },
      eventID: eventId,
      recipientAccountId: facts.subscriptionExternalId,
    };
  }
  return { id: eventId, operationName: rule?.eventName ?? rule?.name ?? "event", caller: actor.record.name, callerIpAddress: actor.ip, resourceId: facts.providerUniqueId, time: wizTime(when) };
}

function descriptionOf(rule: TenantRule | undefined, facts: ResourceFacts, actor: Actor, command: string | null, origin: string): string {
  const title = rule?.name ?? "Suspicious activity";
  const lines = [`Wiz detected **${title}** on ${facts.type.toLowerCase().replace(/_/g, " ")} \`${facts.name}\`.`, ""];
  if (command) lines.push(`The process \`${command}\` was executed by \`${actor.record.name as string}\`.`, "");
  else lines.push(`Actor \`${actor.record.name as string}\` performed the action from ${actor.ip} (${String(actor.meta.country)}).`, "");
  lines.push(`- **Origin:** ${origin}`, `- **Resource:** ${facts.providerUniqueId ?? facts.id}`);
  if (rule?.techniques.length) lines.push(`- **MITRE ATT&CK:** ${rule.techniques.join(", ")}`);
  return lines.join("\n");
}

const DETECTION_STATUS_OF_ISSUE: Readonly<Record<string, string>> = { OPEN: "OPEN", IN_PROGRESS: "IN_PROGRESS", RESOLVED: "CLOSED", REJECTED: "REJECTED" };

/** The detection node, generated from the seed and the detection's columns (plus the overlay of uploaded events). */
export function generateDetectionRecord(model: TenantModel, index: number, nested: boolean): WizRecord {
  const cols = model.stores.detections.cols;
  const rng = recordRandom(model.seed, KIND.detection, index);
  const rule = model.rules[cols.rule[index] ?? -1];
  const origin = model.detectionOrigins[cols.origin[index] ?? 0] ?? "WIZ_THREAT_DETECTION";
  const facts = model.facts.resource(cols.resource[index] ?? 0);
  const issue = cols.issue[index] ?? -1;
  const overlay = model.detectionOverlays.get(index);
  const details = overlay?.details ?? null;
  const runtime = origin === "WIZ_SENSOR" || origin === "WIN_FALCO" || origin === "WIZ_FILE_INTEGRITY_MONITORING";
  const actor = actorFor(model, rng, index, facts, origin, runtime);
  if (details && typeof details.ipAddress === "string") actor.ip = details.ipAddress;
  const command = typeof details?.commandLine === "string" ? details.commandLine : runtime ? rule?.commandLine || "sh -c id" : null;
  const createdAt = cols.createdAt[index] ?? Number.NaN;
  const startedAt = cols.startedAt[index] ?? createdAt;
  const resource = detectionResource(model, facts);
  const eventCount = details ? 1 : rng.between(1, 3);
  const events: WizRecord[] = [];
  for (let k = 0; k < eventCount; k += 1) {
    const when = between(startedAt, createdAt, eventCount === 1 ? 1 : k / (eventCount - 1));
    const eventId = recordId(model.seed, KIND.cloudEvent, index, k + 1);
    const externalId = runtime ? `${rule?.eventName ?? "event"}##${facts.name}-SensorRuleEngine##sen-id-${rng.between(1, 400)}-${rng.uuid()}` : rng.uuid();
    const program = command?.split(/\s+/)[0] ?? null;
    events.push({
      __typename: "CloudEvent",
      id: eventId,
      externalId,
      externalName: rule?.eventName ?? rule?.name ?? null,
      name: details ? (rule?.name ?? null) : (rule?.eventName ?? rule?.name ?? null),
      description: details ? (overlay?.description ?? null) : runtime ? `The program ${program ?? "sh"} was executed on ${facts.type === "CONTAINER" ? "container" : "resource"} ${facts.name}` : `${rule?.eventName ?? "Event"} by ${String(actor.record.name)}`,
      origin,
      cloudProviderUrl: eventConsoleUrl(facts, origin, externalId),
      cloudPlatform: facts.cloudPlatform,
      timestamp: wizTime(when),
      source: rule?.eventSource ?? (details ? "WizCustomIntegration" : null),
      category: runtime ? "Detection" : "Management",
      kind: null,
      path: typeof details?.path === "string" ? details.path : null,
      status: "Success",
      errorCode: null,
      errorMessage: null,
      isForeignActorIP: actor.foreign,
      actor: { id: actor.record.id, externalId: actor.record.externalId, name: actor.record.name, type: actor.record.type, nativeType: actor.record.nativeType, providerUniqueId: actor.record.providerUniqueId, actingAs: null },
      actorIP: actor.ip,
      actorIPMeta: structuredClone(actor.meta),
      subjectResource: detectionResource(model, facts),
      resources: [detectionResource(model, facts)],
      rawAuditLogRecord: details ? structuredClone(details) : runtime ? null : rawAuditRecord(facts, rule, actor, externalId, when, origin),
      commandLine: command,
      runtimeProgram: runtime && program ? { id: recordId(model.seed, KIND.cloudEvent, index, 500 + k), name: program.slice(program.lastIndexOf("/") + 1) } : null,
      parentRuntimeProgram: runtime ? { id: recordId(model.seed, KIND.cloudEvent, index, 600 + k), name: "bash" } : null,
      matchedRules: rule ? [{ rule: cloudEventRuleRecord(rule) }] : [],
      extraDetails: runtime && command ? runtimeDetails(model, rng, facts, command, when) : null,
      // Status is always Success here, so no provider error details.
      statusDetails: null,
      trigger: runtime && command ? sensorTrigger(model, rule, index) : null,
    });
  }
  const issueStatus = issue >= 0 ? ISSUE_STATUSES[model.stores.issues.cols.status[issue] ?? 0] : undefined;
  const accounts = resource.cloudAccount ? [structuredClone(resource.cloudAccount) as WizRecord] : [];
  return {
    id: recordId(model.seed, KIND.detection, index),
    type: DETECTION_TYPES[cols.type[index] ?? 0],
    status: issueStatus ? (DETECTION_STATUS_OF_ISSUE[issueStatus] ?? null) : null,
    origins: [origin],
    severity: SEVERITIES[cols.severity[index] ?? 0],
    description: overlay?.description ?? descriptionOf(rule, facts, actor, command, origin),
    createdAt: wizTime(createdAt),
    updatedAt: wizTime(cols.updatedAt[index] ?? createdAt),
    startedAt: wizTime(startedAt),
    endedAt: wizTime(createdAt),
    issue: nested || issue < 0 ? null : model.records.issue(issue, true),
    ruleMatch: rule ? { rule: cloudEventRuleRecord(rule) } : null,
    cloudAccounts: accounts,
    cloudOrganizations: [],
    actors: [structuredClone(actor.record)],
    primaryActor: actor.record,
    resources: [resource],
    primaryResource: detectionResource(model, facts),
    triggeringEvents: events,
  };
}

/** The detection node for any detection: recorded (loaded tenants) or generated. */
export function buildDetectionRecord(model: TenantModel, index: number, nested: boolean): WizRecord {
  const loaded = model.loaded?.records.detections?.[index];
  if (!loaded) return generateDetectionRecord(model, index, nested);
  const record = structuredClone(loaded) as WizRecord;
  const cols = model.stores.detections.cols;
  const issue = cols.issue[index] ?? -1;
  record.issue = nested || issue < 0 ? null : model.records.issue(issue, true);
  // Served as recorded; only the non-null fields the record lacks are derived from its columns.
  const absent = model.loaded?.absent.detections?.[index];
  const derived: WizRecord = { type: DETECTION_TYPES[cols.type[index] ?? 0], severity: SEVERITIES[cols.severity[index] ?? 2], createdAt: wizTime(cols.createdAt[index] ?? Number.NaN), updatedAt: wizTime(cols.updatedAt[index] ?? Number.NaN) };
  for (const [field, value] of Object.entries(derived)) if (absent?.has(field)) record[field] = value;
  return record;
}
