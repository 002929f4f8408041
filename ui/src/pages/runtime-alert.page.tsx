import { apiPath } from "../api/api-client";
import { Link } from "../app/router";
import { useApiQuery } from "../app/use-api";
import { ErrorNotice } from "../components/error-notice";
import { JsonView } from "../components/json-view";
import { Loading } from "../components/loading";
import { PageHeading } from "../components/page-heading";
import { StatusBadge } from "../components/state-badge";

/** One alert's trail (src/runtime/fold/delivery.repository.ts AlertStatus). */
interface AlertTrail {
  id: string;
  source: string;
  sensor?: string;
  rule?: string;
  title?: string;
  severity?: string;
  occurredAt?: string;
  receivedAt?: string;
  state: string;
  stateDetail?: string | null;
  resolution?: { rung: string | null; entityId: string | null; providerId: string | null; tried: string[]; refused: string[]; attempts: number } | null;
  event?: {
    id: string;
    state: string;
    resource: { graphId: string; providerId: string; cloudPlatform: string };
    rung: string;
    matchedBy: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
    systemActivityId: string | null;
    issue: { id: string; url: string | null; noteId: string | null } | null;
    lastError: string | null;
  } | null;
  upload?: { id: number; state: string; attempt: number; status: string | null; eventsIncoming: number | null; eventsHandled: number | null; error: string | null } | null;
}

/** Runtime alert: every step from intake to the linked Wiz issue and note, refreshed until it settles. */
export function RuntimeAlertPage({ id }: { id: string }) {
  const query = useApiQuery<AlertTrail>(apiPath`/api/runtime/alerts/${id}`, { refreshMs: 2000 });
  const a = query.data;
  return (
    <section>
      <PageHeading>Runtime alert</PageHeading>
      <p>
        <Link to="/runtime">Back to the runtime alerts</Link>
      </p>
      {query.isPending ? <Loading what={`alert ${id}`} /> : null}
      <ErrorNotice error={query.error} title={`No alert ${id}`} />
      {a ? (
        <>
          <p>
            <code>{a.id}</code> — <span data-testid="alert-state">{a.state}</span> <StatusBadge status={a.state} />
            {a.stateDetail ? ` (${a.stateDetail})` : ""}
          </p>
          <ol className="trail">
            <li>
              <strong>Received</strong> from {a.source}
              {a.sensor ? ` (${a.sensor})` : ""} at {a.receivedAt}: {a.title ?? a.rule} [{a.severity}]
            </li>
            <li>
              <strong>Resolution</strong>:{" "}
              {a.resolution ? (
                <>
                  {a.resolution.entityId ? `resolved by ${a.resolution.rung} to ${a.resolution.entityId} (${a.resolution.providerId ?? ""})` : "not resolved"}
                  {a.resolution.tried.length > 0 ? (
                    <>
                      ; tried: <span data-testid="tried">{a.resolution.tried.join(", ")}</span>
                    </>
                  ) : null}
                  {a.resolution.refused.length > 0 ? `; refused: ${a.resolution.refused.join(", ")}` : ""}
                </>
              ) : (
                "not yet"
              )}
            </li>
            <li>
              <strong>Event</strong>: {a.event ? `${a.event.id} on ${a.event.resource.providerId} (${a.event.resource.cloudPlatform}), seen ${a.event.count}×, ${a.event.state}${a.event.lastError ? `; last error: ${a.event.lastError}` : ""}` : "not folded yet"}
            </li>
            <li>
              <strong>Upload</strong>: {a.upload ? `#${a.upload.id} ${a.upload.state}${a.upload.status ? `, Wiz says ${a.upload.status}` : ""}${a.upload.eventsHandled !== null ? ` (${a.upload.eventsHandled}/${a.upload.eventsIncoming ?? "?"} events handled)` : ""}${a.upload.error ? `; ${a.upload.error}` : ""}` : "not uploaded yet"}
            </li>
            <li>
              <strong>Wiz issue</strong>:{" "}
              {a.event?.issue ? (
                <>
                  {a.event.issue.url ? <a href={a.event.issue.url}>{a.event.issue.id}</a> : a.event.issue.id}
                  {a.event.issue.noteId ? `, note ${a.event.issue.noteId}` : ", note pending"}
                </>
              ) : (
                "not linked yet"
              )}
            </li>
          </ol>
          <details>
            <summary>The whole trail as JSON</summary>
            <JsonView value={a} label="Alert trail as JSON" />
          </details>
        </>
      ) : null}
    </section>
  );
}
