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
  description: "Delete an issue note by its id (from issue get or createNote).",
  // Note ids are not documented as UUIDs (recorded tenants carry other shapes), so only emptiness is checked.
  input: z.strictObject({ id: opaqueId("issue note") }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.updateIssues,
  variables: (input) => ({ input: { id: input.id } }),
  output: (_data, input) => ({ id: input.id, deleted: true as const }),
});
