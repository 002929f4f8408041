import { WizNotFoundError } from "../../wiz-errors.js";

/** An issue id Wiz does not know; issuesV2 answers an empty page rather than NOT_FOUND. */
export function issueNotFound(id: string, operation: string): WizNotFoundError {
  return new WizNotFoundError(
    {
      what: `No issue with id ${id} is visible to this service account.`,
      cause: "the id belongs to another tenant or project scope, or the issue was deleted.",
      fix: "check the id (copy it from the issue URL or from issue list) and the service account's project scope.",
    },
    { code: "NOT_FOUND", operationName: operation, status: 200, retryable: false, mayHaveExecuted: false },
  );
}
