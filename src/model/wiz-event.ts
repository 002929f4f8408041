import type { StreamName } from "./stream-name.js";

/**
 * What the pull engine delivers: one version of one Wiz record (`upsert`), or the news that a record
 * left a full-posture snapshot (`removal`). `id` is deterministic (stream, Wiz id, version), so sinks
 * that can deduplicate drop a redelivery.
 */
export interface WizEvent {
  id: string;
  source: "wiz";
  kind: "upsert" | "removal";
  connector: string;
  stream: StreamName;
  /** When wizbridge read the record (RFC 3339). */
  observedAt: string;
  /** The output profile that shaped `record`: canonical (default), ocsf, ecs or map:<name>. */
  profile: string;
  /** The record in the profile's shape (a canonical record by default; see src/model/canonical). Never a copy of `raw`. */
  record: Record<string, unknown>;
  /** The record exactly as Wiz returned it; null for a removal. */
  raw: unknown;
}
