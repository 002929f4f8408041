import { formatWizTimestamp } from "../model/wiz-timestamp.js";
import { ConnectorRepository } from "../store/connector.repository.js";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { OutboxRepository } from "../store/outbox.repository.js";
import { RunRepository } from "../store/run.repository.js";
import { SinkOffsetRepository } from "../store/sink-offset.repository.js";
import type { StoreDb } from "../store/store-database.js";
import { StreamStateRepository } from "../store/stream-state.repository.js";

export interface StreamStatus {
  stream: string;
  /** The incremental cursor (RFC 3339), null before the first completed export. */
  cursor: string | null;
  fullExportCompletedAt: string | null;
  resyncRequested: boolean;
  /** A walk left open (budget, stop, crash) that the next run continues. */
  walkInProgress: boolean;
  /** When a run of this stream last succeeded. */
  lastSuccessAt: string | null;
  /** Runs of this stream that failed since its last success (a run that failed before its streams counts for each). */
  consecutiveFailures: number;
  /** The error code of the latest failure (UNAUTHENTICATED, NETWORK...), null while healthy. */
  lastErrorClass: string | null;
}

export interface RunSummary {
  id: number;
  trigger: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  error: { code: string; message: string; fix: string | null } | null;
  streams: Array<{ stream: string; status: string; pages: number; records: number; emitted: number; requests: number; error: string | null }>;
}

export interface ConnectorStatus {
  id: string;
  tenant: string;
  state: string;
  detail: string | null;
  error: { code: string; fix: string | null } | null;
  nextRunAt: string | null;
  updatedAt: string;
  outboxBacklog: number;
  deadLetters: number;
  /** False when the connector failed, a stream's latest runs failed, or a sink is failing. */
  healthy: boolean;
  /** Each sink's delivery: acknowledged up to, backlog, and since when and why it is failing. */
  sinks: SinkStatus[];
  streams: StreamStatus[];
  runs: RunSummary[];
}

