import type {
  AssetRecord,
  CanonicalRecord,
  ConfigurationFindingRecord,
  DetectionRecord,
  IssueRecord,
  RepositoryRecord,
  ResourceRef,
  ThreatRecord,
  VulnerabilityFindingRecord,
  WizSeverity,
} from "../../model/canonical/index.js";
import { ocsfSeverityIdOf } from "../severity/severity-ladder.js";
import { OCSF_CLASSES, type OcsfEvent } from "./ocsf-event.js";
import { OCSF_SEVERITY_NAMES, ocsfBase, ocsfMetadata } from "./ocsf-base.js";
import { compact } from "../compact.js";
import { apiActivityOf } from "./api-activity.ocsf.js";

const FINDING_ACTIVITY_NAMES: Readonly<Record<number, string>> = { 1: "Create", 2: "Update", 3: "Close" };
const FINDING_STATUS_NAMES: Readonly<Record<number, string>> = { 0: "Unknown", 1: "New", 2: "In Progress", 3: "Suppressed", 4: "Resolved", 99: "Other" };

/** Wiz status -> OCSF finding status_id (New, In Progress, Suppressed, Resolved). */
const FINDING_STATUS_IDS: Readonly<Record<string, number>> = {
  OPEN: 1,
  IN_PROGRESS: 2,
  REJECTED: 3,
  IGNORED: 3,
  RESOLVED: 4,
};

/** Wiz configuration result -> OCSF compliance status_id (Pass, Warning, Fail). */
const COMPLIANCE_STATUS: Readonly<Record<string, [number, string]>> = { PASS: [1, "Pass"], FAIL: [3, "Fail"], ERROR: [99, "Other"], NOT_ASSESSED: [0, "Unknown"] };

export interface OcsfOptions {
  /** When wizbridge read the record (epoch ms): the event time of records that carry none. */
  observedAtMs: number;
  /** The untouched Wiz node, kept as raw_data. */
  raw: unknown;
}

/** Canonical timestamps are RFC 3339 already (the normalisers drop anything else), which Date.parse reads at any precision. */
function epochMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function base(
  cls: (typeof OCSF_CLASSES)[keyof typeof OCSF_CLASSES],
  activityId: number,
  activityName: string,
  severity: WizSeverity | null,
  time: number,
  options: OcsfOptions,
  record: CanonicalRecord,
): OcsfEvent {
  return ocsfBase(cls, [activityId, activityName], ocsfSeverityIdOf(severity), time, ocsfMetadata(record.id, record.recordType, record.updatedAt ?? record.createdAt), options.raw);
}

function withAttributes(event: OcsfEvent, attributes: Record<string, unknown>): OcsfEvent {
  for (const key in attributes) {
    const v = attributes[key];
    if (v !== undefined && v !== null) event[key] = v;
  }
  return event;
}

function resourceDetailsOf(resource: ResourceRef): Record<string, unknown> {
  return compact({
    uid: resource.id,
    uid_alt: resource.providerUniqueId ?? undefined,
    name: resource.name ?? undefined,
    type: resource.type ?? undefined,
    provider: resource.cloudPlatform ?? undefined,
    region: resource.region ?? undefined,
    namespace: resource.kubernetes?.namespace ?? undefined,
    ip: resource.ipAddresses[0],
    tags: Object.keys(resource.tags).length > 0 ? Object.entries(resource.tags).map(([name, value]) => ({ name, value })) : undefined,
    labels: resource.projectIds.length > 0 ? resource.projectIds.map((id) => `wiz.project:${id}`) : undefined,
    data: compact({ nativeType: resource.nativeType ?? undefined, account: resource.account ?? undefined, operatingSystem: resource.operatingSystem ?? undefined, imageId: resource.imageId ?? undefined }),
  });
}

/** `resource` and `resources` share one resource_details object. */
function resourceAttributesOf(resource: ResourceRef | null): { resource?: Record<string, unknown>; resources?: Array<Record<string, unknown>> } {
  if (!resource) return {};
  const details = resourceDetailsOf(resource);
  return { resource: details, resources: [details] };
}

function cloudOf(resource: ResourceRef | null): Record<string, unknown> | undefined {
  if (!resource?.cloudPlatform) return undefined;
  return compact({
    provider: resource.cloudPlatform,
    region: resource.region ?? undefined,
    account: resource.account ? compact({ uid: resource.account.externalId ?? resource.account.id ?? undefined, name: resource.account.name ?? undefined }) : undefined,
  });
}

function findingActivity(record: { createdAt: string | null; updatedAt: string | null; status: string | null }): [number, string] {
  if (record.status === "RESOLVED") return [3, "Close"];
  const id = record.updatedAt === null || record.updatedAt === record.createdAt ? 1 : 2;
  return [id, FINDING_ACTIVITY_NAMES[id] ?? "Other"];
}

