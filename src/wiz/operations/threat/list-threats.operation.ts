import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { THREAT_FILTER_HINTS, threatFiltersInput, threatOrderInput } from "./threat-filters.input.js";
import type { ThreatNode } from "./threat-node.js";

const DOCUMENT = /* GraphQL */ `
  query ListThreats($filterBy: IssueFilters, $filterScope: IssueFiltersScope, $first: Int, $after: String, $orderBy: IssueOrder) {
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
        threatDetectionDetails {
          eventOrigin actorsTotalCount resourcesTotalCount
          mainDetection { id severity startedAt description(format: MARKDOWN) ruleMatch { rule { id name origins } } }
          detections(first: 0) { totalCount }
        }
      }
    }
  }
`;

export const listThreatsOperation = defineListOperation({
  resource: "threat",
  name: "list",
  description:
    "List threats: THREAT_DETECTION issues over all their detections (filterScope ALL_ISSUE_DETECTIONS), newest first. Filters as XD sends them: bare lists, scalar id and project, eventOrigin {equals}, relatedEntity.cloudPlatform nested.",
  input: z.strictObject({
    filterBy: threatFiltersInput.optional(),
    orderBy: threatOrderInput.optional(),
    ...pageArgs(500, 250),
  }),
  inputHints: THREAT_FILTER_HINTS,
  document: DOCUMENT,
  scopes: SCOPES.readIssues,
  variables: (input) => ({
    filterBy: { ...input.filterBy, type: ["THREAT_DETECTION"] },
    filterScope: "ALL_ISSUE_DETECTIONS",
    orderBy: input.orderBy ?? { field: "CREATED_AT", direction: "DESC" },
    first: input.first,
    after: input.after,
  }),
  connection: (data) => (data as { issues: RelayConnection<ThreatNode> | null }).issues,
  pageCap: 500,
});