export interface SinkStatus {
  sink: string;
  /** ok: delivering; failing: the last writes failed (events wait in the outbox, nothing is dropped). */
  health: "ok" | "failing";
  /** Events this sink has not acknowledged. */
  backlog: number;
  lastDeliveredAt: string | null;
  failingSince: string | null;
  failures: number;
  lastError: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What `wizbridge status` and the API show: each connector's state, cursors, backlog and recent runs, from the store alone. */
export async function connectorStatuses(db: StoreDb, options: { connectors?: readonly string[]; runs?: number } = {}): Promise<ConnectorStatus[]> {
  const out: ConnectorStatus[] = [];
  const runs = new RunRepository(db);
  for (const c of await new ConnectorRepository(db).list()) {
    if (options.connectors && options.connectors.length > 0 && !options.connectors.includes(c.id)) continue;
    const states = new StreamStateRepository(db);
    const streams: StreamStatus[] = [];
    const health = await streamHealth(runs, c.id);
    for (const s of await states.states(c.id)) {
      streams.push({
        stream: s.stream,
        cursor: s.cursor_us === null ? null : formatWizTimestamp(s.cursor_us),
        fullExportCompletedAt: iso(s.full_completed_at),
        resyncRequested: s.resync_requested === 1,
        walkInProgress: (await states.openRun(c.id, s.stream)) !== undefined,
        ...(health.get(s.stream) ?? { lastSuccessAt: null, consecutiveFailures: 0, lastErrorClass: null }),
      });
    }
    // A stream whose every run failed (a wrong secret from the start) has no state row yet: show it too.
    for (const [stream, h] of health) if (!streams.some((s) => s.stream === stream)) streams.push({ stream, cursor: null, fullExportCompletedAt: null, resyncRequested: false, walkInProgress: false, ...h });
    const recent: RunSummary[] = [];
    for (const r of await runs.list(c.id, options.runs ?? 5)) {
      recent.push({
        id: r.id,
        trigger: r.trigger,
        status: r.status,
        startedAt: new Date(r.started_at).toISOString(),
        endedAt: iso(r.ended_at),
        error: r.error_code ? { code: r.error_code, message: r.error_message ?? "", fix: r.error_fix } : null,
        streams: (await runs.streams(r.id)).map((s) => ({ stream: s.stream, status: s.status, pages: s.pages, records: s.records, emitted: s.emitted, requests: s.requests, error: s.error_message })),
      });
    }
    const sinkList = await sinkStatuses(db, c.id);
    out.push({
      id: c.id,
      tenant: c.tenant,
      state: c.state,
      detail: c.state_detail,
      error: c.error_code ? { code: c.error_code, fix: c.error_fix } : null,
      nextRunAt: iso(c.next_run_at),
      updatedAt: new Date(c.updated_at).toISOString(),
      outboxBacklog: await new OutboxRepository(db).count(c.id),
      sinks: sinkList,
      healthy: c.state !== "failed" && streams.every((s) => s.consecutiveFailures === 0) && sinkList.every((s) => s.health === "ok"),
      deadLetters: await new DeadLetterRepository(db).pendingCount(c.id),
      streams,
      runs: recent,
    });
  }
  return out;
}

/** Per stream, from the latest runs (newest first): last success, failures since, and the latest error's code. */
async function streamHealth(runs: RunRepository, connectorId: string): Promise<Map<string, Pick<StreamStatus, "lastSuccessAt" | "consecutiveFailures" | "lastErrorClass">>> {
  const out = new Map<string, Pick<StreamStatus, "lastSuccessAt" | "consecutiveFailures" | "lastErrorClass">>();
  const settled = new Set<string>();
  const runLevel: Array<string | null> = [];
  for (const run of await runs.list(connectorId, 50)) {
    if (run.status === "running") continue;
    const rows = await runs.streams(run.id);
    if (rows.length === 0 && run.status === "failed") {
      // Failed before any stream started (auth, DNS): a failure for every stream not yet settled.
      runLevel.push(run.error_code);
      for (const [stream, h] of out) if (!settled.has(stream)) out.set(stream, { ...h, consecutiveFailures: h.consecutiveFailures + 1, lastErrorClass: h.lastErrorClass ?? run.error_code });
      continue;
    }
    for (const row of rows) {
      if (settled.has(row.stream)) continue;
      const h = out.get(row.stream) ?? { lastSuccessAt: null, consecutiveFailures: runLevel.length, lastErrorClass: runLevel[0] ?? null };
      if (row.status === "succeeded") {
        settled.add(row.stream);
        out.set(row.stream, { ...h, lastSuccessAt: iso(row.ended_at) });
      } else if (row.status === "failed") {
        out.set(row.stream, { ...h, consecutiveFailures: h.consecutiveFailures + 1, lastErrorClass: h.lastErrorClass ?? row.error_code });
      } else {
        out.set(row.stream, h);
      }
    }
  }
  return out;
}

async function sinkStatuses(db: StoreDb, connectorId: string): Promise<SinkStatus[]> {
  const outbox = new OutboxRepository(db);
  const out: SinkStatus[] = [];
  for (const h of await new SinkOffsetRepository(db).health(connectorId)) {
    out.push({
      sink: h.sinkId,
      health: h.failures > 0 ? "failing" : "ok",
      backlog: await outbox.backlog(connectorId, h.deliveredSeq),
      lastDeliveredAt: iso(h.lastDeliveredAt),
      failingSince: iso(h.failingSince),
      failures: h.failures,
      lastError: h.lastError,
    });
  }
  return out;
}

/** The human form: one block per connector. */
export function renderConnectorStatuses(statuses: readonly ConnectorStatus[]): string {
  if (statuses.length === 0) return "No connectors in this store yet: run `wizbridge start` or `wizbridge sync` first (or point --data-dir / --store at the right one).\n";
  const lines: string[] = [];
  for (const c of statuses) {
    lines.push(`${c.id}  ${c.state.toUpperCase()}${c.healthy ? "" : "  UNHEALTHY"}${c.detail ? `  (${c.detail})` : ""}`);
    lines.push(`  tenant       ${c.tenant}`);
    if (c.error) lines.push(`  error        ${c.error.code}${c.error.fix ? `; fix: ${c.error.fix}` : ""}`);
    if (c.nextRunAt) lines.push(`  next run     ${c.nextRunAt}`);
    const failing = c.sinks.filter((s) => s.health === "failing");
    if (failing.length > 0) lines.push(`  DELIVERY     FAILING to ${failing.map((s) => s.sink).join(", ")}: events wait in the outbox (nothing is dropped) until the sink takes them`);
    lines.push(`  outbox       ${counted(c.outboxBacklog, "event")} waiting for delivery; ${counted(c.deadLetters, "dead letter")}`);
    for (const s of c.sinks) {
      if (s.health === "ok") lines.push(`  sink ${s.sink.padEnd(19)} ok, ${counted(s.backlog, "event")} waiting${s.lastDeliveredAt ? `, last delivery ${s.lastDeliveredAt}` : ""}`);
      else lines.push(`  sink ${s.sink.padEnd(19)} FAILING since ${s.failingSince ?? "?"} (${counted(s.failures, "attempt")}), ${counted(s.backlog, "event")} waiting: ${s.lastError ?? "unknown error"}`);
    }
    for (const s of c.streams) {
      const flags = [
        s.walkInProgress ? "walk in progress" : "",
        s.resyncRequested ? "full resync requested" : "",
        s.consecutiveFailures > 0 ? `FAILING: ${counted(s.consecutiveFailures, "run")} since the last success (${s.lastSuccessAt ?? "never"}), ${s.lastErrorClass ?? "error"}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      lines.push(`  ${s.stream.padEnd(24)} cursor ${s.cursor ?? "(none yet)"}${flags ? `  [${flags}]` : ""}`);
    }
    for (const r of c.runs) {
      lines.push(`  run ${String(r.id).padEnd(5)} ${r.status.padEnd(10)} ${r.startedAt} -> ${r.endedAt ?? "…"}  (${r.trigger})${r.error ? `  ${r.error.code}: ${r.error.message}` : ""}`);
      for (const s of r.streams) lines.push(`      ${s.stream.padEnd(24)} ${s.status.padEnd(10)} ${counted(s.records, "record")}, ${s.emitted} emitted, ${counted(s.pages, "page")}, ${counted(s.requests, "request")}${s.error ? `  ${s.error}` : ""}`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** "1 page", "2 pages". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
