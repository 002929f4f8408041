import type { SinkRecord } from "../sink.js";
import type { IndexNames } from "./index-naming.js";

/** `index` overwrites a document with the same `_id`; `create` (the only op data streams take) refuses it with a 409. */
export type BulkOp = "index" | "create";

/** One `_bulk` body and the event ids in the order of its items (the response lists items in that order). */
export interface BulkBody {
  /** The NDJSON body, UTF-8: a view of `buffer`. */
  bytes: Buffer;
  /** The buffer the body was written into (to give back to the allocator's pool once sent). */
  buffer: Buffer;
  eventIds: string[];
  /** Events refused before sending (a payload that is not a JSON object): event id -> reason. */
  refused: Map<string, string>;
}

/**
 * The batch as `_bulk` NDJSON: an action line `{"<op>":{"_index":...,"_id":<event id>}}` and the WizEvent
 * with `@timestamp` (= observedAt) spliced in front of its first key, without parsing or re-serialising it.
 * Written straight into one Buffer (the request body): no joined string and no second copy when sending.
 * `fallbackTimestamp` stands in when an event carries no observedAt.
 */
export function encodeBulkBody(
  batch: readonly SinkRecord[],
  op: BulkOp,
  names: IndexNames,
  fallbackTimestamp: () => string,
  allocate: (bytes: number) => Buffer = (bytes) => Buffer.allocUnsafe(bytes),
): BulkBody {
  const eventIds: string[] = [];
  const refused = new Map<string, string>();
  const prefix = `{"${op}":{"_index":`;
  const pieces: string[] = [];
  let chars = 0;
  for (const record of batch) {
    const document = timestampedDocument(record.payload, fallbackTimestamp);
    if (document === undefined) {
      refused.set(record.eventId, "the event is not a JSON object, so it cannot be an Elasticsearch document");
      continue;
    }
    const action = `${prefix}${names.quotedFor(record.connectorId, record.stream)},"_id":${JSON.stringify(record.eventId)}}}\n`;
    pieces.push(action, document.head, document.rest);
    chars += action.length + document.head.length + document.rest.length + 1;
    eventIds.push(record.eventId);
  }
  // Events are nearly always ASCII (one byte a character): try that size first, the UTF-8 worst case if it overflows.
  let buffer = allocate(chars + pieces.length + 1024);
  let bytes = writePieces(pieces, buffer);
  if (bytes === undefined) {
    buffer = Buffer.allocUnsafe(chars * 3 + 1024);
    bytes = writePieces(pieces, buffer) as Buffer;
  }
  return { bytes, buffer, eventIds, refused };
}

/** The pieces (action, head, rest: a newline after each rest) in `buffer`; undefined when they do not fit. */
function writePieces(pieces: readonly string[], buffer: Buffer): Buffer | undefined {
  let at = 0;
  for (let i = 0; i < pieces.length; i += 1) {
    at += buffer.write(pieces[i] as string, at, "utf8");
    // write() stops only before a character (at most 4 bytes) that does not fit: 4 bytes left means nothing was cut.
    if (buffer.length - at < 4) return undefined;
    if (i % 3 === 2) buffer[at++] = 0x0a;
  }
  return buffer.subarray(0, at);
}

/**
 * The payload as one NDJSON line in two parts, `{"@timestamp":<observedAt>,` and the rest of the event
 * after its opening brace; undefined when the payload is not a JSON object. The observedAt literal is
 * copied as it stands (already JSON-escaped).
 */
export function timestampedDocument(payload: string, fallbackTimestamp: () => string): { head: string; rest: string } | undefined {
  let text = payload;
  // A line break can only be JSON whitespace (strings escape it), but it would split the NDJSON line.
  if (text.includes("\n") || text.includes("\r") || text.charCodeAt(0) !== 0x7b) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
      text = JSON.stringify(parsed);
    } catch {
      return undefined;
    }
  }
  const literal = topLevelStringLiteral(text, "observedAt") ?? JSON.stringify(fallbackTimestamp());
  let restAt = 1;
  while (restAt < text.length && isSpace(text.charCodeAt(restAt))) restAt += 1;
  if (text.charCodeAt(restAt) === 0x7d) return { head: `{"@timestamp":${literal}`, rest: text.slice(restAt) };
  return { head: `{"@timestamp":${literal},`, rest: text.slice(restAt) };
}

/** The payload as one document line (for tests and the self-test): head and rest joined. */
export function documentWithTimestamp(payload: string, fallbackTimestamp: () => string): string | undefined {
  const document = timestampedDocument(payload, fallbackTimestamp);
  return document === undefined ? undefined : document.head + document.rest;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * The JSON string literal (quotes included) of `key` in the outermost object of `json`, or undefined when
 * that key is absent or not a string. Scans only up to the key: WizEvent puts observedAt before the
 * (large) record and raw, so this reads a couple of hundred characters per event.
 */
export function topLevelStringLiteral(json: string, key: string): string | undefined {
  const wanted = JSON.stringify(key);
  let depth = 0;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(json, i);
      if (end < 0) return undefined;
      if (depth === 1) {
        let j = skipSpace(json, end + 1);
        if (json.charCodeAt(j) === 0x3a && json.slice(i, end + 1) === wanted) {
          j = skipSpace(json, j + 1);
          if (json.charCodeAt(j) !== 0x22) return undefined;
          const valueEnd = stringEnd(json, j);
          return valueEnd < 0 ? undefined : json.slice(j, valueEnd + 1);
        }
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
      if (depth === 0) return undefined;
    }
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(json: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = json.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; json.charCodeAt(k) === 0x5c; k -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

function skipSpace(json: string, at: number): number {
  let i = at;
  while (isSpace(json.charCodeAt(i))) i += 1;
  return i;
}
