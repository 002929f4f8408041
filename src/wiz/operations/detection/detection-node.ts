import type { CloudPlatform, DetectionOrigin, DetectionType, GraphEntityType, Severity } from "../wiz-enums.js";

/** A detection as detection list selects it (Wiz Defend, XD and Elastic's fields). */
export interface DetectionNode {
  id: string;
  type: DetectionType;
  status: "OPEN" | "IN_PROGRESS" | "CLOSED" | "REJECTED" | null;
  origins: DetectionOrigin[];
  severity: Severity;
  /** Markdown. */
  description: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  issue: { id: string; url: string } | null;
  ruleMatch: { rule: { id: string; name: string | null; sourceType: string | null } } | null;
  primaryResource: { id: string; type: GraphEntityType | null; name: string | null; externalId: string | null; region: string | null; providerUniqueId: string | null } | null;
  primaryActor: { id: string; name: string | null; type: GraphEntityType | null } | null;
  cloudAccounts: Array<{ id: string; name: string | null; externalId: string | null; cloudProvider: CloudPlatform | null }>;
  /** The first 10 triggering events; absent when listed with includeTriggeringEvents false. */
  triggeringEvents?: TriggeringEvents;
}

export interface TriggeringEvents {
  totalCount: number;
  nodes: Array<{ id: string; name: string | null; timestamp: string; origin: DetectionOrigin | null; category: string | null; actorIP: string | null }>;
}

/** detection get: the list fields plus actors, resources and the first triggering events. */
export interface DetectionDetails extends DetectionNode {
  actors: Array<{ id: string; name: string | null; type: GraphEntityType | null; providerUniqueId: string | null }>;
  resources: Array<{ id: string; name: string | null; type: GraphEntityType | null; providerUniqueId: string | null }>;
  triggeringEvents: TriggeringEvents;
}
