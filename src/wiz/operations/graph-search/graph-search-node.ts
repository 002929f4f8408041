import type { GraphEntityType } from "../wiz-enums.js";
import type { ListPage } from "../list-page.js";

/** A graph entity as the graphSearch operations select it. */
export interface GraphEntityNode {
  id: string;
  name: string | null;
  type: GraphEntityType;
  providerUniqueId: string | null;
  /** Free-form (_vertexID, externalId, region, cloudPlatform...). */
  properties: Record<string, unknown>;
}

/** One row: an entity per selected query block (null where an optional block matched nothing). */
export interface GraphSearchResultNode {
  aggregateCount: number | null;
  entities: Array<GraphEntityNode | null>;
}

export interface GraphSearchPage extends ListPage<GraphSearchResultNode> {
  /** True when totalCount hit Wiz's count cap; present with fetchTotalCount. */
  maxCountReached?: boolean;
}
