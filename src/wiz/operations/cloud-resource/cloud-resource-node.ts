import type { GraphEntityType } from "../wiz-enums.js";

/** A cloudResources (v1) node as the cloud resource operations select it (XW's fields). */
export interface CloudResourceNode {
  id: string;
  name: string | null;
  type: GraphEntityType;
  nativeType: string | null;
  subscriptionId: string | null;
  subscriptionExternalId: string | null;
  subscriptionName: string | null;
  graphEntity: {
    id: string;
    providerUniqueId: string | null;
    name: string | null;
    type: GraphEntityType;
    properties: Record<string, unknown>;
    firstSeen: string | null;
    lastSeen: string | null;
    projects: Array<{ id: string }>;
  } | null;
}
