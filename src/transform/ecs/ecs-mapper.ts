import type { CanonicalRecord } from "../../model/canonical/index.js";
import type { RawNode } from "../normalisers/raw-fields.js";
import { auditLogEntryEcs } from "./audit-log-entry.ecs.js";
import { configurationFindingEcs } from "./configuration-finding.ecs.js";
import { detectionEcs } from "./detection.ecs.js";
import type { EcsDocument } from "./ecs-fields.js";
import { assetEcs, projectEcs, repositoryEcs } from "./inventory.ecs.js";
import { issueEcs } from "./issue.ecs.js";
import { vulnerabilityEcs } from "./vulnerability.ecs.js";

export { ECS_VERSION, type EcsDocument } from "./ecs-fields.js";

export interface EcsOptions {
  /** RFC 3339: when wizbridge read the record (the @timestamp of records that carry no time). */
  observedAt: string;
  /** The untouched Wiz node: Elastic's pipelines read fields the canonical record does not keep (url parts, note authors...). */
  raw: RawNode;
}

/**
 * A record as the ECS document Elastic's own Wiz integration (elastic/integrations, packages/wiz) writes for it:
 * the same ECS fields with the same values for the issue, vulnerability, cloud configuration finding, audit
 * and Defend streams, except the differences docs/output-profiles.md lists; Wiz-only facts under `wiz.*`.
 */
export function toEcs(record: CanonicalRecord, options: EcsOptions): EcsDocument {
  const { raw, observedAt } = options;
  switch (record.recordType) {
    case "vulnerabilityFinding":
      return vulnerabilityEcs(record, raw, observedAt);
    case "issue":
    case "threat":
      return issueEcs(record, raw, observedAt);
    case "configurationFinding":
      return configurationFindingEcs(record, raw, observedAt);
    case "detection":
      return detectionEcs(record, raw, observedAt);
    case "auditLogEntry":
      return auditLogEntryEcs(record, raw, observedAt);
    case "asset":
      return assetEcs(record, observedAt);
    case "repository":
      return repositoryEcs(record, observedAt);
    case "project":
      return projectEcs(record, observedAt);
  }
}
