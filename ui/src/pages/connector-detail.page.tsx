import { useState } from "react";
import { apiPath } from "../api/api-client";
import { roleAllows } from "../api/roles";
import { Link } from "../app/router";
import { useSession } from "../app/session-context";
import { useApiMutation, useApiQuery } from "../app/use-api";
import { useApiRoutes } from "../app/use-api-routes";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { RecordsChart } from "../components/records-chart";
import { StateBadge, StatusBadge } from "../components/state-badge";
import { ConnectorTile } from "../components/connector-tile";
import type { ConnectorView, RunSummary } from "../logic/connector-view";
import { SeverityCounts } from "../components/severity-counts";

interface DeadLetter {
  id: number;
  sink: string;
  stream: string;
  eventId: string;
  reason: string;
  failedAt: string;
}

/**
 * One connector: its tile, run history with a chart of records per stream, open issues by severity from Wiz,
 * outbox and sink backlog, dead letters with replay, cursors and a full resync per stream.
 */
export function ConnectorDetailPage({ id }: { id: string }) {
  const { role } = useSession();
  const [message, setMessage] = useState<string | undefined>(undefined);
  const detail = useApiQuery<ConnectorView>(apiPath`/api/connectors/${id}`, { refreshMs: 3000 });
  const routes = useApiRoutes();
  const runs = useApiQuery<{ runs: RunSummary[] }>(routes.has("GET", "/api/connectors/{id}/runs") ? `${apiPath`/api/connectors/${id}/runs`}?limit=50` : undefined, { refreshMs: 5000 });
  const deadLetters = useApiQuery<{ deadLetters: DeadLetter[] }>(apiPath`/api/connectors/${id}/dead-letters`, { refreshMs: 5000 });
  const replay = useApiMutation<{ replayed: number }, string>("POST", (sink) => apiPath`/api/connectors/${id}/sinks/${sink}/replay`, { invalidate: [apiPath`/api/connectors/${id}`] });
  const resync = useApiMutation<{ message: string }, string>("POST", () => apiPath`/api/connectors/${id}/sync`, { bodyOf: (stream) => ({ streams: [stream], full: true }), invalidate: [apiPath`/api/connectors/${id}`] });

  if (detail.isPending) return <Loading what={`connector ${id}`} />;
  if (!detail.data) return <ErrorNotice error={detail.error} title={`Could not load connector ${id}`} />;
  const connector = detail.data;
  // The runs route gives a longer history; the detail's own 20 runs serve while it is missing.
  const history = runs.data?.runs ?? connector.runs ?? [];
  const letters = deadLetters.data?.deadLetters ?? [];
  const lettersBySink = [...new Set(letters.map((l) => l.sink))];

  return (
    <section>
      <PageHeading>
        Connector {id} <StateBadge state={connector.state} />
      </PageHeading>
      <p>
        <Link to="/">Back to the integrations</Link>
      </p>
      {message ? (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      ) : null}
      <ErrorNotice error={replay.error ?? resync.error} />
      <div className="two-columns">
        <ConnectorTile connector={connector} />
        <SeverityCounts connector={id} />
      </div>

      <h2>Records per stream over time</h2>
      <RecordsChart runs={history} />

      <h2>Run history</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Run history">
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Trigger</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Pages</th>
              <th scope="col">Records per stream</th>
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {history.map((run) => (
              <tr key={run.id}>
                <td>{run.id}</td>
                <td>{run.trigger}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.startedAt}</td>
                <td>{run.endedAt ?? "running"}</td>
                <td className="number">{run.streams.reduce((n, s) => n + s.pages, 0)}</td>
                <td>{run.streams.map((s) => `${s.stream}: ${s.records}`).join(", ")}</td>
                <td>{[run.error ? `${run.error.code}: ${run.error.message}${run.error.fix ? ` Fix: ${run.error.fix}` : ""}` : "", ...run.streams.filter((s) => s.error).map((s) => `${s.stream}: ${s.error}`)].filter(Boolean).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Streams and cursors</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Stream</th>
            <th scope="col">Cursor</th>
            <th scope="col">Last success</th>
            <th scope="col">Failures since</th>
            <th scope="col">Full export done</th>
            {roleAllows(role, "operator") ? <th scope="col">Full resync</th> : null}
          </tr>
        </thead>
        <tbody>
          {(connector.streams ?? []).map((s) => (
            <tr key={s.stream}>
              <td>{s.stream}</td>
              <td>{s.cursor ?? "none yet"}</td>
              <td>{s.lastSuccessAt ?? "never"}</td>
              <td className="number">{s.consecutiveFailures}</td>
              <td>{s.fullExportCompletedAt ?? (s.resyncRequested ? "requested" : "not yet")}</td>
              {roleAllows(role, "operator") ? (
                <td>
                  <button type="button" disabled={connector.enabled === false || resync.isPending} onClick={() => resync.mutate(s.stream, { onSuccess: () => setMessage(`Full resync of ${s.stream} queued.`) })} aria-label={`Full resync of ${s.stream}`}>
                    Full resync
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Backlog per sink</h2>
      <p>Outbox backlog: {connector.outboxBacklog ?? 0} events waiting.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Sink</th>
            <th scope="col">Health</th>
            <th scope="col">Backlog</th>
            <th scope="col">Last delivered</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {(connector.sinks ?? []).map((s) => (
            <tr key={s.sink}>
              <td>{s.sink}</td>
              <td>
                <StatusBadge status={s.health} />
              </td>
              <td className="number">{s.backlog}</td>
              <td>{s.lastDeliveredAt ?? "never"}</td>
              <td>{s.lastError ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Dead letters</h2>
      <ErrorNotice error={deadLetters.error} title="Could not list the dead letters" />
      {letters.length === 0 ? <p>No dead letters: every event was accepted or is still being retried.</p> : null}
      {roleAllows(role, "operator")
        ? lettersBySink.map((sink) => (
            <button key={sink} type="button" disabled={replay.isPending} onClick={() => replay.mutate(sink, { onSuccess: (answer) => setMessage(`${answer.replayed} dead letter(s) written to ${sink} again.`) })}>
              Replay to {sink}
            </button>
          ))
        : null}
      {letters.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Sink</th>
              <th scope="col">Stream</th>
              <th scope="col">Event</th>
              <th scope="col">Reason</th>
              <th scope="col">Failed at</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td>{l.sink}</td>
                <td>{l.stream}</td>
                <td>
                  <code>{l.eventId}</code>
                </td>
                <td>{l.reason}</td>
                <td>{l.failedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
