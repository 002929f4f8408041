/**
 * The state of one tenant instance: column stores, catalogues, overlays of mutated fields, and the
 * "facts" (resolved attributes) of the entities records refer to. Facts come from the seed for a
 * generated tenant and from the recorded JSON for a loaded one; record builders only see facts, so one
 * builder serves both.
 */
import { quantizeToMicros, toWizTimestamp } from "../clock.js";
import type { ColumnStore } from "./column-store.js";
import type { CveEntry } from "./cve.catalogue.js";
import type { ResourcePicks } from "./resource-picks.js";
import type { TenantRule } from "./rule.catalogue.js";
import type {
  AuditLogColumns,
  ConfigurationFindingColumns,
  DetectionColumns,
  FindingColumns,
  IssueColumns,
  Millis,
  ResourceColumns,
  ResourceTypeDefinition,
  SimpleColumns,
  WizRecord,
} from "./types.js";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Generated records are spread over this window before `now`. */
export const HISTORY = 90 * DAY;

export interface IssueLinkColumns {
  /** Most recently linked detection of the issue (head of a linked list through detectionLinks), -1 none. */
  firstDetection: Int32Array;
}

export interface DetectionLinkColumns {
  /** Next detection of the same issue, -1 at the end. */
  nextDetection: Int32Array;
}

export interface TenantStores {
  projects: ColumnStore<SimpleColumns>;
  cloudAccounts: ColumnStore<SimpleColumns>;
  kubernetesClusters: ColumnStore<SimpleColumns>;
  cloudResources: ColumnStore<ResourceColumns>;
  issues: ColumnStore<IssueColumns>;
  issueLinks: ColumnStore<IssueLinkColumns>;
  vulnerabilityFindings: ColumnStore<FindingColumns>;
  configurationFindings: ColumnStore<ConfigurationFindingColumns>;
  detections: ColumnStore<DetectionColumns>;
  detectionLinks: ColumnStore<DetectionLinkColumns>;
  auditLogEntries: ColumnStore<AuditLogColumns>;
  versionControlResources: ColumnStore<SimpleColumns>;
  users: ColumnStore<SimpleColumns>;
}

export type CollectionName =
  | "projects"
  | "cloudAccounts"
  | "kubernetesClusters"
  | "cloudResources"
  | "issues"
  | "vulnerabilityFindings"
  | "configurationFindings"
  | "detections"
  | "auditLogEntries"
  | "versionControlResources"
  | "users";

export interface TenantNames {
  company: string;
  domain: string;
}

export interface ProjectFacts {
  index: number;
  id: string;
  name: string;
  slug: string;
}

export interface UserFacts {
  index: number;
  id: string;
  name: string;
  email: string;
}

export interface AccountFacts {
  index: number;
  id: string;
  name: string;
  externalId: string;
  cloudProvider: string;
  env: string;
  projectIndex: number;
  tags: Record<string, string>;
}

export interface ClusterFacts {
  index: number;
  id: string;
  name: string;
  externalId: string;
  kind: string;
  cloudPlatform: string;
  region: string | null;
  accountIndex: number;
  projectIndex: number;
}

export interface Exposure {
  hasLimitedInternetExposure: boolean;
  hasWideInternetExposure: boolean;
  isAccessibleFromVPN: boolean;
  isAccessibleFromOtherVnets: boolean;
  isAccessibleFromOtherSubscriptions: boolean;
  hasAdminPrivileges: boolean;
  hasHighPrivileges: boolean;
  hasSensitiveData: boolean;
  hasAccessToSensitiveData: boolean;
}

/** Everything known about one cloud resource, from which every resource-shaped object is built. */
export interface ResourceFacts {
  index: number;
  id: string;
  name: string;
  type: string;
  nativeType: string | null;
  cloudPlatform: string | null;
  providerUniqueId: string | null;
  externalId: string | null;
  region: string | null;
  zone: string | null;
  status: string;
  cloudProviderURL: string | null;
  resourceGroupExternalId: string | null;
  accountIndex: number;
  subscriptionId: string | null;
  subscriptionExternalId: string | null;
  subscriptionName: string | null;
  subscriptionTags: Record<string, string>;
  tags: Record<string, string>;
  projectIndexes: number[];
  kubernetesClusterId: string | null;
  kubernetesClusterName: string | null;
  kubernetesNamespace: { id: string; name: string; providerUniqueId: string } | null;
  exposure: Exposure;
  operatingSystem: string | null;
  instanceType: string | null;
  ipAddresses: string[];
  runtime: string | null;
  imageId: string | null;
  imageExternalId: string | null;
  vmExternalId: string | null;
  podName: string | null;
  nodeName: string | null;
  serverlessContainer: boolean;
  repositoryName: string | null;
  repositoryUrl: string | null;
  firstSeen: Millis;
  lastSeen: Millis;
  updatedAt: Millis;
  deletedAt: Millis;
}

