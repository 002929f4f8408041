import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizResponseError } from "../../wiz-errors.js";
import type { IssueNoteNode } from "./issue-node.js";

const DOCUMENT = /* GraphQL */ `
  mutation CreateIssueNote($input: CreateIssueNoteInput!) {
    createIssueNote(input: $input) {
      issueNote { id createdAt updatedAt text user { id name email } serviceAccount { id name } }
    }
  }
`;

export const createIssueNoteOperation = defineOperation({
  resource: "issue",
  name: "createNote",
  description: "Add a note to an issue; the note is attributed to the service account.",
  input: z.strictObject({
    issueId: wizUuid("issue"),
    text: z.string().regex(/\S/, { error: "must contain some text" }),
  }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (input) => ({ input: { issueId: input.issueId, text: input.text } }),
  output: (data): IssueNoteNode => {
    const note = (data as { createIssueNote: { issueNote: IssueNoteNode | null } | null }).createIssueNote?.issueNote;
    if (!note) {
      throw new WizResponseError(
        { what: "Wiz accepted issue.createNote but returned no note.", cause: "an incomplete answer from Wiz.", fix: "read the issue's notes back with issue get before retrying." },
        { code: "EMPTY_MUTATION_RESULT", operationName: "issue.createNote", status: 200, retryable: false },
      );
    }
    return note;
  },
});
