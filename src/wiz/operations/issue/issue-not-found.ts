import { WizNotFoundError } from "../../wiz-errors.js";

/** An issue id Wiz does not show; issuesV2 answers an empty page rather than NOT_FOUND, so both causes are named. */
export function issueNotFound(id: string, operation: string): WizNotFoundError {
  return new WizNotFoundError(
    {
      what: `No issue with id ${id} is visible to this service account.`,
      cause: "either no issue has that id (a typo, another tenant, a deleted issue), or the service account cannot see it (the issue is in a project outside its scope).",
      fix: "check the id (copy it from the issue URL or from issue list) and the service account's project scope in Wiz.",
    },
    { code: "NOT_FOUND", operationName: operation, status: 200, retryable: false, mayHaveExecuted: false },
  );
}
