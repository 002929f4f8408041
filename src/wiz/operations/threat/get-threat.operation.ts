import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { issueNotFound } from "../issue/issue-not-found.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import type { ThreatDetails } from "./threat-node.js";

const DOCUMENT = /* GraphQL */ `
  query GetThreat($filterBy: IssueFilters, $filterScope: IssueFiltersScope) {
    issues: issuesV2(filterBy: $filterBy, filterScope: $filterScope, first: 1) {
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
          actors { id name type providerUniqueId }
          resources { id name type providerUniqueId }
          mainDetection { id severity startedAt description(format: MARKDOWN) ruleMatch { rule { id name origins } } }
          detections(first: 50) { totalCount nodes { id severity createdAt } }
        }
      }
    }
  }
`;

export const getThreatOperation = defineOperation({
  resource: "threat",
  name: "get",
  description: "Get one threat (a THREAT_DETECTION issue) by its UUID, with its actors, resources and first 50 detections.",
  input: z.strictObject({ id: wizUuid("threat issue") }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ filterBy: { id: [input.id], type: ["THREAT_DETECTION"] }, filterScope: "ALL_ISSUE_DETECTIONS" }),
  output: (data, input): ThreatDetails => {
    const threat = (data as { issues: { nodes: ThreatDetails[] } | null }).issues?.nodes[0];
    if (!threat) throw issueNotFound(input.id, "threat.get");
    return threat;
  },
});
