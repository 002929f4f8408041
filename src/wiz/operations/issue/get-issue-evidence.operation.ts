import { defineOperation } from "../define-operation.js";
import type { ThreatDetails } from "../threat/threat-node.js";
import { SCOPES } from "../wiz-scopes.js";
import { issueIdFilterInput, issueIdHints, issueIdOf } from "./issue-id-filter.input.js";
import type { IssueNode } from "./issue-node.js";
import { issueNotFound } from "./issue-not-found.js";

// XW's evidence read: the issue's graph query, and for threats their detection details.
const DOCUMENT = /* GraphQL */ `
  query GetIssueEvidence($filterBy: IssueFilters) {
    issues: issuesV2(filterBy: $filterBy, first: 1) {
      nodes {
        id type
        evidenceQuery
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

export interface IssueEvidence {
  id: string;
  type: IssueNode["type"];
  /**
   * The graph query (a GraphEntityQueryInput) the issue was raised from: pass it as `query` to graphSearch run
   * with projectId "*" to walk the affected entities. Null when the issue has none.
   */
  evidenceQuery: Record<string, unknown> | null;
  /** For THREAT_DETECTION issues: actors, resources, the main detection and the first 50 detections; else null. */
  threatDetectionDetails: ThreatDetails["threatDetectionDetails"];
}

export const getIssueEvidenceOperation = defineOperation({
  resource: "issue",
  name: "getEvidence",
  description:
    "Get an issue's evidence (filterBy.id): its evidenceQuery (a graph query to pass to graphSearch run with projectId \"*\") and, for threat issues, threatDetectionDetails.",
  input: issueIdFilterInput,
  inputHints: issueIdHints("issue getEvidence"),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ filterBy: input.filterBy }),
  output: (data, input): IssueEvidence => {
    const issue = (data as { issues: { nodes: IssueEvidence[] } | null }).issues?.nodes[0];
    if (!issue) throw issueNotFound(issueIdOf(input), "issue.getEvidence");
    return { id: issue.id, type: issue.type, evidenceQuery: issue.evidenceQuery ?? null, threatDetectionDetails: issue.threatDetectionDetails ?? null };
  },
});
