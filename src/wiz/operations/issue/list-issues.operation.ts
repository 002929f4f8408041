import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { ISSUE_FILTER_SCOPES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import { ISSUE_FILTER_HINTS, issueFiltersInput, issueOrderInput } from "./issue-filters.input.js";
import type { IssueNode } from "./issue-node.js";

const DOCUMENT = /* GraphQL */ `
  query ListIssues($filterBy: IssueFilters, $filterScope: IssueFiltersScope, $first: Int, $after: String, $orderBy: IssueOrder) {
    issues: issuesV2(filterBy: $filterBy, filterScope: $filterScope, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id type status severity createdAt updatedAt statusChangedAt dueAt resolvedAt resolutionReason resolutionNote url
        sourceRule { __typename id name }
        entitySnapshot {
          id type nativeType name status cloudPlatform providerId region subscriptionId subscriptionExternalId subscriptionName externalId
        }
        projects { id name slug }
        notes { id createdAt updatedAt text user { id name email } serviceAccount { id name } }
        serviceTickets { id externalId name url }
      }
    }
  }
`;

export const listIssuesOperation = defineListOperation({
  resource: "issue",
  name: "list",
  description:
    "List issues (issuesV2) with Wiz's issue filters: bare lists for status, severity and type, createdAt {after, before} in ISO 8601, relatedEntity {id, type}; orderBy {field, direction}.",
  input: z.strictObject({
    filterBy: issueFiltersInput.optional(),
    filterScope: z.enum(ISSUE_FILTER_SCOPES).optional(),
    orderBy: issueOrderInput.optional(),
    ...pageArgs(500),
  }),
  inputHints: ISSUE_FILTER_HINTS,
  document: DOCUMENT,
  scopes: SCOPES.readIssues,
  variables: (input) => ({
    filterBy: input.filterBy,
    filterScope: input.filterScope,
    orderBy: input.orderBy,
    first: input.first,
    after: input.after,
  }),
  connection: (data) => (data as { issues: RelayConnection<IssueNode> | null }).issues,
  pageCap: 500,
});