function findingStatus(status: string | null): Record<string, unknown> {
  const id = status === null ? 0 : (FINDING_STATUS_IDS[status] ?? 99);
  return compact({ status_id: id, status: FINDING_STATUS_NAMES[id], status_code: status ?? undefined });
}

function findingInfoOf(record: CanonicalRecord, extra: Record<string, unknown>): Record<string, unknown> {
  return compact({
    uid: record.id,
    title: record.title ?? undefined,
    created_time: epochMs(record.createdAt),
    modified_time: epochMs(record.updatedAt),
    src_url: record.portalUrl,
    product: { name: "Wiz", vendor_name: "Wiz" },
    ...extra,
  });
}

function timeOf(record: CanonicalRecord, options: OcsfOptions): number {
  return epochMs(record.updatedAt) ?? epochMs(record.createdAt) ?? options.observedAtMs;
}

function vulnerabilityFinding(record: VulnerabilityFindingRecord, options: OcsfOptions): OcsfEvent {
  const [activityId, activityName] = findingActivity(record);
  const resource = record.resource;
  const details = resource ? resourceDetailsOf(resource) : undefined;
  return withAttributes(base(OCSF_CLASSES.vulnerabilityFinding, activityId, activityName, record.severity, timeOf(record, options), options, record), {
    ...findingStatus(record.status),
    message: record.title ?? undefined,
    finding_info: findingInfoOf(record, {
      desc: record.description ?? undefined,
      first_seen_time: epochMs(record.firstDetectedAt),
      last_seen_time: epochMs(record.lastDetectedAt),
      types: record.detectionMethod ? [record.detectionMethod] : undefined,
    }),
    vulnerabilities: [
      compact({
        title: record.cve.id,
        desc: record.cve.description ?? record.description ?? undefined,
        severity: record.severity ? (OCSF_SEVERITY_NAMES[ocsfSeverityIdOf(record.severity)] ?? undefined) : undefined,
        cve: compact({ uid: record.cve.id, desc: record.cve.description ?? undefined, references: record.references.length > 0 ? record.references : undefined }),
        is_exploit_available: record.hasExploit ?? undefined,
        is_fix_available: record.fixedVersion !== null,
        fix_available: record.fixedVersion !== null,
        first_seen_time: epochMs(record.firstDetectedAt),
        last_seen_time: epochMs(record.lastDetectedAt),
        references: record.references.length > 0 ? record.references : undefined,
        vendor_name: "Wiz",
        remediation: record.remediation ? { desc: record.remediation } : undefined,
        affected_packages:
          record.package.name && record.package.version
            ? [compact({ name: record.package.name, version: record.package.version, fixed_in_version: record.fixedVersion ?? undefined, path: record.package.locationPath ?? undefined })]
            : undefined,
      }),
    ],
    resource: details,
    resources: details ? [details] : undefined,
    unmapped: compact({ hasCisaKevExploit: record.hasCisaKevExploit ?? undefined, cvssScore: record.cve.score ?? undefined, epssPercentile: record.cve.epssPercentile ?? undefined }),
  });
}

function complianceFromIssue(record: IssueRecord, options: OcsfOptions): OcsfEvent {
  const [activityId, activityName] = findingActivity(record);
  return withAttributes(base(OCSF_CLASSES.complianceFinding, activityId, activityName, record.severity, timeOf(record, options), options, record), {
    ...findingStatus(record.status),
    message: record.title ?? undefined,
    finding_info: findingInfoOf(record, {
      types: [record.issueType],
      analytic: record.rule ? compact({ uid: record.rule.id, name: record.rule.name ?? undefined, type_id: 1, type: "Rule" }) : undefined,
    }),
    // An open configuration issue is a failed control; a resolved one passes again.
    compliance: compact({ control: record.rule?.name ?? undefined, status_id: record.status === "RESOLVED" ? 1 : 3, status: record.status === "RESOLVED" ? "Pass" : "Fail", status_code: record.status ?? undefined }),
    ...resourceAttributesOf(record.resource),
  });
}

function complianceFromConfigurationFinding(record: ConfigurationFindingRecord, options: OcsfOptions): OcsfEvent {
  const [activityId, activityName] = findingActivity(record);
  const [complianceId, complianceName] = (record.result ? COMPLIANCE_STATUS[record.result] : undefined) ?? [0, "Unknown"];
  return withAttributes(base(OCSF_CLASSES.complianceFinding, activityId, activityName, record.severity, timeOf(record, options), options, record), {
    ...findingStatus(record.status),
    message: record.title ?? undefined,
    finding_info: findingInfoOf(record, {
      analytic: record.rule ? compact({ uid: record.rule.id, name: record.rule.name ?? undefined, type_id: 1, type: "Rule" }) : undefined,
    }),
    compliance: compact({ control: record.rule?.shortId ?? record.rule?.name ?? undefined, status_id: complianceId, status: complianceName, status_code: record.result ?? undefined }),
    remediation: record.remediation ? { desc: record.remediation } : undefined,
    ...resourceAttributesOf(record.resource),
  });
}

