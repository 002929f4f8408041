import { contentVersionOf, eventIdOf } from "../model/event-id.js";
import { portalLinkOf } from "../model/portal-links.js";
import type { StreamName } from "../model/stream-name.js";
import type { WizEvent } from "../model/wiz-event.js";
import { formatWizTimestamp, parseWizTimestamp, type Micros } from "../model/wiz-timestamp.js";
import { ExpressionError } from "../transform/maps/time-budgeted-expression.js";
import { MissingFieldError } from "../transform/normalisers/raw-fields.js";
import { RECORD_TYPE_OF_STREAM } from "../transform/normalisers/stream-normaliser.js";
import { DEFAULT_OUTPUT_PROFILE, removalRecordOf, type OutputProfile, type RenderedRecord } from "../transform/output-profile.js";
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
export function pageRecordOf(stream: StreamName, cursorField: string | null, raw: WizPayload, cursorFallbacks?: readonly string[]): PageRecord {
  const recordId = String(raw.id);
  let field = cursorField;
  let changedAt = field ? parseWizTimestamp(raw[field]) : undefined;
  // A record without its cursor field (a vulnerability finding Wiz sent without updatedAt) is placed by the
  // first fallback it has, the same time the server orders and filters it by.
  if (changedAt === undefined && field && cursorFallbacks) {
    for (const fallback of cursorFallbacks) {
      changedAt = parseWizTimestamp(raw[fallback]);
      if (changedAt !== undefined) {
        field = fallback;
        break;
      }
    }
  }
  const version = changedAt === undefined ? contentVersionOf(raw) : canonicalTimestampOf(raw[field as string], changedAt);
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
  /** The connector's output profile; canonical with the wiz ladder when absent. */
  profile?: OutputProfile;
}

function eventOf(context: EventContext, record: PageRecord, rendered: RenderedRecord): WizEvent {
  return {
    id: record.eventId,
    source: "wiz",
    kind: "upsert",
    connector: context.connectorId,
    stream: context.stream,
    observedAt: context.observedAt,
    profile: rendered.profile,
    record: rendered.record as Record<string, unknown>,
    raw: record.raw,
  };
}

export interface PageEvents {
  events: WizEvent[];
  /** Records that could not be normalised (a required field missing) or mapped (an expression failed), with the reason: for the dead-letter table. */
  rejected: Array<{ record: PageRecord; reason: string }>;
}

/** One upsert event per record, shaped by the connector's output profile; records missing a required field are set aside. */
export async function upsertEventsOf(context: EventContext, records: readonly PageRecord[]): Promise<PageEvents> {
  const profile = context.profile ?? DEFAULT_OUTPUT_PROFILE;
  const renderContext = { portalOrigin: context.portalOrigin, observedAt: context.observedAt, observedAtMs: Date.parse(context.observedAt) };
  const out: PageEvents = { events: [], rejected: [] };
  for (const record of records) {
    try {
      const rendered = profile.render(context.stream, record.raw, renderContext);
      // Only map profiles with expressions are asynchronous; the default path never awaits per record.
      out.events.push(eventOf(context, record, rendered instanceof Promise ? await rendered : rendered));
    } catch (error) {
      // A map expression that fails or runs past its budget on one record sets that record aside, not the sync.
      if (error instanceof ExpressionError) out.rejected.push({ record, reason: `the transform map ${profile.name} could not map this record: ${error.message}` });
      else if (error instanceof MissingFieldError) out.rejected.push({ record, reason: error.message });
      else throw error;
    }
  }
  return out;
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
    profile: "canonical",
    record: removalRecordOf(RECORD_TYPE_OF_STREAM[context.stream], recordId, portalLinkOf(context.portalOrigin, context.stream, recordId, null)),
    raw: null,
  };
}
