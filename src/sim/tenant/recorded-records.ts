/**
 * Recorded nodes made whole: every field the simulator serves is present (missing ones become null or
 * an empty list), connections recorded as {nodes} become lists, union members get their __typename,
 * and the facts the record builders need are read from the recorded shapes.
 */
import { parseWizTimestamp } from "../clock.js";
import { derivedNestedId, recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { VULNERABLE_ASSET_TYPENAME } from "./resource-type.catalogue.js";
import type { AccountFacts, ClusterFacts, CollectionName, Exposure, ProjectFacts, ResourceFacts, UserFacts } from "./tenant-model.js";
import type { Millis, WizRecord } from "./types.js";

export const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
export const obj = (value: unknown): WizRecord | null => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as WizRecord) : null);
export const bool = (value: unknown): boolean => value === true;

/** A list field, accepting a recorded connection ({nodes} or {edges}) in its place. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const connection = obj(value);
  if (connection && Array.isArray(connection.nodes)) return connection.nodes;
  if (connection && Array.isArray(connection.edges)) return connection.edges.map((edge) => obj(edge)?.node).filter((n) => n !== undefined);
  return [];
}

export const records = (value: unknown): WizRecord[] => list(value).filter((v): v is WizRecord => obj(v) !== null);

/** Epoch ms of a recorded timestamp (RFC3339 string or epoch number); NaN when absent or unreadable. */
export function time(value: unknown): Millis {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return typeof value === "string" ? parseWizTimestamp(value) : Number.NaN;
}

/** Tags as a key -> value object, from either recorded form (object or list of {key, value}). */
export function tagObject(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const tag of value) {
      const t = obj(tag);
      const key = str(t?.key);
      if (key) out[key] = typeof t?.value === "string" ? t.value : String(t?.value ?? "");
    }
  } else {
    for (const [key, v] of Object.entries(obj(value) ?? {})) out[key] = typeof v === "string" ? v : String(v ?? "");
  }
  return out;
}

type Defaults = Readonly<Record<string, () => unknown>>;
const NULL = (): null => null;
const EMPTY = (): unknown[] => [];
const FALSE = (): boolean => false;

function fields(nullFields: readonly string[], listFields: readonly string[] = [], falseFields: readonly string[] = []): Defaults {
  const out: Record<string, () => unknown> = {};
  for (const f of nullFields) out[f] = NULL;
  for (const f of listFields) out[f] = EMPTY;
  for (const f of falseFields) out[f] = FALSE;
  return out;
}

