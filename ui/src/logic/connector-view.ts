/** What GET /api/connectors and /api/connectors/:id give per connector (src/sync/connector-status.ts, plus the API's fields). */
export interface RunStreamSummary {
  stream: string;
  status: string;
  pages: number;
  records: number;
  emitted: number;
  requests: number;
  error: string | null;
}

export interface RunSummary {
  id: number;
  trigger: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  error: { code: string; message: string; fix: string | null } | null;
  streams: RunStreamSummary[];
}

export interface StreamStatus {
  stream: string;
  cursor: string | null;
  fullExportCompletedAt: string | null;
  resyncRequested: boolean;
  walkInProgress: boolean;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastErrorClass: string | null;
}

export interface ConnectorSinkStatus {
  sink: string;
  health: "ok" | "failing";
  backlog: number;
  lastDeliveredAt: string | null;
  failingSince: string | null;
  failures: number;
  lastError: string | null;
}

export interface ConnectorView {
  id: string;
  tenant?: string;
  state: string;
  detail?: string | null;
  error?: { code: string; fix: string | null; message?: string } | null;
  nextRunAt?: string | null;
  outboxBacklog?: number;
  deadLetters?: number;
  healthy?: boolean;
  source?: "config" | "api" | string;
  readOnly?: boolean;
  enabled?: boolean;
  sinks?: ConnectorSinkStatus[];
  streams?: StreamStatus[];
  runs?: RunSummary[];
  streamSettings?: Array<{ stream: string; mode?: string; pageSize?: number; filter?: unknown; schedule?: unknown }>;
  sinkTargets?: Array<{ sink: string; target: string }>;
  /** An API connector that could not start (its secret does not open, a sink is gone). */
  startError?: { message: string; fix?: string };
}

/** A connector from the config file cannot be changed from the console (the API answers 409 "edit the config file"). */
export function isReadOnly(connector: ConnectorView): boolean {
  return connector.readOnly === true || connector.source === "config";
}

/** When the connector last synced successfully: the newest success among its streams. */
export function lastSuccessfulSync(connector: ConnectorView): string | null {
  let newest: string | null = null;
  for (const s of connector.streams ?? []) if (s.lastSuccessAt && (newest === null || s.lastSuccessAt > newest)) newest = s.lastSuccessAt;
  return newest;
}

/** Records per stream in the latest run that ran it (runs are newest first), for the tile's counts. */
export function latestRecordsPerStream(connector: ConnectorView): Array<{ stream: string; records: number; status: string; at: string }> {
  const out = new Map<string, { stream: string; records: number; status: string; at: string }>();
  for (const run of connector.runs ?? []) {
    for (const s of run.streams) if (!out.has(s.stream)) out.set(s.stream, { stream: s.stream, records: s.records, status: s.status, at: run.startedAt });
  }
  for (const s of connector.streams ?? []) if (!out.has(s.stream)) out.set(s.stream, { stream: s.stream, records: 0, status: "not run yet", at: "" });
  return [...out.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

/** The error to show on a tile: the connector's own (with its fix), else the latest failed run's, else a failing sink's. */
export function lastError(connector: ConnectorView): { code: string; message: string; fix: string | null } | null {
  if (connector.startError) return { code: "NOT_STARTED", message: connector.startError.message, fix: connector.startError.fix ?? null };
  if (connector.error) return { code: connector.error.code, message: connector.error.message ?? connector.detail ?? "", fix: connector.error.fix };
  const failed = (connector.runs ?? [])[0];
  if (failed?.error) return failed.error;
  if (failed) {
    const stream = failed.streams.find((s) => s.error);
    if (stream?.error) return { code: `${stream.stream} failed`, message: stream.error, fix: null };
  }
  const sink = (connector.sinks ?? []).find((s) => s.health === "failing");
  if (sink) return { code: `sink ${sink.sink} failing`, message: sink.lastError ?? "writes to the sink fail; events wait in the outbox", fix: "Check the sink's destination; GET /api/sinks shows since when. Nothing is dropped meanwhile." };
  return null;
}
