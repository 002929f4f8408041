import { z } from "zod";
import { assetRecordSchema, type AssetRecord } from "./asset.js";
import { auditLogEntryRecordSchema, type AuditLogEntryRecord } from "./audit-log-entry.js";
import { configurationFindingRecordSchema, type ConfigurationFindingRecord } from "./configuration-finding.js";
import { detectionRecordSchema, type DetectionRecord } from "./detection.js";
import { issueRecordSchema, type IssueRecord } from "./issue.js";
import { projectRecordSchema, type ProjectRecord } from "./project.js";
import { repositoryRecordSchema, type RepositoryRecord } from "./repository.js";
import { threatRecordSchema, type ThreatRecord } from "./threat.js";
import { vulnerabilityFindingRecordSchema, type VulnerabilityFindingRecord } from "./vulnerability-finding.js";

export * from "./common.js";
export * from "./asset.js";
export * from "./audit-log-entry.js";
export * from "./configuration-finding.js";
export * from "./detection.js";
export * from "./issue.js";
export * from "./project.js";
export * from "./repository.js";
export * from "./threat.js";
export * from "./vulnerability-finding.js";
// The runtime alert (push path) is canonical too; it has its own envelope (states), so it is not in the union below.
export { runtimeAlertSchema, type RuntimeAlert } from "../runtime-alert.js";

/** Every canonical record kind, told apart by `recordType`. (RuntimeAlert lives in src/model/runtime-alert.ts.) */
export const canonicalRecordSchema = z.discriminatedUnion("recordType", [
  issueRecordSchema,
  threatRecordSchema,
  vulnerabilityFindingRecordSchema,
  configurationFindingRecordSchema,
  assetRecordSchema,
  detectionRecordSchema,
  projectRecordSchema,
  repositoryRecordSchema,
  auditLogEntryRecordSchema,
]);

export type CanonicalRecord =
  | IssueRecord
  | ThreatRecord
  | VulnerabilityFindingRecord
  | ConfigurationFindingRecord
  | AssetRecord
  | DetectionRecord
  | ProjectRecord
  | RepositoryRecord
  | AuditLogEntryRecord;

export type CanonicalRecordType = CanonicalRecord["recordType"];

export const CANONICAL_RECORD_SCHEMAS: Readonly<Record<CanonicalRecordType, z.ZodObject>> = {
  issue: issueRecordSchema,
  threat: threatRecordSchema,
  vulnerabilityFinding: vulnerabilityFindingRecordSchema,
  configurationFinding: configurationFindingRecordSchema,
  asset: assetRecordSchema,
  detection: detectionRecordSchema,
  project: projectRecordSchema,
  repository: repositoryRecordSchema,
  auditLogEntry: auditLogEntryRecordSchema,
};

export const CANONICAL_RECORD_TYPES = Object.keys(CANONICAL_RECORD_SCHEMAS) as CanonicalRecordType[];
