import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";
import { graphProjectIdArgument, graphQueryArgument } from "./graph-search-args.input.js";
import type { GraphSearchResultNode } from "./graph-search-node.js";

// XW's lookup: the graph entity a query on providerUniqueId (or name) selects.
const DOCUMENT = /* GraphQL */ `
  query ResolveResourceGraphId($query: GraphEntityQueryInput, $projectId: String!, $first: Int) {
    graphSearch(query: $query, projectId: $projectId, first: $first) {
      nodes { entities { id name type providerUniqueId } }
    }
  }
`;

export interface ResolvedGraphId {
  /** The graph entity id (for issue filters' relatedEntity.id and graph queries). */
  id: string;
  name: string | null;
  type: string;
  providerUniqueId: string | null;
}

export const resolveResourceGraphIdOperation = defineOperation({
  resource: "graphSearch",
  name: "resolveResourceGraphID",
  description:
    'The Security Graph entity id of a resource: query filters by providerUniqueId or name, e.g. {"type": ["VIRTUAL_MACHINE"], "where": {"providerUniqueId": {"EQUALS": ["arn:..."]}}}; projectId is required ("*" for all).',
  input: z.strictObject({ query: graphQueryArgument, projectId: graphProjectIdArgument }),
  inputHints: Object.freeze({
    providerUniqueId: 'graphSearch resolveResourceGraphID takes a graph query: write {"query": {"type": ["CLOUD_RESOURCE"], "where": {"providerUniqueId": {"EQUALS": ["arn:..."]}}}, "projectId": "*"}',
  }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readResources,
  variables: (input) => ({ query: input.query, projectId: input.projectId, first: 1 }),
  output: (data, input): ResolvedGraphId => {
    const nodes = (data as { graphSearch: { nodes: GraphSearchResultNode[] } | null }).graphSearch?.nodes ?? [];
    const entity = nodes[0]?.entities.find((e) => e !== null);
    if (!entity) {
      throw new WizNotFoundError(
        {
          what: `No Security Graph entity matches ${JSON.stringify(input.query.where ?? input.query.type)} in project ${input.projectId}.`,
          cause: "a typo in the provider id or name, a resource Wiz has not scanned yet, or one outside the service account's scope.",
          fix: 'check the value with cloudResource list ({"filterBy": {"search": "..."}}) and use projectId "*" to search every project.',
        },
        { code: "NOT_FOUND", operationName: "graphSearch.resolveResourceGraphID", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return { id: entity.id, name: entity.name, type: entity.type, providerUniqueId: entity.providerUniqueId };
  },
});
