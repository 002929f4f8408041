import type { Generated } from "kysely";

/**
 * Tables of the push path's delivery half (migration 0004_runtime_delivery): per-alert resolution,
 * folded events, uploads and per-data-source retry state. Times are epoch milliseconds.
 */

/** Where each intake alert stands in delivery: its resolution and the event it folded into. */
export interface RuntimeDeliveryAlertTable {
  alert_id: string;
  /** The folded event (runtime_delivery_events.event_id) once resolved. */
  event_id: string | null;
  /** The event's version when this alert folded into it; an upload carrying that version covers the alert. */
  event_version: number;
  rung: string | null;
  entity_id: string | null;
  provider_id: string | null;
  /** JSON: what the resolver tried (strings). */
  tried_json: string;
  /** JSON: provider ids Wiz refused for this alert (handled < incoming); the next resolution skips them. */
  refused_json: string;
  resolve_attempts: number;
  next_resolve_at: number;
  updated_at: number;
}

export type RuntimeEventState = "pending" | "uploaded" | "confirmed" | "linked" | "refused" | "dead_lettered";

/** One folded detection: the unit sent to Wiz as an `events[]` item under its resolved asset. */
export interface RuntimeDeliveryEventTable {
  /** The id sent to Wiz (the first alert's id), stable across uploads. */
  event_id: string;
  fingerprint: string;
  data_source_id: string;
  source: string;
  entity_id: string;
  provider_id: string;
  cloud_platform: string;
  rung: string;
  exact: number;
  matched_by: string;
  /** JSON of the first alert (title, rule, context...) the event text is written from. */
  alert_json: string;
  severity: string;
  count: number;
  first_seen: number;
  last_seen: number;
  last_received_at: number;
  state: RuntimeEventState;
  /** Bumped on every fold; an upload confirms the version it carried. */
  version: number;
  confirmed_version: number;
  /** Upload attempts that failed while this event was unconfirmed. */
  attempts: number;
  last_error: string | null;
  upload_id: number | null;
  system_activity_id: string | null;
  issue_id: string | null;
  issue_url: string | null;
  note_id: string | null;
  enrich_attempts: number;
  next_enrich_at: number;
  updated_at: number;
}

export type RuntimeUploadState = "requested" | "put" | "succeeded" | "failed";

export interface RuntimeDeliveryUploadTable {
  id: Generated<number>;
  data_source_id: string;
  state: RuntimeUploadState;
  attempt: number;
  slot_id: string | null;
  system_activity_id: string | null;
  /** systemActivity status: SUCCESS, SKIPPED, FAILURE (or null while unknown). */
  status: string | null;
  /** JSON list of the event ids (with their versions) the document carried. */
  events_json: string;
  events_incoming: number | null;
  events_handled: number | null;
  /** JSON list of assetIdentifiers Wiz could not match. */
  unresolved_json: string | null;
  error: string | null;
  bytes: number | null;
  created_at: number;
  updated_at: number;
}

/** Per data source (sensor source x environment): backoff after failed uploads. */
export interface RuntimeDeliverySourceTable {
  data_source_id: string;
  consecutive_failures: number;
  next_attempt_at: number;
  last_error: string | null;
  last_upload_id: number | null;
  updated_at: number;
}

// A type alias (not an interface) so Kysely's withTables accepts it.
export type RuntimeDeliverySchema = {
  runtime_delivery_alerts: RuntimeDeliveryAlertTable;
  runtime_delivery_events: RuntimeDeliveryEventTable;
  runtime_delivery_uploads: RuntimeDeliveryUploadTable;
  runtime_delivery_sources: RuntimeDeliverySourceTable;
};
