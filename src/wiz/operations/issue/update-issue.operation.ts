import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { ISSUE_RESOLUTION_REASONS, ISSUE_STATUSES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizInputError } from "../../wiz-errors.js";
import type { UpdatedIssue } from "./issue-node.js";
import { issueNotFound } from "./issue-not-found.js";
import { issueNoteText } from "./issue-note-text.js";
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

// Resolving by hand is for THREAT_DETECTION issues only (XW); the type is read first so the refusal says why.
const TYPE_DOCUMENT = /* GraphQL */ `
  query IssueTypeBeforeResolve($filterBy: IssueFilters) {
    issues: issuesV2(filterBy: $filterBy, first: 1) { nodes { id type } }
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
  note: issueNoteText("patch.note", z.string({ error: refusingNull("leave note out to add none") })).optional(),
  resolutionReason: z.enum(ISSUE_RESOLUTION_REASONS, { error: refusingNull("leave resolutionReason out to keep it") }).optional(),
  resolutionNote: z.string({ error: refusingNull("leave resolutionNote out to keep it") }).optional(),
  dueAt: z.iso
    .datetime({ error: refusingNull("to remove the due date use issue clearDueAt ({\"issueId\": \"...\"})", "must be an ISO 8601 UTC date-time such as 2024-05-01T00:00:00.000Z") })
    .optional(),
};

const PATCH_FIELDS = Object.keys(patch) as Array<keyof typeof patch>;

const input = z.strictObject({
  issueId: wizUuid("issue"),
  patch: z.strictObject(patch).refine((given) => PATCH_FIELDS.some((field) => given[field] !== undefined), { error: `needs at least one of ${PATCH_FIELDS.join(", ")}` }),
});

function resolveRefused(issueId: string, type: string): WizInputError {
  return new WizInputError(
    {
      what: `Issue ${issueId} is a ${type} issue, and Wiz resolves only THREAT_DETECTION issues by hand.`,
      cause: "other issues close by themselves when Wiz's next scan sees the cause fixed.",
      fix: 'fix the cause and let Wiz resolve it, or set {"status": "REJECTED", "resolutionReason": "WONT_FIX"} (or another reason) with a note; nothing was changed.',
    },
    { code: "RESOLVE_NOT_ALLOWED", operationName: "issue.update", path: "patch.status", mayHaveExecuted: false },
  );
}

export const updateIssueOperation = defineOperation({
  resource: "issue",
  name: "update",
  description:
    "Change an issue with patch semantics: issueId plus patch {status, note, resolutionReason, dueAt}; only given fields change and null is refused (clear the due date with clearDueAt). Only THREAT_DETECTION issues can be set RESOLVED.",
  input,
  inputHints: Object.freeze({
    id: 'issue update takes {"issueId": "<uuid>", "patch": {...}}',
    status: 'the new status goes in the patch: {"issueId": "<uuid>", "patch": {"status": "IN_PROGRESS"}}',
    note: 'the note goes in the patch: {"issueId": "<uuid>", "patch": {"note": "..."}}',
    dueAt: 'the due date goes in the patch: {"issueId": "<uuid>", "patch": {"dueAt": "2030-01-01T00:00:00Z"}}',
  }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (parsed) => ({ issueId: parsed.issueId, patch: parsed.patch }),
  output: (data): UpdatedIssue => updatedIssueOf(data, "issue.update"),
  async execute(parsed, context) {
    if (parsed.patch.status === "RESOLVED") {
      const found = await context.graphql<{ issues: { nodes: Array<{ id: string; type: string }> } | null }>(TYPE_DOCUMENT, { filterBy: { id: parsed.issueId } });
      const issue = found.issues?.nodes[0];
      if (!issue) throw issueNotFound(parsed.issueId, "issue.update");
      if (issue.type !== "THREAT_DETECTION") throw resolveRefused(parsed.issueId, issue.type);
    }
    const data = await context.graphql(DOCUMENT, { issueId: parsed.issueId, patch: parsed.patch }, { mutating: true });
    return updatedIssueOf(data, "issue.update");
  },
});
