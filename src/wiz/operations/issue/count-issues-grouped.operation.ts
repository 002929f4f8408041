import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { ISSUE_FILTER_SCOPES, ISSUE_GROUP_BY_FIELDS } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import { issueFiltersInput, issueFilterVariables } from "./issue-filters.input.js";

// Backstage's count: only totalCount, e.g. groupBy RESOURCE = how many resources have issues.
const DOCUMENT = /* GraphQL */ `
  query CountIssuesGrouped($groupBy: IssuesGroupedByValueField!, $filterBy: IssueFilters, $filterScope: IssueFiltersScope) {
    issuesGroupedByValue(groupBy: $groupBy, filterBy: $filterBy, filterScope: $filterScope) { totalCount }
  }
`;

export const countIssuesGroupedOperation = defineOperation({
  resource: "issue",
  name: "groupedCount",
  description: "Count the distinct values (resources, projects, rules...) that the matching issues group under.",
  input: z.strictObject({
    groupBy: z.enum(ISSUE_GROUP_BY_FIELDS),
    filterBy: issueFiltersInput.optional(),
    filterScope: z.enum(ISSUE_FILTER_SCOPES).optional(),
  }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readIssues,
  variables: (input) => ({ groupBy: input.groupBy, filterBy: issueFilterVariables(input.filterBy), filterScope: input.filterScope }),
  output: (data, input) => ({
    groupBy: input.groupBy,
    totalCount: (data as { issuesGroupedByValue: { totalCount: number } | null }).issuesGroupedByValue?.totalCount ?? 0,
  }),
});
