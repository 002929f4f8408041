import { contentVersionOf, eventIdOf } from "../model/event-id.js";
import { normaliseRecord } from "../model/stream-normalisers.js";
import type { StreamName } from "../model/stream-name.js";
import type { WizEvent } from "../model/wiz-event.js";
import { formatWizTimestamp, parseWizTimestamp, type Micros } from "../model/wiz-timestamp.js";
import type { WizPayload } from "./stream-definition.js";

export interface PageRecord {
  recordId: string;
  /** updatedAt (or the stream's change field) of this version; undefined for streams without one. */
  changedAt: Micros | undefined;
  version: string;
  eventId: string;
  raw: WizPayload;
}

/** A record's version: its change timestamp (normalised to µs), or a hash of its content when it has none. */
export function pageRecordOf(stream: StreamName, cursorField: string | null, raw: WizPayload): PageRecord {
  const recordId = String(raw.id);
  const changedAt = cursorField ? parseWizTimestamp(raw[cursorField]) : undefined;
  const version = changedAt === undefined ? contentVersionOf(raw) : canonicalTimestampOf(raw[cursorField as string], changedAt);
  return { recordId, changedAt, version, eventId: eventIdOf(stream, recordId, version), raw };
}

const CANONICAL_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The version string of a change timestamp: Wiz's own text when it is already in the canonical form (the usual case). */
function canonicalTimestampOf(text: unknown, micros: Micros): string {
  return typeof text === "string" && CANONICAL_TIMESTAMP.test(text) ? text : formatWizTimestamp(micros);
}

export interface EventContext {
  connectorId: string;
  stream: StreamName;
  portalOrigin: string;
  observedAt: string;
}

export function upsertEventOf(context: EventContext, record: PageRecord): WizEvent {
  return {
    id: record.eventId,
    source: "wiz",
    kind: "upsert",
    connector: context.connectorId,
    stream: context.stream,
    observedAt: context.observedAt,
    record: normaliseRecord(context.stream, record.raw, context.portalOrigin),
    raw: record.raw,
  };
}

/** A record that left a full-posture snapshot; its id derives from the last version seen, so a replay is idempotent. */
export function removalEventOf(context: EventContext, recordId: string, lastVersion: string): WizEvent {
  return {
    id: eventIdOf(context.stream, recordId, `removed:${lastVersion}`),
    source: "wiz",
    kind: "removal",
    connector: context.connectorId,
    stream: context.stream,
    observedAt: context.observedAt,
    record: { ...normaliseRecord(context.stream, { id: recordId }, context.portalOrigin), status: "REMOVED" },
    raw: null,
  };
}
