import { useState } from "react";
import { Link } from "../app/router";
import { useApiQuery } from "../app/use-api";
import { ErrorNotice } from "../components/error-notice";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { StatusBadge } from "../components/state-badge";
import { apiPath } from "../api/api-client";

interface AlertSummary {
  id: string;
  source: string;
  ruleId: string;
  severity: string;
  state: string;
  stateDetail: string | null;
  occurredAt: string;
  receivedAt: string;
}

interface RuntimeSummary {
  total: number;
  counts: Record<string, number>;
  windowMinutes: number;
  perMinute: number;
  receivedInWindow: number;
}

const STATES = ["received", "resolved", "unresolved", "uploaded", "confirmed", "linked", "dead_lettered"];

/** Runtime: alerts flowing in (rate), counts per state, the list (unresolved ones say what was tried), paged. */
export function RuntimePage() {
  const [state, setState] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const summary = useApiQuery<RuntimeSummary>("/api/runtime/summary", { refreshMs: 2000 });
  const query = new URLSearchParams({ limit: "50", ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) });
  const alerts = useApiQuery<{ alerts: AlertSummary[]; nextCursor: string | null }>(`/api/runtime/alerts?${query.toString()}`, { refreshMs: 2000 });
  const knownStates = summary.data ? Object.keys(summary.data.counts) : STATES;
  return (
    <section>
      <PageHeading>Runtime alerts</PageHeading>
      <ErrorNotice error={summary.error} title="No runtime summary" />
      {summary.data ? (
        <div className="summary" aria-label="Alerts per state">
          <p>
            <strong>{summary.data.perMinute}</strong> alerts per minute over the last {summary.data.windowMinutes} minutes ({summary.data.receivedInWindow} received); {summary.data.total} in all.
          </p>
          <ul className="counts">
            {Object.entries(summary.data.counts).map(([name, count]) => (
              <li key={name} data-state={name}>
                <StatusBadge status={name} /> {count}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="field inline-field">
        <label htmlFor="alert-state">Show alerts in state</label>
        <select
          id="alert-state"
          value={state}
          onChange={(e) => {
            setState(e.target.value);
            setCursors([]);
          }}
        >
          <option value="">any state</option>
          {knownStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {alerts.isPending ? <Loading what="the alerts" /> : null}
      <ErrorNotice error={alerts.error} title="Could not list the alerts" />
      {alerts.data ? (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Runtime alerts">
            <table>
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Source</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Severity</th>
                  <th scope="col">State</th>
                  <th scope="col">Why / what was tried</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {alerts.data.alerts.length === 0 ? (
                  <tr>
                    <td colSpan={7}>No alerts{state ? ` in state ${state}` : ""}.</td>
                  </tr>
                ) : (
                  alerts.data.alerts.map((a) => (
                    <tr key={a.id} data-alert={a.id} data-state={a.state}>
                      <td>
                        <Link to={apiPath`/runtime/alerts/${a.id}`}>{a.id}</Link>
                      </td>
                      <td>{a.source}</td>
                      <td>{a.ruleId}</td>
                      <td>{a.severity}</td>
                      <td>
                        <StatusBadge status={a.state} />
                      </td>
                      <td>{a.stateDetail ?? ""}</td>
                      <td>{a.receivedAt}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </button>
            <button type="button" disabled={!alerts.data.nextCursor} onClick={() => alerts.data.nextCursor && setCursors((c) => [...c, alerts.data.nextCursor as string])}>
              Older
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
