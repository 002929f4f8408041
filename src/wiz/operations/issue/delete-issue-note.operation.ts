import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { opaqueId } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";

const DOCUMENT = /* GraphQL */ `
  mutation DeleteIssueNote($input: DeleteIssueNoteInput!) {
    deleteIssueNote(input: $input) { _stub }
  }
`;

export const deleteIssueNoteOperation = defineOperation({
  resource: "issue",
  name: "deleteNote",
  description: "Delete an issue note for good: input {id} with the note's id (from issue get or createNote).",
  // Note ids are not documented as UUIDs (recorded tenants carry other shapes), so only emptiness is checked.
  input: z.strictObject({ input: z.strictObject({ id: opaqueId("issue note") }) }),
  inputHints: Object.freeze({ id: 'issue deleteNote takes Wiz\'s variable shape: write {"input": {"id": "<note id>"}}' }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (parsed) => ({ input: parsed.input }),
  output: (_data, parsed) => ({ id: parsed.input.id, deleted: true as const }),
});
