import type { IssueNode } from "../issue/issue-node.js";
import type { DetectionOrigin, GraphEntityType, Severity } from "../wiz-enums.js";

/** A threat: a THREAT_DETECTION issue with the threat details XD selects. */
export interface ThreatNode extends IssueNode {
  threatDetectionDetails: {
    eventOrigin: DetectionOrigin | null;
    actorsTotalCount: number;
    resourcesTotalCount: number;
    mainDetection: {
      id: string;
      severity: Severity;
      startedAt: string | null;
      /** Markdown. */
      description: string | null;
      ruleMatch: { rule: { id: string; name: string | null; origins: DetectionOrigin[] } } | null;
    } | null;
    detections: { totalCount: number };
  } | null;
}

type Entity = { id: string; name: string | null; type: GraphEntityType | null; providerUniqueId: string | null };

/** threat get: the list fields plus actors, resources and the detections behind the threat. */
export interface ThreatDetails extends ThreatNode {
  threatDetectionDetails:
    | (NonNullable<ThreatNode["threatDetectionDetails"]> & {
        actors: Entity[];
        resources: Entity[];
        detections: { totalCount: number; nodes: Array<{ id: string; severity: Severity; createdAt: string }> };
      })
    | null;
}
