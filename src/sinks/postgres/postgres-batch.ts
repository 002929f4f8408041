import { isStreamName } from "../../model/stream-name.js";
import { STREAM_NORMALISERS } from "../../transform/normalisers/stream-normaliser.js";
import type { RawNode } from "../../transform/normalisers/raw-fields.js";
import { WIZ_LADDER } from "../../transform/severity/severity-ladder.js";
import type { SinkRecord } from "../sink.js";
import { CANONICAL_FIELDS_READ } from "./postgres-tables.js";


/** jsonb's binary wire format: a version byte (1) and the JSON text. pg sends a Buffer parameter in binary. */
const JSONB_VERSION = 1;

/**
 * Where the envelope's `key` value starts, or -1. A WizEvent puts its scalar keys (kind, profile) before
 * `record` and `raw`, and quotes inside strings are escaped, so the first `"key":` is the envelope's own;
 * an envelope written in another key order is searched the slow way (`includes`) by the callers.
 */
function envelopeValueAt(payload: string, key: string): number {
  const at = payload.indexOf(`"${key}":`);
  return at < 0 ? -1 : at + key.length + 3;
}

/** Whether the event may be a removal (the removal statement runs only for those); never a false "no". */
export function isRemovalCandidate(payload: string): boolean {
  const at = envelopeValueAt(payload, "kind");
  if (at >= 0 && at < 512) return payload.startsWith('"removal"', at);
  return payload.includes('"kind":"removal"');
}

function isCanonical(payload: string): boolean {
  const at = envelopeValueAt(payload, "profile");
  return at >= 0 && at < 1024 && payload.startsWith('"canonical"', at);
}

/**
 * The canonical fields the typed columns read, for an upsert shaped by another profile (ocsf, ecs, a map):
 * computed from `raw` with the same normaliser the pull engine uses, so a dashboard column means the same
 * whatever the connector's profile. Undefined when the payload is canonical already or cannot be read.
 */
export function canonicalFieldsOf(stream: string, payload: string): Record<string, unknown> | undefined {
  if (isCanonical(payload) || !isStreamName(stream)) return undefined;
  let event: { kind?: unknown; profile?: unknown; raw?: unknown };
  try {
    event = JSON.parse(payload) as typeof event;
  } catch {
    return undefined;
  }
  if (event.kind !== "upsert" || event.profile === "canonical" || event.raw === null || typeof event.raw !== "object" || Array.isArray(event.raw)) return undefined;
  try {
    const canonical = STREAM_NORMALISERS[stream](event.raw as RawNode, { portalOrigin: "", ladder: WIZ_LADDER }) as unknown as Record<string, unknown>;
    const picked: Record<string, unknown> = {};
    for (const key of CANONICAL_FIELDS_READ) if (canonical[key] !== undefined) picked[key] = canonical[key];
    return picked;
  } catch {
    // A raw record the normaliser refuses keeps its typed columns empty; record and raw are still stored.
    return undefined;
  }
}

/**
 * The records as the statements' single jsonb parameter: a JSON array of `{p: payload, e, s, t, n, c?}`
 * sorted by event id, UTF-8 in one Buffer (jsonb binary format). Payloads are copied in as they are (already JSON), never
 * parsed or re-serialised here: PostgreSQL parses the whole batch once, in C.
 */
export function encodeBatch(batch: readonly SinkRecord[]): Buffer {
  // In event id order (byte order, as COLLATE "C"): concurrent batches then lock the events keys in one order.
  const records = batch.length > 1 ? [...batch].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)) : batch;
  const heads: string[] = new Array<string>(records.length);
  const tails: string[] = new Array<string>(records.length);
  // Exact bytes: a buffer sized by the 3-bytes-per-unit bound would be mostly untouched pages, faulted in for nothing.
  let bytes = 3;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i] as SinkRecord;
    const canonical = canonicalFieldsOf(r.stream, r.payload);
    // `p` first: a payload can never shadow the keys the sink sets (the last duplicate key wins in jsonb).
    heads[i] = `${i === 0 ? "" : ","}{"p":`;
    tails[i] = `,"e":${JSON.stringify(r.eventId)},"s":${Number.isSafeInteger(r.seq) ? r.seq : 0},"t":${JSON.stringify(r.stream)},"n":${JSON.stringify(r.connectorId)}${
      canonical ? `,"c":${JSON.stringify(canonical)}` : ""
    }}`;
    bytes += (heads[i] as string).length + Buffer.byteLength(r.payload, "utf8") + Buffer.byteLength(tails[i] as string, "utf8");
  }
  const buffer = Buffer.allocUnsafe(bytes);
  buffer[0] = JSONB_VERSION;
  buffer[1] = 0x5b; // [
  let at = 2;
  for (let i = 0; i < records.length; i += 1) {
    at += buffer.write(heads[i] as string, at, "latin1");
    at += buffer.write((records[i] as SinkRecord).payload, at, "utf8");
    at += buffer.write(tails[i] as string, at, "utf8");
  }
  buffer[at] = 0x5d; // ]
  return buffer;
}
