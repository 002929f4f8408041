import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { toListPage } from "../list-page.js";
import { pageArgs } from "../page-args.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { graphProjectIdArgument, graphQueryArgument } from "./graph-search-args.input.js";
import type { GraphSearchPage, GraphSearchResultNode } from "./graph-search-node.js";

// XW's graph search: counts, exposure paths, issue analytics, lateral movement and Kubernetes paths on request.
const DOCUMENT = /* GraphQL */ `
  query RunGraphSearch(
    $query: GraphEntityQueryInput
    $projectId: String!
    $first: Int
    $after: String
    $quick: Boolean = true
    $fetchTotalCount: Boolean = false
    $fetchPublicExposurePaths: Boolean = false
    $fetchInternalExposurePaths: Boolean = false
    $fetchIssueAnalytics: Boolean = false
    $fetchLateralMovement: Boolean = false
    $fetchKubernetes: Boolean = false
  ) {
    graphSearch(query: $query, projectId: $projectId, first: $first, after: $after, quick: $quick) {
      totalCount @include(if: $fetchTotalCount)
      maxCountReached @include(if: $fetchTotalCount)
      pageInfo { hasNextPage endCursor }
      nodes {
        aggregateCount
        entities {
          ...GraphSearchEntity
          publicExposures(first: 10) @include(if: $fetchPublicExposurePaths) { nodes { ...GraphSearchExposure } }
          otherSubscriptionExposures(first: 10) @include(if: $fetchInternalExposurePaths) { nodes { ...GraphSearchExposure } }
          otherVnetExposures(first: 10) @include(if: $fetchInternalExposurePaths) { nodes { ...GraphSearchExposure } }
          lateralMovementPaths(first: 10) @include(if: $fetchLateralMovement) { nodes { id pathEntities { entity { ...GraphSearchEntity } } } }
          kubernetesPaths(first: 10) @include(if: $fetchKubernetes) { nodes { id path { ...GraphSearchEntity } } }
        }
      }
    }
  }

  fragment GraphSearchEntity on GraphEntity {
    id name type providerUniqueId properties
    issueAnalytics: issues(filterBy: { status: [IN_PROGRESS, OPEN] }) @include(if: $fetchIssueAnalytics) {
      criticalSeverityCount highSeverityCount mediumSeverityCount lowSeverityCount informationalSeverityCount
    }
  }

  fragment GraphSearchExposure on NetworkExposure {
    id portRange sourceIpRange destinationIpRange
    path { id name type }
    applicationEndpoints { id name type }
  }
`;

type GraphSearchConnection = RelayConnection<GraphSearchResultNode> & { maxCountReached?: boolean };

const connection = (data: unknown): GraphSearchConnection | null => (data as { graphSearch: GraphSearchConnection | null }).graphSearch;

const flag = (what: string) => z.boolean().default(false).describe(what);

export const runGraphSearchOperation = defineListOperation({
  resource: "graphSearch",
  name: "run",
  description:
    "Run a Security Graph query (graphSearch): query (a GraphEntityQueryInput, e.g. issue getEvidence's evidenceQuery, as an object or its JSON text) and projectId (required; \"*\" for all); fetch* flags add counts, exposure and lateral-movement paths.",
  input: z.strictObject({
    query: graphQueryArgument,
    projectId: graphProjectIdArgument,
    ...pageArgs(500),
    fetchTotalCount: flag("adds totalCount and maxCountReached"),
    quick: z.boolean().default(true).describe("false runs the exhaustive search"),
    fetchPublicExposurePaths: flag("adds up to 10 public exposure paths per entity"),
    fetchInternalExposurePaths: flag("adds up to 10 exposures from other subscriptions and VNets per entity"),
    fetchIssueAnalytics: flag("adds each entity's open issue counts per severity (issueAnalytics)"),
    fetchLateralMovement: flag("adds up to 10 lateral movement paths per entity"),
    fetchKubernetes: flag("adds up to 10 Kubernetes paths per entity"),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ ...input }),
  output: (data): GraphSearchPage => {
    const found = connection(data);
    const page: GraphSearchPage = toListPage(found, "graphSearch.run");
    if (typeof found?.maxCountReached === "boolean") page.maxCountReached = found.maxCountReached;
    return page;
  },
  connection,
  pageCap: 500,
});