/** Served fields per collection, with the value a recorded node without that field gets. */
export const RECORD_DEFAULTS: Readonly<Record<CollectionName, Defaults>> = {
  issues: fields(
    ["id", "type", "status", "severity", "createdAt", "updatedAt", "statusChangedAt", "dueAt", "resolvedAt", "rejectionExpiredAt", "resolutionReason", "resolutionNote", "resolvedBy", "url", "evidenceQuery", "sourceRule", "control", "entitySnapshot", "entity", "threatDetectionDetails", "commentThread"],
    ["environments", "sourceRules", "projects", "serviceTickets", "notes", "cloudAccounts", "cloudOrganizations", "applicationServices", "threatCenterActors"],
  ),
  vulnerabilityFindings: fields(
    [
      "id", "portalUrl", "name", "vulnerabilityExternalId", "CVEDescription", "CVSSSeverity", "score", "exploitabilityScore", "impactScore", "dataSourceName", "hasExploit", "hasCisaKevExploit", "status", "vendorSeverity",
      "firstDetectedAt", "lastDetectedAt", "updatedAt", "resolvedAt", "description", "remediation", "detailedName", "version", "fixedVersion", "detectionMethod", "link", "locationPath", "resolutionReason",
      "epssSeverity", "epssPercentile", "epssProbability", "validatedInRuntime", "layerMetadata", "vulnerableAsset", "relatedIssueAnalytics",
    ],
    ["projects", "ignoreRules"],
  ),
  configurationFindings: fields(["id", "name", "analyzedAt", "updatedAt", "deletedAt", "severity", "result", "status", "remediation", "resource", "rule", "evidence"]),
  detections: fields(
    ["id", "type", "status", "severity", "description", "createdAt", "updatedAt", "startedAt", "endedAt", "issue", "ruleMatch", "primaryActor", "primaryResource"],
    ["origins", "cloudAccounts", "cloudOrganizations", "actors", "resources", "triggeringEvents"],
  ),
  cloudResources: fields(
    [
      "id", "name", "type", "nativeType", "cloudPlatform", "providerUniqueId", "externalId", "region", "regionLocation", "status", "subscriptionId", "subscriptionExternalId", "subscriptionName", "cloudAccount",
      "resourceGroup", "createdAt", "updatedAt", "deletedAt", "firstSeen", "lastSeen", "isAvailableOnGraph", "graphEntity", "technology", "typeFields",
    ],
    ["projects", "tags"],
    ["isOpenToAllInternet", "isAccessibleFromInternet", "hasAccessToSensitiveData", "hasAdminPrivileges", "hasHighPrivileges", "hasSensitiveData"],
  ),
  projects: { ...fields(["id", "name", "slug", "description", "businessUnit", "cloudAccountCount", "repositoryCount", "teamMemberCount", "securityScore", "riskProfile"], ["projectOwners", "securityChampions"], ["archived", "isFolder"]) },
  cloudAccounts: fields(["id", "name", "externalId", "cloudProvider", "status", "firstScannedAt", "lastScannedAt", "resourceCount", "containerCount", "virtualMachineCount"], ["linkedProjects", "sourceConnectors"]),
  kubernetesClusters: fields(["id", "externalId", "name", "kind", "status", "isPrivate", "isConnectedUsingBroker", "cloudAccount"], ["connectors", "projects"]),
  auditLogEntries: fields(["id", "action", "requestId", "status", "timestamp", "actionParameters", "userAgent", "sourceIP", "user", "serviceAccount"]),
  versionControlResources: fields(["id", "name", "type", "cloudPlatform", "providerID", "url", "repository"]),
  users: fields(["id", "name", "email"]),
};

const ID_KIND: Readonly<Record<CollectionName, number>> = {
  issues: KIND.issue,
  vulnerabilityFindings: KIND.vulnerabilityFinding,
  configurationFindings: KIND.configurationFinding,
  detections: KIND.detection,
  cloudResources: KIND.cloudResource,
  projects: KIND.project,
  cloudAccounts: KIND.cloudAccount,
  kubernetesClusters: KIND.kubernetesCluster,
  auditLogEntries: KIND.auditLogEntry,
  versionControlResources: KIND.versionControlResource,
  users: KIND.user,
};

function sourceRuleTypename(rule: WizRecord, issueType: unknown): string {
  if (typeof rule.__typename === "string") return rule.__typename;
  if (typeof rule.id === "string" && rule.id.startsWith("wc-id-")) return "Control";
  if ("shortId" in rule || "subjectEntityType" in rule || "remediationInstructions" in rule) return "CloudConfigurationRule";
  if ("sourceType" in rule || "origins" in rule || "generateIssues" in rule) return "CloudEventRule";
  return issueType === "CLOUD_CONFIGURATION" ? "CloudConfigurationRule" : issueType === "THREAT_DETECTION" ? "CloudEventRule" : "Control";
}

function withTypename(value: unknown, typename: string): unknown {
  const o = obj(value);
  return o && typeof o.__typename !== "string" ? { __typename: typename, ...o } : value;
}

/** The served fields a recorded node does not carry (absent, as opposed to recorded as null). */
export function absentFields(collection: CollectionName, node: WizRecord): ReadonlySet<string> {
  return new Set(Object.keys(RECORD_DEFAULTS[collection]).filter((field) => node[field] === undefined));
}

