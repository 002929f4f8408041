import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { toListPage } from "../list-page.js";
import { pageArgs } from "../page-args.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { graphEntityQueryInput } from "./graph-entity-query.input.js";
import type { GraphSearchPage, GraphSearchResultNode } from "./graph-search-node.js";

const DOCUMENT = /* GraphQL */ `
  query RunGraphSearch($query: GraphEntityQueryInput, $projectId: String!, $first: Int, $after: String, $quick: Boolean) {
    graphSearch(query: $query, projectId: $projectId, first: $first, after: $after, quick: $quick) {
      totalCount
      maxCountReached
      pageInfo { hasNextPage endCursor }
      nodes { aggregateCount entities { id name type providerUniqueId properties } }
    }
  }
`;

type GraphSearchConnection = RelayConnection<GraphSearchResultNode> & { maxCountReached: boolean };

const connection = (data: unknown): GraphSearchConnection | null => (data as { graphSearch: GraphSearchConnection | null }).graphSearch;

export const runGraphSearchOperation = defineListOperation({
  resource: "graphSearch",
  name: "run",
  description: "Run a Security Graph query (graphSearch) with Wiz's query shape: type, where with upper-case operators, relationships.",
  input: z.strictObject({
    query: graphEntityQueryInput,
    /** "*" is every project. */
    projectId: z.string().min(1, { error: "must be a project UUID or \"*\" for all projects" }).default("*"),
    quick: z.boolean().optional(),
    ...pageArgs(500),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ query: input.query, projectId: input.projectId, quick: input.quick, first: input.first, after: input.after }),
  output: (data): GraphSearchPage => ({ ...toListPage(connection(data), "graphSearch.run"), maxCountReached: connection(data)?.maxCountReached ?? false }),
  connection,
  pageCap: 500,
});
