import type { CanonicalRecord, CanonicalRecordType } from "../../model/canonical/index.js";
import type { StreamName } from "../../model/stream-name.js";
import { normaliseAuditLogEntry } from "./audit-log-entry.normaliser.js";
import { normaliseCloudResource } from "./cloud-resource.normaliser.js";
import { normaliseConfigurationFinding } from "./configuration-finding.normaliser.js";
import { normaliseDetection } from "./detection.normaliser.js";
import { normaliseIssue, normaliseThreat } from "./issue.normaliser.js";
import type { NormaliseContext } from "./normalise-context.js";
import { normaliseProject } from "./project.normaliser.js";
import type { RawNode } from "./raw-fields.js";
import { normaliseVersionControlResource } from "./version-control-resource.normaliser.js";
import { normaliseVulnerabilityFinding } from "./vulnerability-finding.normaliser.js";

export type Normaliser = (raw: RawNode, context: NormaliseContext) => CanonicalRecord;

/** Per stream: the hand-written normaliser of its node shape (checks required fields, never zod-parses: hot path). */
export const STREAM_NORMALISERS: Readonly<Record<StreamName, Normaliser>> = Object.freeze({
  issues: normaliseIssue,
  threats: normaliseThreat,
  vulnerabilityFindings: normaliseVulnerabilityFinding,
  cloudResources: normaliseCloudResource,
  configurationFindings: normaliseConfigurationFinding,
  detections: normaliseDetection,
  auditLogEntries: normaliseAuditLogEntry,
  projects: normaliseProject,
  versionControlResources: normaliseVersionControlResource,
});

export const RECORD_TYPE_OF_STREAM: Readonly<Record<StreamName, CanonicalRecordType>> = Object.freeze({
  issues: "issue",
  threats: "threat",
  vulnerabilityFindings: "vulnerabilityFinding",
  cloudResources: "asset",
  configurationFindings: "configurationFinding",
  detections: "detection",
  auditLogEntries: "auditLogEntry",
  projects: "project",
  versionControlResources: "repository",
});

/** Raw Wiz node -> canonical record; throws MissingFieldError when a field every record of the kind has is missing. */
export function normaliseStreamRecord(stream: StreamName, raw: RawNode, context: NormaliseContext): CanonicalRecord {
  return STREAM_NORMALISERS[stream](raw, context);
}