/** Notes made servable: a missing id, createdAt, updatedAt or text is derived (schema/NOTES.md, "Replay"). */
function servableNotes(issue: WizRecord): WizRecord[] {
  return records(issue.notes).map((note, k) => {
    const out: WizRecord = { ...note };
    if (typeof out.id !== "string" || out.id === "") out.id = derivedNestedId(String(issue.id), "note", k);
    if (out.createdAt === undefined || out.createdAt === null) out.createdAt = out.updatedAt ?? issue.createdAt ?? null;
    if (out.updatedAt === undefined || out.updatedAt === null) out.updatedAt = out.createdAt;
    if (out.text === undefined || out.text === null) out.text = "";
    return out;
  });
}

function servableTickets(issue: WizRecord): WizRecord[] {
  return records(issue.serviceTickets).map((ticket, k) => (typeof ticket.id === "string" && ticket.id !== "" ? ticket : { ...ticket, id: derivedNestedId(String(issue.id), "serviceTicket", k) }));
}

/** A recorded node with every served field present, connections flattened and union members typed. */
export function normaliseRecord(collection: CollectionName, node: WizRecord, index: number, seed: number): WizRecord {
  // Recorded fields keep their order; missing ones are appended.
  const out: WizRecord = { ...node };
  for (const [field, fallback] of Object.entries(RECORD_DEFAULTS[collection])) if (out[field] === undefined) out[field] = fallback();
  if (typeof out.id !== "string" || out.id === "") out.id = recordId(seed, ID_KIND[collection], index);
  for (const [field, fallback] of Object.entries(RECORD_DEFAULTS[collection])) {
    if (fallback === EMPTY) out[field] = list(out[field]);
  }
  switch (collection) {
    case "issues": {
      if (out.url === null) out.url = `https://app.wiz.io/issues#~(issue~'${String(out.id)})`;
      out.notes = servableNotes(out);
      out.serviceTickets = servableTickets(out);
      const rule = obj(out.sourceRule);
      if (rule) out.sourceRule = withTypename(rule, sourceRuleTypename(rule, out.type));
      const sourceRules = records(out.sourceRules).map((r) => withTypename(r, sourceRuleTypename(r, out.type)));
      out.sourceRules = sourceRules.length === 0 && rule ? [out.sourceRule] : sourceRules;
      const details = obj(out.threatDetectionDetails);
      if (details) {
        const whole: WizRecord = { ...details };
        const defaults: WizRecord = { actors: [], actorsTotalCount: 0, actorsMaxCountReached: false, resources: [], resourcesTotalCount: 0, resourcesMaxCountReached: false, mainDetection: null, eventOrigin: null };
        for (const [field, value] of Object.entries(defaults)) if (whole[field] === undefined) whole[field] = value;
        whole.detections = list(details.detections);
        whole.cloudEventGroups = list(details.cloudEventGroups);
        out.threatDetectionDetails = whole;
      }
      break;
    }
    case "vulnerabilityFindings": {
      const asset = obj(out.vulnerableAsset);
      if (asset) out.vulnerableAsset = withTypename(asset, VULNERABLE_ASSET_TYPENAME[String(asset.type)] ?? "VulnerableAssetVirtualMachine");
      if (out.vulnerabilityExternalId === null) out.vulnerabilityExternalId = out.name;
      break;
    }
    case "detections":
      out.triggeringEvents = records(out.triggeringEvents).map((e) => withTypename(e, "CloudEvent"));
      break;
    case "cloudResources":
      if (!Array.isArray(node.tags)) out.tags = Object.entries(tagObject(node.tags ?? obj(obj(out.graphEntity)?.properties)?.tags)).map(([key, value]) => ({ key, value }));
      break;
    case "projects":
      if (out.name === null) out.name = `Project ${index + 1}`;
      if (out.slug === null) out.slug = String(out.name).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
      break;
    case "versionControlResources":
      if (out.providerID === null) out.providerID = out.id;
      break;
    default:
      break;
  }
  return out;
}