function detectionFromIssue(record: IssueRecord | ThreatRecord, options: OcsfOptions): OcsfEvent {
  const [activityId, activityName] = findingActivity(record);
  return withAttributes(base(OCSF_CLASSES.detectionFinding, activityId, activityName, record.severity, timeOf(record, options), options, record), {
    ...findingStatus(record.status),
    message: record.title ?? undefined,
    is_alert: record.status === "OPEN" || record.status === "IN_PROGRESS",
    finding_info: findingInfoOf(record, {
      types: [record.issueType],
      analytic: record.rule ? compact({ uid: record.rule.id, name: record.rule.name ?? undefined, type_id: 1, type: "Rule" }) : undefined,
      related_events:
        record.recordType === "threat" && record.threat.mainDetection
          ? [compact({ uid: record.threat.mainDetection.id, type: record.threat.mainDetection.type ?? undefined })]
          : undefined,
    }),
    resources: record.resource ? [resourceDetailsOf(record.resource)] : undefined,
  });
}

function detectionFinding(record: DetectionRecord, options: OcsfOptions): OcsfEvent {
  const [activityId, activityName] = findingActivity(record);
  return withAttributes(base(OCSF_CLASSES.detectionFinding, activityId, activityName, record.severity, timeOf(record, options), options, record), {
    ...findingStatus(record.status),
    message: record.title ?? record.description ?? undefined,
    is_alert: true,
    start_time: epochMs(record.startedAt),
    end_time: epochMs(record.endedAt),
    finding_info: findingInfoOf(record, {
      desc: record.description ?? undefined,
      types: record.detectionType ? [record.detectionType] : undefined,
      data_sources: record.origins.length > 0 ? record.origins : undefined,
      analytic: record.rule ? compact({ uid: record.rule.id, name: record.rule.name ?? undefined, type_id: 1, type: "Rule" }) : undefined,
      attacks:
        record.mitre.techniques.length + record.mitre.tactics.length > 0
          ? [compact({ technique: record.mitre.techniques[0] ? { uid: record.mitre.techniques[0] } : undefined, tactic: record.mitre.tactics[0] ? { uid: record.mitre.tactics[0] } : undefined })]
          : undefined,
    }),
    resources: record.resource ? [resourceDetailsOf(record.resource)] : undefined,
    unmapped: compact({ issueId: record.issueId ?? undefined, actor: record.actor ?? undefined }),
  });
}

function inventory(record: AssetRecord | RepositoryRecord, options: OcsfOptions): OcsfEvent {
  const resource: ResourceRef =
    record.recordType === "asset"
      ? record.resource
      : {
          id: record.id,
          name: record.title,
          type: record.resourceType,
          nativeType: null,
          providerUniqueId: record.providerId,
          cloudPlatform: record.cloudPlatform,
          region: null,
          account: null,
          status: null,
          projectIds: [],
          tags: {},
          operatingSystem: null,
          ipAddresses: [],
          imageId: null,
          kubernetes: null,
          runtime: null,
          repositoryName: record.repository?.name ?? null,
          cloudProviderUrl: record.url,
        };
  const details =
    record.recordType === "asset"
      ? compact({ ...resourceDetailsOf(resource), created_time: epochMs(record.firstSeen ?? record.createdAt), modified_time: epochMs(record.updatedAt) })
      : resourceDetailsOf(resource);
  return withAttributes(base(OCSF_CLASSES.cloudResourcesInventoryInfo, 2, "Collect", null, timeOf(record, options), options, record), {
    status: record.status ?? undefined,
    message: record.title ?? undefined,
    cloud: cloudOf(resource),
    region: resource.region ?? undefined,
    resources: [details],
  });
}

/**
 * A canonical record as OCSF 1.8.0: 2002 for vulnerability findings, 2003 for cloud-configuration issues and
 * configuration findings, 2004 for threat and toxic-combination issues and detections, 5023 for assets and
 * repositories, 6003 API Activity for audit log entries. Undefined for projects (no OCSF class describes one).
 */
export function toOcsf(record: CanonicalRecord, options: OcsfOptions): OcsfEvent | undefined {
  switch (record.recordType) {
    case "vulnerabilityFinding":
      return vulnerabilityFinding(record, options);
    case "issue":
      return record.category === "configuration" ? complianceFromIssue(record, options) : detectionFromIssue(record, options);
    case "threat":
      return detectionFromIssue(record, options);
    case "configurationFinding":
      return complianceFromConfigurationFinding(record, options);
    case "detection":
      return detectionFinding(record, options);
    case "asset":
    case "repository":
      return inventory(record, options);
    case "auditLogEntry":
      return apiActivityOf(record, options);
    case "project":
      return undefined;
  }
}