export interface IssueOverlay {
  /** The issue's full note list once a note was added or deleted. */
  notes?: WizRecord[];
  nextNoteOrdinal?: number;
  /** undefined: not set by a mutation; null: explicitly cleared. */
  resolutionReason?: string | null;
  resolutionNote?: string | null;
  resolvedBy?: { id: string; name: string } | null;
  /** Set for issues raised from uploaded events. */
  threat?: { origin: string; description: string | null; details: WizRecord | null };
}

export interface DetectionOverlay {
  description: string | null;
  details: WizRecord | null;
}

/** What a loaded tenant supplies: the recorded records (normalised) and the facts extracted from them. */
export interface LoadedData {
  records: Partial<Record<CollectionName, WizRecord[]>>;
  /** Issue index of each recorded note id, so recorded notes can be deleted. */
  noteOwners: Map<string, number>;
  /** Per recorded node, the served fields it did not carry: only these may be derived (schema/NOTES.md, "Replay"). */
  absent: Partial<Record<CollectionName, ReadonlyArray<ReadonlySet<string>>>>;
  ids: Partial<Record<CollectionName, Map<string, number>>>;
  resources: ResourceFacts[];
  accounts: AccountFacts[];
  clusters: ClusterFacts[];
  projects: ProjectFacts[];
  users: UserFacts[];
}

/** Record builders, bound by the tenant so builders can embed the current state of other records. */
export interface RecordBuilders {
  project(index: number): WizRecord;
  cloudAccount(index: number): WizRecord;
  user(index: number): WizRecord;
  cloudResource(index: number): WizRecord;
  /** nested: without threatDetectionDetails (an issue embedded in a detection). */
  issue(index: number, nested: boolean): WizRecord;
  /** nested: with issue null (a detection embedded in an issue). */
  detection(index: number, nested: boolean): WizRecord;
}

/** Fact look-ups, dispatched to the generator or to the loaded data. */
export interface FactSource {
  resource(index: number): ResourceFacts;
  account(index: number): AccountFacts | null;
  cluster(index: number): ClusterFacts | null;
  project(index: number): ProjectFacts | null;
  user(index: number): UserFacts | null;
}

export interface TenantModel {
  readonly seed: number;
  /** `now` at generation or load. */
  readonly createdAt: Millis;
  readonly names: TenantNames;
  readonly stores: TenantStores;
  /** Sizes at generation or load: records below these indexes have a generated or recorded base. */
  readonly baseCounts: Readonly<Record<CollectionName, number>>;
  readonly rules: TenantRule[];
  readonly resourceTypes: ResourceTypeDefinition[];
  readonly detectionOrigins: string[];
  readonly cves: CveEntry[];
  readonly issueOverlays: Map<number, IssueOverlay>;
  readonly detectionOverlays: Map<number, DetectionOverlay>;
  readonly loaded: LoadedData | undefined;
  picks: ResourcePicks;
  facts: FactSource;
  records: RecordBuilders;
  version: number;
  /** Open-issue counts per resource and severity, rebuilt when the version changes. */
  issueCounts: { version: number; counts: Int32Array } | undefined;
  /** Resource, container and VM counts per cloud account; resources never change, so built once. */
  accountStats: Int32Array | undefined;
  providerIdIndex: Map<string, number> | undefined;
  /** Shared vulnerableAsset objects per resource facts object. */
  readonly vulnerableAssets: WeakMap<ResourceFacts, WizRecord>;
  /**
   * Base records (below baseCounts) changed since generation or load, by mutations or activity. A replayed
   * record not in here is served exactly as recorded; the sets also bound what a state snapshot must carry.
   */
  readonly changed: ChangedRows;
}

export interface ChangedRows {
  issues: Set<number>;
  vulnerabilityFindings: Set<number>;
}

/** An empty change record for a new model. */
export function noChangedRows(): ChangedRows {
  return { issues: new Set(), vulnerabilityFindings: new Set() };
}

/** Notes that a base record changed (rows appended later are tracked by their index alone). */
export function markChanged(model: TenantModel, collection: keyof ChangedRows, index: number): void {
  if (index < model.baseCounts[collection]) model.changed[collection].add(index);
}

/** A timestamp for a record, quantised to the microseconds Wiz prints, so string and column compare equal. */
export function at(ms: number): Millis {
  return quantizeToMicros(ms);
}

/** A point between two times (u in [0, 1)), never before `from`. */
export function between(from: Millis, to: Millis, u: number): Millis {
  return to <= from ? from : quantizeToMicros(from + (to - from) * u);
}

/** RFC3339-with-microseconds, or null for a NaN column value. */
export function wizTime(ms: number): string | null {
  return Number.isNaN(ms) ? null : toWizTimestamp(ms);
}
