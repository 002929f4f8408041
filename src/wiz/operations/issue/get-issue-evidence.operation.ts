import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import type { GraphSearchPage, GraphSearchResultNode } from "../graph-search/graph-search-node.js";
import { toListPage } from "../list-page.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import type { RelayConnection } from "../../paginate.js";
import { issueNotFound } from "./issue-not-found.js";

const EVIDENCE_QUERY_DOCUMENT = /* GraphQL */ `
  query IssueEvidenceQuery($filterBy: IssueFilters) {
    issues: issuesV2(filterBy: $filterBy, first: 1) { nodes { id evidenceQuery } }
  }
`;

// XW's evidence call: the issue's own graph query, over all projects, quick mode, 5 rows.
const DOCUMENT = /* GraphQL */ `
  query IssueEvidence($query: GraphEntityQueryInput, $projectId: String!, $first: Int, $quick: Boolean) {
    graphSearch(query: $query, projectId: $projectId, first: $first, quick: $quick) {
      totalCount
      maxCountReached
      pageInfo { hasNextPage endCursor }
      nodes { aggregateCount entities { id name type providerUniqueId properties } }
    }
  }
`;

export interface IssueEvidence extends GraphSearchPage {
  issueId: string;
  /** The graph query the evidence comes from; null when the issue has none (then nothing is searched). */
  evidenceQuery: Record<string, unknown> | null;
}

type GraphSearchData = { graphSearch: (RelayConnection<GraphSearchResultNode> & { maxCountReached: boolean }) | null };

const input = z.strictObject({
  id: wizUuid("issue"),
  first: z.int().min(1).max(500, { error: "must be at most 500, the page cap of graphSearch" }).default(5),
});

// The second request's variables; execute adds $query from the issue.
function searchVariables(parsed: z.output<typeof input>): Record<string, unknown> {
  return { projectId: "*", quick: true, first: parsed.first };
}

function evidence(data: unknown, issueId: string, evidenceQuery: Record<string, unknown> | null): IssueEvidence {
  const connection = (data as GraphSearchData).graphSearch;
  return { issueId, evidenceQuery, ...toListPage(connection, "issue.getEvidence"), maxCountReached: connection?.maxCountReached ?? false };
}

export const getIssueEvidenceOperation = defineOperation({
  resource: "issue",
  name: "getEvidence",
  description:
    "Run an issue's evidence query (issue.evidenceQuery) through graphSearch across all projects: two requests, needing read:issues and read:resources.",
  input,
  document: DOCUMENT,
  mutating: false,
  // The scope of `document` (graphSearch); reading the evidence query first needs read:issues as well.
  scopes: SCOPES.readResources,
  variables: searchVariables,
  output: (data, parsed): IssueEvidence => evidence(data, parsed.id, null),
  async execute(parsed, context) {
    const found = await context.graphql<{ issues: { nodes: Array<{ id: string; evidenceQuery: Record<string, unknown> | null }> } | null }>(
      EVIDENCE_QUERY_DOCUMENT,
      { filterBy: { id: [parsed.id] } },
    );
    const issue = found.issues?.nodes[0];
    if (!issue) throw issueNotFound(parsed.id, "issue.getEvidence");
    if (!issue.evidenceQuery) return { issueId: parsed.id, evidenceQuery: null, nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, maxCountReached: false };
    const data = await context.graphql(DOCUMENT, { ...searchVariables(parsed), query: issue.evidenceQuery });
    return evidence(data, parsed.id, issue.evidenceQuery);
  },
});
