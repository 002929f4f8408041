import type { ColumnType, Generated } from "kysely";

/** Table types for Kysely. Times are epoch milliseconds; Wiz record times (cursors) are epoch microseconds. */
export interface StoreSchema {
  connectors: ConnectorTable;
  stream_states: StreamStateTable;
  stream_runs: StreamRunTable;
  slices: SliceTable;
  event_keys: EventKeyTable;
  snapshot_members: SnapshotMemberTable;
  outbox: OutboxTable;
  sink_offsets: SinkOffsetTable;
  dead_letters: DeadLetterTable;
  runs: RunTable;
  run_streams: RunStreamTable;
  transform_maps: TransformMapTable;
  runtime_alerts: RuntimeAlertTable;
  api_tokens: ApiTokenTable;
}

export type ConnectorState = "registered" | "scheduled" | "processing" | "processed" | "failed" | "disabled";

export interface ConnectorTable {
  id: string;
  tenant: string;
  state: ConnectorState;
  state_detail: string | null;
  error_code: string | null;
  error_fix: string | null;
  next_run_at: number | null;
  registered_at: number;
  updated_at: number;
}

/** The settled position of one connector x stream: where the next walk starts. */
export interface StreamStateTable {
  connector_id: string;
  stream: string;
  /** Every record changed at or before this instant (µs) has been put in the outbox. */
  cursor_us: number | null;
  full_completed_at: number | null;
  resync_requested: number;
  updated_at: number;
}

/** A walk in progress (absent when the stream is settled); its slices hold the page checkpoints. */
export interface StreamRunTable {
  connector_id: string;
  stream: string;
  run_key: string;
  mode: string;
  lower_us: number | null;
  upper_us: number | null;
  started_at: number;
}

export interface SliceTable {
  connector_id: string;
  stream: string;
  slice_id: number;
  /** Records with updatedAt in (lo, hi] belong to the slice; null means unbounded. */
  lo_us: number | null;
  hi_us: number | null;
  /** The bounds sent to Wiz; kept while paging, since a Relay cursor is only valid with the same filter. */
  filter_lo_us: number | null;
  filter_hi_us: number | null;
  /** Extra filter for this slice (asset ids in sampling mode), JSON. */
  scope_json: string | null;
  end_cursor: string | null;
  high_water_us: number | null;
  pages: number;
  records: number;
  total_estimate: number | null;
  done: number;
}

/** Event ids already emitted near a stream's cursor, so the overlap re-read does not emit them twice. */
export interface EventKeyTable {
  connector_id: string;
  stream: string;
  event_id: string;
  updated_us: number;
}

/** Current members of a full-posture snapshot stream, to emit changes only and removals. */
export interface SnapshotMemberTable {
  connector_id: string;
  stream: string;
  record_id: string;
  version: string;
  seen_run: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  connector_id: string;
  stream: string;
  event_id: string;
  payload: string;
  created_at: number;
}

export interface SinkOffsetTable {
  connector_id: string;
  sink_id: string;
  delivered_seq: number;
  updated_at: number;
  /** Failed writes in a row; 0 while the sink delivers. */
  failures: ColumnType<number, number | undefined, number>;
  failing_since: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  last_delivered_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface DeadLetterTable {
  id: Generated<number>;
  connector_id: string;
  sink_id: string;
  seq: number;
  event_id: string;
  stream: string;
  payload: string;
  reason: string;
  failed_at: number;
  replayed_at: number | null;
}

export type RunStatus = "running" | "succeeded" | "failed" | "partial" | "abandoned";

export interface RunTable {
  id: Generated<number>;
  connector_id: string;
  trigger: string;
  started_at: number;
  ended_at: number | null;
  status: RunStatus;
  error_code: string | null;
  error_message: string | null;
  error_fix: string | null;
}

export interface RunStreamTable {
  run_id: number;
  stream: string;
  started_at: number;
  ended_at: number | null;
  status: RunStatus;
  pages: number;
  records: number;
  emitted: number;
  requests: number;
  error_code: string | null;
  error_message: string | null;
}

/** User transform maps (validated before they are saved); built-in maps are code, not rows. */
export interface TransformMapTable {
  name: string;
  /** The map as JSON. */
  definition: string;
  created_at: number;
  updated_at: number;
}

/** One accepted runtime alert (0003_runtime_intake). Intake writes `received`; delivery drives `state`. */
export interface RuntimeAlertTable {
  id: string;
  source: string;
  rule_id: string;
  severity: string;
  occurred_at: number;
  received_at: number;
  /** The canonical RuntimeAlert (src/model/runtime-alert.ts) as JSON. */
  alert_json: string;
  /** A RuntimeAlertState: received, resolved, unresolved, uploaded, confirmed, linked, dead_lettered. */
  state: string;
  /** Why: the reason for unresolved / dead_lettered, ids for uploaded / linked. */
  state_detail: string | null;
  updated_at: number;
}

/** Bearer tokens of the HTTP API: only a salted scrypt hash of the secret is kept. */
export interface ApiTokenTable {
  id: string;
  name: string;
  role: "viewer" | "operator" | "admin";
  /** `scrypt$<N>$<salt base64url>$<hash base64url>` */
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
