/**
 * The simulator's tenant: every record kind the Wiz API serves, generated on demand from a seed
 * (or loaded from recorded JSON), with the fields that filters and ordering need kept in typed
 * columns so a 1,000,000-finding tenant starts in seconds and stays small.
 *
 * Records returned by `get()` are plain objects in the exact Wiz API node shape (field names as in
 * schema/wiz.graphql); union members carry `__typename`. Fields that take GraphQL arguments are
 * plain values too: the GraphQL layer applies the arguments.
 */
import type { SimTenantState } from "./tenant-state.js";

export const SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ISSUE_STATUSES = ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const ISSUE_TYPES = ["TOXIC_COMBINATION", "THREAT_DETECTION", "CLOUD_CONFIGURATION"] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export const FINDING_STATUSES = ["OPEN", "RESOLVED", "IGNORED"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const DETECTION_TYPES = ["GENERATED_THREAT", "MATCH_ONLY"] as const;

export const CLOUD_PLATFORMS = ["AWS", "Azure", "GCP", "OCI", "Kubernetes", "EKS", "AKS", "GKE", "GitHub", "GitLab"] as const;

/** Epoch milliseconds; NaN in a column means "null". */
export type Millis = number;

/** A growable column store: arrays are replaced when capacity grows, so read them through `cols` each time. */
export interface Collection<R, C> {
  readonly kind: string;
  /** Number of records, including ones created while the simulator runs. */
  size(): number;
  /** Typed columns, each of length >= size(). */
  readonly cols: C;
  /** Full record in the Wiz API node shape. A fresh object per call; callers may keep or modify it. */
  get(index: number): R;
  /** Index for an id; undefined for an unknown or forged id. */
  indexOf(id: string): number | undefined;
  /** Id of the record at index, without materialising the record. */
  idAt(index: number): string;
}

export type WizRecord = Record<string, unknown>;

export interface IssueColumns {
  createdAt: Float64Array;
  updatedAt: Float64Array;
  statusChangedAt: Float64Array;
  resolvedAt: Float64Array; // NaN when not resolved
  dueAt: Float64Array; // NaN when none
  status: Uint8Array; // index into ISSUE_STATUSES
  severity: Uint8Array; // index into SEVERITIES
  type: Uint8Array; // index into ISSUE_TYPES
  resource: Int32Array; // index into cloudResources
  project: Int32Array; // index into projects (the resource's primary project); -1 none
  rule: Int32Array; // index into the source rule catalogue (tenant.rules)
}

export interface FindingColumns {
  firstDetectedAt: Float64Array;
  lastDetectedAt: Float64Array;
  updatedAt: Float64Array;
  resolvedAt: Float64Array; // NaN when open
  status: Uint8Array; // FINDING_STATUSES
  severity: Uint8Array; // SEVERITIES (vendor/CVSS severity)
  resource: Int32Array; // cloudResources index of the vulnerable asset
  project: Int32Array;
  cve: Int32Array; // index into the CVE catalogue
  hasExploit: Uint8Array; // 0/1
  hasFix: Uint8Array; // 0/1
}

export interface ConfigurationFindingColumns {
  analyzedAt: Float64Array;
  updatedAt: Float64Array;
  status: Uint8Array; // FINDING_STATUSES
  severity: Uint8Array;
  resource: Int32Array;
  project: Int32Array;
  rule: Int32Array;
}

export interface ResourceColumns {
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  updatedAt: Float64Array;
  deletedAt: Float64Array; // NaN when live
  type: Uint16Array; // index into tenant.resourceTypes
  platform: Uint8Array; // index into CLOUD_PLATFORMS
  account: Int32Array; // index into cloudAccounts
  project: Int32Array;
  cluster: Int32Array; // index into kubernetesClusters, -1 when not a k8s resource
}

export interface DetectionColumns {
  createdAt: Float64Array;
  updatedAt: Float64Array;
  startedAt: Float64Array;
  severity: Uint8Array;
  type: Uint8Array; // DETECTION_TYPES
  origin: Uint8Array; // index into tenant.detectionOrigins
  resource: Int32Array;
  project: Int32Array;
  issue: Int32Array; // issues index of the THREAT_DETECTION issue, -1 for MATCH_ONLY without issue
  rule: Int32Array;
}

export interface AuditLogColumns {
  timestamp: Float64Array;
}

export interface SimpleColumns {
  createdAt: Float64Array;
}

/** A rule that produces issues or detections (Control, CloudConfigurationRule or CloudEventRule). */
export interface RuleDefinition {
  id: string;
  name: string;
  description: string;
  __typename: "Control" | "CloudConfigurationRule" | "CloudEventRule";
  severity: Severity;
}

export interface ResourceTypeDefinition {
  /** Wiz graph entity type, e.g. VIRTUAL_MACHINE, CONTAINER, BUCKET. */
  type: string;
  /** Provider-native type, e.g. ec2#instance, Microsoft.Compute/virtualMachines. */
  nativeType: string;
}

export interface NoteInput {
  text: string;
  /** The service account making the change (client id and name). */
  serviceAccount: { id: string; name: string };
}

/** `updateIssue` semantics: `patch` sets given non-null fields; `override` may also set a field to null. */
export interface IssueChange {
  status?: string;
  resolutionReason?: string | null;
  resolutionNote?: string | null;
  dueAt?: Millis | null;
  note?: string;
}

export interface ThreatIssueInit {
  resourceIndex: number;
  severity: Severity;
  /** Rule/detection title, e.g. the uploaded event's name. */
  name: string;
  description?: string;
  /** Origin of the detection, e.g. WIZ_CUSTOM_INTEGRATION for uploaded events. */
  origin: string;
  /** Opaque details kept on the issue (uploaded event fields, data source id...). */
  details?: WizRecord;
}

export interface Tenant {
  readonly seed: number;
  /** Monotonic counter bumped on every change, for cache keys. */
  version(): number;
  readonly projects: Collection<WizRecord, SimpleColumns>;
  readonly cloudAccounts: Collection<WizRecord, SimpleColumns>;
  readonly kubernetesClusters: Collection<WizRecord, SimpleColumns>;
  readonly cloudResources: Collection<WizRecord, ResourceColumns>;
  readonly issues: Collection<WizRecord, IssueColumns>;
  readonly vulnerabilityFindings: Collection<WizRecord, FindingColumns>;
  readonly configurationFindings: Collection<WizRecord, ConfigurationFindingColumns>;
  readonly detections: Collection<WizRecord, DetectionColumns>;
  readonly auditLogEntries: Collection<WizRecord, AuditLogColumns>;
  readonly versionControlResources: Collection<WizRecord, SimpleColumns>;
  readonly users: Collection<WizRecord, SimpleColumns>;
  readonly rules: readonly RuleDefinition[];
  readonly resourceTypes: readonly ResourceTypeDefinition[];
  readonly detectionOrigins: readonly string[];
  /** Resource index by provider unique id (ARN, Azure resource id, GCP name, k8s uid...). */
  resourceByProviderId(providerId: string): number | undefined;

  // ---- mutations (all bump updatedAt of the touched records and version()) ----
  updateIssue(index: number, change: IssueChange, override: boolean, by: NoteInput["serviceAccount"], now: Millis): void;
  addIssueNote(index: number, note: NoteInput, now: Millis): WizRecord;
  /** Returns false for an unknown note id. */
  deleteIssueNote(noteId: string, now: Millis): boolean;
  /** Raises (or, for the same resource and name while open, updates) a THREAT_DETECTION issue. */
  raiseThreatIssue(init: ThreatIssueInit, now: Millis): number;
  /** Background activity: creates, updates and resolves a deterministic batch of records. */
  simulateActivity(now: Millis, previous: Millis, ratePerHour: number): ActivitySummary;

  // ---- persistence (tenant-state.ts) ----
  /** The changes since creation (mutations, activity, run-time rules) as JSON-safe data. */
  snapshot(): SimTenantState;
  /** Re-applies a snapshot to a tenant just created from the same seed or files and creation instant; throws otherwise. */
  restore(state: SimTenantState): void;
}

export interface ActivitySummary {
  createdIssues: number[];
  updatedIssues: number[];
  resolvedIssues: number[];
  createdFindings: number;
  updatedFindings: number;
  createdDetections: number[];
}

export type TenantSize = "tiny" | "small" | "medium" | "large" | "xl";

export interface TenantCounts {
  projects: number;
  cloudAccounts: number;
  kubernetesClusters: number;
  cloudResources: number;
  issues: number;
  vulnerabilityFindings: number;
  configurationFindings: number;
  detections: number;
  auditLogEntries: number;
  versionControlResources: number;
  users: number;
}

export interface GenerateTenantOptions {
  seed: number;
  size?: TenantSize;
  /** Overrides of individual counts, e.g. { vulnerabilityFindings: 1_000_000 }. */
  counts?: Partial<TenantCounts>;
  /** Simulated "now" at generation; records are spread over the 90 days before it. */
  now: Millis;
}