/** A cloud resource node made from a reference to it (issue snapshot, vulnerable asset, finding resource). */
export function resourceFromReference(ref: WizRecord): WizRecord {
  const tags = tagObject(ref.tags);
  const subscription = obj(ref.subscription) ?? obj(ref.cloudAccount);
  return {
    id: ref.id,
    name: ref.name ?? null,
    type: ref.type ?? null,
    nativeType: ref.nativeType ?? null,
    cloudPlatform: ref.cloudPlatform ?? null,
    providerUniqueId: ref.providerUniqueId ?? ref.providerId ?? ref.externalId ?? null,
    externalId: ref.externalId ?? ref.providerUniqueId ?? ref.providerId ?? null,
    region: ref.region ?? null,
    status: typeof ref.status === "string" ? ref.status : "Active",
    subscriptionId: ref.subscriptionId ?? subscription?.id ?? null,
    subscriptionExternalId: ref.subscriptionExternalId ?? subscription?.externalId ?? null,
    subscriptionName: ref.subscriptionName ?? subscription?.name ?? null,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    resourceGroupExternalId: ref.resourceGroupExternalId ?? null,
    cloudProviderURL: ref.cloudProviderURL ?? null,
    subscriptionTags: ref.subscriptionTags ?? null,
    kubernetesClusterId: ref.kubernetesClusterId ?? obj(ref.kubernetesCluster)?.id ?? null,
    kubernetesClusterName: ref.kubernetesClusterName ?? obj(ref.kubernetesCluster)?.name ?? null,
    kubernetesNamespaceName: ref.kubernetesNamespaceName ?? ref.PodNamespace ?? obj(ref.kubernetesNamespace)?.name ?? null,
    operatingSystem: ref.operatingSystem ?? null,
    ipAddresses: Array.isArray(ref.ipAddresses) ? ref.ipAddresses : [],
    runtime: ref.runtime ?? null,
    imageId: ref.imageId ?? null,
    ImageExternalId: ref.ImageExternalId ?? null,
    VmExternalId: ref.VmExternalId ?? null,
    PodName: ref.PodName ?? null,
    NodeName: ref.NodeName ?? null,
    ServerlessContainer: ref.ServerlessContainer ?? false,
    repositoryName: ref.repositoryName ?? null,
    hasWideInternetExposure: ref.hasWideInternetExposure ?? false,
    hasLimitedInternetExposure: ref.hasLimitedInternetExposure ?? false,
  };
}

const NO_EXPOSURE: Exposure = {
  hasLimitedInternetExposure: false,
  hasWideInternetExposure: false,
  isAccessibleFromVPN: false,
  isAccessibleFromOtherVnets: false,
  isAccessibleFromOtherSubscriptions: false,
  hasAdminPrivileges: false,
  hasHighPrivileges: false,
  hasSensitiveData: false,
  hasAccessToSensitiveData: false,
};

export interface ResourceLinks {
  index: number;
  accountIndex: number;
  account: AccountFacts | null;
  projectIndexes: number[];
  times: { firstSeen: Millis; lastSeen: Millis; updatedAt: Millis; deletedAt: Millis };
}

