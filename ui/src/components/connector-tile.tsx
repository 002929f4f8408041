import { useState } from "react";
import { roleAllows } from "../api/roles";
import { Link } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiMutation } from "../app/use-api";
import { useApiRoutes } from "../app/use-api-routes";
import { apiPath } from "../api/api-client";
import { isReadOnly, lastError, lastSuccessfulSync, latestRecordsPerStream, type ConnectorView } from "../logic/connector-view";
import { CheckResults, type CheckReport } from "./check-results";
import { ConfirmButton } from "./confirm-button";
import { ErrorNotice } from "./error-notice";
import { StateBadge } from "./state-badge";

/** What DELETE /api/connectors/:id answers: what was removed and how to revoke the service account at Wiz. */
interface DisconnectAnswer {
  disconnected: string;
  credentialsDeleted?: number;
  removed?: { cursors: number; outbox: number; deadLetters: number; runs: number };
  revoke?: string;
}

/** The sentence shown after a disconnect: what is gone here, and what is left to do in Wiz. */
export function disconnectedMessage(answer: DisconnectAnswer): string {
  const removed = answer.removed ? ` and its ${answer.removed.cursors} cursor(s), ${answer.removed.outbox} waiting event(s), ${answer.removed.runs} run(s)` : "";
  return `Disconnected ${answer.disconnected}: ${answer.credentialsDeleted ?? 0} stored credential(s) deleted${removed}. ${answer.revoke ?? ""}`.trim();
}

/**
 * One connector as an integration tile: its state in colour and words, last successful sync, records per
 * stream, the last error with its fix, and the buttons the signed-in role may press.
 */
export function ConnectorTile({ connector, onNotice }: { connector: ConnectorView; /** Told what happened when the tile itself goes away (disconnect). */ onNotice?: (text: string) => void }) {
  const { role } = useSession();
  const routes = useApiRoutes();
  const [message, setMessage] = useState<string | undefined>(undefined);
  const id = connector.id;
  const invalidate = ["/api/connectors", "/api/sinks"];
  const test = useApiMutation<CheckReport>("POST", () => apiPath`/api/connectors/${id}/test`);
  const sync = useApiMutation<{ message: string }>("POST", () => apiPath`/api/connectors/${id}/sync`, { bodyOf: () => ({}), invalidate });
  const toggle = useApiMutation<unknown, "enable" | "disable">("POST", (action) => `${apiPath`/api/connectors/${id}`}/${action}`, { invalidate });
  const disconnect = useApiMutation<DisconnectAnswer>("DELETE", () => apiPath`/api/connectors/${id}`, { invalidate });
  const readOnly = isReadOnly(connector);
  const error = lastError(connector);
  const synced = lastSuccessfulSync(connector);
  const records = latestRecordsPerStream(connector);
  const headingId = `tile-${id}`;
  const failure = test.error ?? sync.error ?? toggle.error ?? disconnect.error;

  return (
    <article className="tile" aria-labelledby={headingId} data-connector={id}>
      <header>
        <h2 id={headingId}>
          <Link to={apiPath`/connectors/${id}`}>{id}</Link>
        </h2>
        <StateBadge state={connector.state} />
      </header>
      <dl className="facts">
        <dt>Source</dt>
        <dd>{readOnly ? "config file (read-only here)" : "added in the console"}</dd>
        <dt>Last successful sync</dt>
        <dd data-testid="last-sync">{synced ?? "never"}</dd>
        {connector.nextRunAt ? (
          <>
            <dt>Next run</dt>
            <dd>{connector.nextRunAt}</dd>
          </>
        ) : null}
        <dt>Outbox backlog</dt>
        <dd>{connector.outboxBacklog ?? 0}</dd>
      </dl>
      <table className="compact">
        <caption>Records per stream (latest run)</caption>
        <thead>
          <tr>
            <th scope="col">Stream</th>
            <th scope="col">Records</th>
            <th scope="col">Run</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.stream} data-stream={r.stream}>
              <td>{r.stream}</td>
              <td className="number" data-testid={`records-${r.stream}`}>
                {r.records}
              </td>
              <td>{r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? (
        <div className="notice notice-bad" data-testid="last-error">
          <p>
            <strong>Last error ({error.code}):</strong> {error.message}
          </p>
          {error.fix ? (
            <p>
              <strong>Fix:</strong> {error.fix}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        {roleAllows(role, "operator") ? (
          <>
            {routes.has("POST", "/api/connectors/{id}/test") ? (
              <button type="button" disabled={test.isPending} onClick={() => test.mutate(undefined)}>
                {test.isPending ? "Testing…" : "Test"}
              </button>
            ) : null}
            <button type="button" disabled={sync.isPending || connector.enabled === false} onClick={() => sync.mutate(undefined, { onSuccess: (answer) => setMessage(answer.message) })}>
              Sync now
            </button>
          </>
        ) : null}
        {roleAllows(role, "admin") && !readOnly && routes.has("DELETE", "/api/connectors/{id}") ? (
          <>
            {connector.enabled === false ? (
              <button type="button" onClick={() => toggle.mutate("enable", { onSuccess: () => setMessage(`${id} is enabled.`) })}>
                Enable
              </button>
            ) : (
              <button type="button" onClick={() => toggle.mutate("disable", { onSuccess: () => setMessage(`${id} is disabled: it does not sync until enabled.`) })}>
                Disable
              </button>
            )}
            <ConfirmButton
              label="Disconnect"
              question={`Disconnect ${id}? It stops, and its stored credentials and cursors are deleted.`}
              confirmLabel="Yes, disconnect"
              onConfirm={() => disconnect.mutate(undefined, { onSuccess: (answer) => (onNotice ?? setMessage)(disconnectedMessage(answer)) })}
            />
          </>
        ) : null}
        {readOnly && roleAllows(role, "admin") ? <span className="muted">Defined in the config file: edit the file to disable or remove it.</span> : null}
      </div>
      {message ? (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      ) : null}
      <ErrorNotice error={failure} />
      {test.data ? <CheckResults report={test.data} caption={`Connection checks of ${id}`} /> : null}
    </article>
  );
}
