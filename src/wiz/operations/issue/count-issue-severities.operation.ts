import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { ISSUE_FILTER_SCOPES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import { ISSUE_FILTER_HINTS, issueFiltersInput } from "./issue-filters.input.js";

// Backstage's IssueCounts: the connection's counters only, no nodes.
const DOCUMENT = /* GraphQL */ `
  query IssueSeverityCounts($filterBy: IssueFilters, $filterScope: IssueFiltersScope) {
    issues: issuesV2(filterBy: $filterBy, filterScope: $filterScope) { ...IssueCounts }
  }

  fragment IssueCounts on IssueConnection {
    totalCount
    criticalSeverityCount
    highSeverityCount
    mediumSeverityCount
    lowSeverityCount
    informationalSeverityCount
  }
`;

export interface IssueSeverityCounts {
  totalCount: number;
  criticalSeverityCount: number;
  highSeverityCount: number;
  mediumSeverityCount: number;
  lowSeverityCount: number;
  informationalSeverityCount: number;
}

export const countIssueSeveritiesOperation = defineOperation({
  resource: "issue",
  name: "severityCounts",
  description: "Count open and in-progress issues per severity; other filters narrow it (a given status replaces the default).",
  input: z.strictObject({
    filterBy: issueFiltersInput.optional(),
    filterScope: z.enum(ISSUE_FILTER_SCOPES).optional(),
  }),
  inputHints: ISSUE_FILTER_HINTS,
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ filterBy: { status: ["OPEN", "IN_PROGRESS"], ...input.filterBy }, filterScope: input.filterScope }),
  output: (data): IssueSeverityCounts => {
    const counts = (data as { issues: IssueSeverityCounts | null }).issues;
    return {
      totalCount: counts?.totalCount ?? 0,
      criticalSeverityCount: counts?.criticalSeverityCount ?? 0,
      highSeverityCount: counts?.highSeverityCount ?? 0,
      mediumSeverityCount: counts?.mediumSeverityCount ?? 0,
      lowSeverityCount: counts?.lowSeverityCount ?? 0,
      informationalSeverityCount: counts?.informationalSeverityCount ?? 0,
    };
  },
});
