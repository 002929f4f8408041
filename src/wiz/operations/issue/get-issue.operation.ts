import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import type { IssueDetails } from "./issue-node.js";
import { issueIdFilterInput, issueIdHints, issueIdOf } from "./issue-id-filter.input.js";
import { issueNotFound } from "./issue-not-found.js";

// issuesV2 filtered by id is how public clients fetch one issue (XW); the singular `issue` root is unverified.
const DOCUMENT = /* GraphQL */ `
  query GetIssue($filterBy: IssueFilters) {
    issues: issuesV2(filterBy: $filterBy, first: 1) {
      nodes {
        id type status severity createdAt updatedAt statusChangedAt dueAt resolvedAt resolutionReason resolutionNote url
        evidenceQuery environments
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

export const getIssueOperation = defineOperation({
  resource: "issue",
  name: "get",
  description: "Get one issue by its UUID (filterBy.id), with its evidence query, notes, tickets and resource snapshot.",
  input: issueIdFilterInput,
  inputHints: issueIdHints("issue get"),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ filterBy: input.filterBy }),
  output: (data, input): IssueDetails => {
    const issue = (data as { issues: { nodes: IssueDetails[] } | null }).issues?.nodes[0];
    if (!issue) throw issueNotFound(issueIdOf(input), "issue.get");
    return issue;
  },
});
