import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";
import type { GraphSearchResultNode } from "./graph-search-node.js";

// XW's lookup: a provider id (ARN, Azure resource id...) to the Security Graph entity id.
const DOCUMENT = /* GraphQL */ `
  query ResolveResourceGraphId($query: GraphEntityQueryInput, $projectId: String!, $first: Int) {
    graphSearch(query: $query, projectId: $projectId, first: $first) {
      nodes { entities { id name type providerUniqueId } }
    }
  }
`;

export interface ResolvedGraphId {
  providerUniqueId: string;
  /** The graph entity id (for issue filters' relatedEntity.id and graph queries). */
  id: string;
  name: string | null;
  type: string;
}

export const resolveResourceGraphIdOperation = defineOperation({
  resource: "graphSearch",
  name: "resolveResourceGraphID",
  description: "Find the Security Graph entity id of a cloud resource from its provider unique id (providerUniqueId EQUALS).",
  input: z.strictObject({ providerUniqueId: z.string().min(1, { error: "must be the provider's id of the resource (ARN, Azure resource id...)" }) }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readResources,
  variables: (input) => ({
    query: { type: ["CLOUD_RESOURCE"], select: true, where: { providerUniqueId: { EQUALS: [input.providerUniqueId] } } },
    projectId: "*",
    first: 1,
  }),
  output: (data, input): ResolvedGraphId => {
    const nodes = (data as { graphSearch: { nodes: GraphSearchResultNode[] } | null }).graphSearch?.nodes ?? [];
    const entity = nodes[0]?.entities.find((e) => e !== null);
    if (!entity) {
      throw new WizNotFoundError(
        {
          what: `No Security Graph resource has the provider id ${input.providerUniqueId}.`,
          cause: "a typo, a resource Wiz has not scanned yet, or one outside the service account's scope.",
          fix: "check the id with cloudResource list --search.",
        },
        { code: "NOT_FOUND", operationName: "graphSearch.resolveResourceGraphID", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return { providerUniqueId: input.providerUniqueId, id: entity.id, name: entity.name, type: entity.type };
  },
});
