import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizResponseError } from "../../wiz-errors.js";
import type { IssueNoteNode } from "./issue-node.js";
import { issueNoteText } from "./issue-note-text.js";

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
  description:
    "Add a note to an issue (input {issueId, text}); every reader of the issue sees it, attributed to the service account. Notes longer than about 1,500 characters are refused.",
  input: z.strictObject({
    input: z.strictObject({ issueId: wizUuid("issue"), text: issueNoteText("input.text") }),
  }),
  inputHints: Object.freeze({
    issueId: 'issue createNote takes Wiz\'s variable shape: write {"input": {"issueId": "<uuid>", "text": "..."}}',
    text: 'issue createNote takes Wiz\'s variable shape: write {"input": {"issueId": "<uuid>", "text": "..."}}',
  }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (parsed) => ({ input: parsed.input }),
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
