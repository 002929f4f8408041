import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { ISSUE_RESOLUTION_REASONS, ISSUE_STATUSES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import type { UpdatedIssue } from "./issue-node.js";
import { updatedIssueOf } from "./updated-issue.js";

const DOCUMENT = /* GraphQL */ `
  mutation UpdateIssue($issueId: ID!, $patch: UpdateIssuePatch) {
    updateIssue(input: {id: $issueId, patch: $patch}) {
      issue {
        id status dueAt resolutionReason resolutionNote updatedAt
        notes { id createdAt updatedAt text user { id name email } serviceAccount { id name } }
      }
    }
  }
`;

// Patch semantics: a field is set or left alone, never cleared. A null is refused, not dropped, so a
// caller who meant "clear" learns that it would not have happened.
const refusingNull =
  (hint: string, otherwise?: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === null ? `cannot be null: update only sets fields (patch semantics); ${hint}` : otherwise;

const patch = {
  status: z.enum(ISSUE_STATUSES, { error: refusingNull("leave status out to keep it") }).optional(),
  note: z.string({ error: refusingNull("leave note out to add none") }).min(1, { error: "must not be empty" }).optional(),
  resolutionReason: z.enum(ISSUE_RESOLUTION_REASONS, { error: refusingNull("leave resolutionReason out to keep it") }).optional(),
  resolutionNote: z.string({ error: refusingNull("leave resolutionNote out to keep it") }).optional(),
  dueAt: z.iso
    .datetime({ error: refusingNull("to remove the due date use issue clearDueAt", "must be an ISO 8601 UTC date-time such as 2024-05-01T00:00:00.000Z") })
    .optional(),
};

const PATCH_FIELDS = Object.keys(patch) as Array<keyof typeof patch>;

export const updateIssueOperation = defineOperation({
  resource: "issue",
  name: "update",
  description:
    "Change an issue with patch semantics: set status, note, resolutionReason, resolutionNote or dueAt; null is refused (clear the due date with clearDueAt). Wiz resolves only THREAT_DETECTION issues by hand.",
  input: z
    .strictObject({ id: wizUuid("issue"), ...patch })
    .refine((given) => PATCH_FIELDS.some((field) => given[field] !== undefined), { error: `needs at least one of ${PATCH_FIELDS.join(", ")}` }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: ({ id, ...fields }) => ({ issueId: id, patch: fields }),
  output: (data): UpdatedIssue => updatedIssueOf(data, "issue.update"),
});
