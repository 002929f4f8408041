import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import type { UpdatedIssue } from "./issue-node.js";
import { updatedIssueOf } from "./updated-issue.js";

// `override` replaces rather than merges, so it is the only way to null a field (XW's clear due date).
const DOCUMENT = /* GraphQL */ `
  mutation ClearIssueDueAt($issueId: ID!, $override: UpdateIssuePatch) {
    updateIssue(input: {id: $issueId, override: $override}) {
      issue {
        id status dueAt resolutionReason resolutionNote updatedAt
        notes { id createdAt updatedAt text user { id name email } serviceAccount { id name } }
      }
    }
  }
`;

export const clearIssueDueAtOperation = defineOperation({
  resource: "issue",
  name: "clearDueAt",
  description: "Remove an issue's due date (issueId; sends updateIssue with override {dueAt: null}, since update's patch cannot null a field).",
  input: z.strictObject({ issueId: wizUuid("issue") }),
  inputHints: Object.freeze({ id: 'issue clearDueAt takes {"issueId": "<uuid>"}' }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (input) => ({ issueId: input.issueId, override: { dueAt: null } }),
  output: (data): UpdatedIssue => updatedIssueOf(data, "issue.clearDueAt"),
});
