import { ApiError } from "../api/api-error";

/** A failed call shown as the server explained it: what happened, each field's problem, and the fix. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const body = error instanceof ApiError ? error.body : { error: "error", message: error instanceof Error ? error.message : String(error) };
  return (
    <div className="notice notice-bad" role="alert">
      <p>
        <strong>{title ?? "Failed"}:</strong> {body.message}
      </p>
      {"issues" in body && body.issues && body.issues.length > 1 ? (
        <ul>
          {body.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      {"fix" in body && body.fix ? (
        <p>
          <strong>Fix:</strong> {body.fix}
        </p>
      ) : null}
    </div>
  );
}
