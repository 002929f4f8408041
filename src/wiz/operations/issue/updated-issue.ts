import { WizResponseError } from "../../wiz-errors.js";
import type { UpdatedIssue } from "./issue-node.js";

/** The issue updateIssue answers with; Wiz sends it for every successful update. */
export function updatedIssueOf(data: unknown, operation: string): UpdatedIssue {
  const issue = (data as { updateIssue: { issue: UpdatedIssue | null } | null }).updateIssue?.issue;
  if (!issue) {
    throw new WizResponseError(
      {
        what: `Wiz accepted ${operation} but returned no issue.`,
        cause: "an incomplete answer from Wiz; the change may or may not have been applied.",
        fix: "read the issue back with issue get before retrying.",
      },
      { code: "EMPTY_MUTATION_RESULT", operationName: operation, status: 200, retryable: false },
    );
  }
  return issue;
}