/** Facts of a recorded cloud resource; reads the V2 fields, then the graph entity and its properties. */
export function resourceFactsFromRecord(record: WizRecord, links: ResourceLinks): ResourceFacts {
  const entity = obj(record.graphEntity);
  const properties = obj(entity?.properties) ?? {};
  const pick = (...keys: string[]): string | null => {
    for (const key of keys) {
      const value = str(record[key]) ?? str(entity?.[key]) ?? str(properties[key]);
      if (value) return value;
    }
    return null;
  };
  const account = links.account;
  const providerUniqueId = pick("providerUniqueId", "providerId", "externalId");
  const namespace = pick("kubernetesNamespaceName", "PodNamespace", "kubernetes_namespaceName");
  const clusterId = pick("kubernetesClusterId") ?? str(obj(record.kubernetesCluster)?.id);
  const exposure = { ...NO_EXPOSURE };
  for (const key of Object.keys(exposure) as Array<keyof Exposure>) exposure[key] = bool(record[key]) || bool(properties[key]);
  if (bool(record.isAccessibleFromInternet) || bool(record.isOpenToAllInternet)) exposure.hasWideInternetExposure = true;
  const ips = Array.isArray(record.ipAddresses) ? record.ipAddresses : Array.isArray(properties.ipAddresses) ? properties.ipAddresses : [];
  return {
    index: links.index,
    id: String(record.id),
    name: pick("name") ?? String(record.id),
    type: pick("type") ?? "CLOUD_RESOURCE",
    nativeType: pick("nativeType"),
    cloudPlatform: pick("cloudPlatform") ?? account?.cloudProvider ?? null,
    providerUniqueId,
    externalId: pick("externalId") ?? providerUniqueId,
    region: pick("region"),
    zone: pick("zone"),
    status: pick("status") ?? (Number.isNaN(links.times.deletedAt) ? "Active" : "Inactive"),
    cloudProviderURL: pick("cloudProviderURL", "cloudProviderUrl"),
    resourceGroupExternalId: pick("resourceGroupExternalId") ?? str(obj(record.resourceGroup)?.id),
    accountIndex: links.accountIndex,
    subscriptionId: pick("subscriptionId") ?? account?.id ?? str(obj(record.cloudAccount)?.id),
    subscriptionExternalId: pick("subscriptionExternalId") ?? account?.externalId ?? str(obj(record.cloudAccount)?.externalId),
    subscriptionName: pick("subscriptionName") ?? account?.name ?? str(obj(record.cloudAccount)?.name),
    subscriptionTags: record.subscriptionTags ? tagObject(record.subscriptionTags) : { ...(account?.tags ?? {}) },
    tags: tagObject(Array.isArray(record.tags) || obj(record.tags) ? record.tags : properties.tags),
    projectIndexes: links.projectIndexes,
    kubernetesClusterId: clusterId,
    kubernetesClusterName: pick("kubernetesClusterName", "kubernetes_clusterName") ?? str(obj(record.kubernetesCluster)?.name),
    kubernetesNamespace: namespace ? { id: `${clusterId ?? "cluster"}/${namespace}`, name: namespace, providerUniqueId: namespace } : null,
    exposure,
    operatingSystem: pick("operatingSystem"),
    instanceType: pick("instanceType"),
    ipAddresses: ips.filter((ip): ip is string => typeof ip === "string"),
    runtime: pick("runtime"),
    imageId: pick("imageId"),
    imageExternalId: pick("ImageExternalId", "imageExternalId"),
    vmExternalId: pick("VmExternalId"),
    podName: pick("PodName", "podName"),
    nodeName: pick("NodeName", "nodeName"),
    serverlessContainer: bool(record.ServerlessContainer),
    repositoryName: pick("repositoryName"),
    repositoryUrl: null,
    firstSeen: links.times.firstSeen,
    lastSeen: links.times.lastSeen,
    updatedAt: links.times.updatedAt,
    deletedAt: links.times.deletedAt,
  };
}

export function projectFacts(record: WizRecord, index: number): ProjectFacts {
  return { index, id: String(record.id), name: String(record.name), slug: String(record.slug) };
}

export function userFacts(record: WizRecord, index: number): UserFacts {
  return { index, id: String(record.id), name: str(record.name) ?? String(record.id), email: str(record.email) ?? "" };
}

export function accountFacts(record: WizRecord, index: number, projectIndex: number): AccountFacts {
  return {
    index,
    id: String(record.id),
    name: str(record.name) ?? String(record.id),
    externalId: str(record.externalId) ?? String(record.id),
    cloudProvider: str(record.cloudProvider) ?? "AWS",
    env: "prod",
    projectIndex,
    tags: {},
  };
}

const PLATFORM_OF_KIND: Readonly<Record<string, string>> = { EKS: "EKS", AKS: "AKS", GKE: "GKE", OKE: "OKE", OPEN_SHIFT: "OpenShift" };

export function clusterFacts(record: WizRecord, index: number, accountIndex: number, projectIndex: number): ClusterFacts {
  const kind = str(record.kind) ?? "SELF_HOSTED";
  return {
    index,
    id: String(record.id),
    name: str(record.name) ?? String(record.id),
    externalId: str(record.externalId) ?? String(record.id),
    kind,
    cloudPlatform: PLATFORM_OF_KIND[kind] ?? "Kubernetes",
    region: null,
    accountIndex,
    projectIndex,
  };
}
