import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import type { PageInfo } from "../../paginate.js";
import { ISSUE_FILTER_SCOPES, ISSUE_GROUP_BY_FIELDS } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import { ISSUE_FILTER_HINTS, issueFiltersInput } from "./issue-filters.input.js";

// One node per group with its issue count (FS's shape, counters only); totalCount is the number of groups.
const DOCUMENT = /* GraphQL */ `
  query CountIssuesGrouped($groupBy: IssuesGroupedByValueField!, $filterBy: IssueFilters, $filterScope: IssueFiltersScope, $first: Int, $after: String) {
    issuesGroupedByValue(groupBy: $groupBy, filterBy: $filterBy, filterScope: $filterScope, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id issues { totalCount } }
    }
  }
`;

export interface IssueGroupCounts {
  groupBy: (typeof ISSUE_GROUP_BY_FIELDS)[number];
  /** How many groups match (e.g. resources with issues), across every page. */
  totalCount: number;
  /** Each group's value (OPEN, CRITICAL, a resource id...) and how many matching issues it holds. */
  groups: Array<{ value: string; count: number }>;
  pageInfo: Required<PageInfo>;
}

type GroupedData = {
  issuesGroupedByValue: {
    totalCount: number;
    pageInfo: PageInfo;
    nodes: Array<{ id: string; issues: { totalCount: number } | null }>;
  } | null;
};

export const countIssuesGroupedOperation = defineOperation({
  resource: "issue",
  name: "groupedCount",
  description: "Count issues per group (groupBy STATUS, SEVERITY or TYPE, or PROJECT, RESOURCE...) under an optional filterBy: one count per group value.",
  input: z.strictObject({
    groupBy: z.enum(ISSUE_GROUP_BY_FIELDS),
    filterBy: issueFiltersInput.optional(),
    filterScope: z.enum(ISSUE_FILTER_SCOPES).optional(),
    first: z.int().min(1).max(500, { error: "must be at most 500 groups per page" }).default(100),
    after: z.string().min(1, { error: "must be a cursor returned as pageInfo.endCursor" }).optional(),
  }),
  inputHints: ISSUE_FILTER_HINTS,
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ groupBy: input.groupBy, filterBy: input.filterBy, filterScope: input.filterScope, first: input.first, after: input.after }),
  output: (data, input): IssueGroupCounts => {
    const grouped = (data as GroupedData).issuesGroupedByValue;
    return {
      groupBy: input.groupBy,
      totalCount: grouped?.totalCount ?? 0,
      groups: (grouped?.nodes ?? []).map((node) => ({ value: node.id, count: node.issues?.totalCount ?? 0 })),
      pageInfo: { hasNextPage: grouped?.pageInfo.hasNextPage ?? false, endCursor: grouped?.pageInfo.endCursor ?? null },
    };
  },
});
