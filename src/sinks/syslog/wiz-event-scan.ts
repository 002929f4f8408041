/**
 * Reads the few top-level values of a serialised WizEvent the syslog header needs (kind, observedAt,
 * profile, the record's severity) and where `record` starts in the text, without parsing the whole event:
 * JSON.parse of a 3 KB event costs about 20 µs, most of it in `raw`, which no syslog field needs. The
 * scan skips values by their brackets and quotes, so it is exact for any valid JSON and fails on text
 * that is not an object.
 */

export interface WizEventScan {
  kind: string | undefined;
  observedAt: string | undefined;
  profile: string | undefined;
  /** `record.severity` when it is a string. */
  severity: string | undefined;
  /** `record.recordType` when it is a string. */
  recordType: string | undefined;
  /** Where the `record` object's text starts; undefined when absent or not an object. */
  recordStart: number | undefined;
}

export class WizEventScanError extends Error {
  override readonly name = "WizEventScanError";
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const WANTED = new Set(["kind", "observedAt", "profile", "record"]);

export function scanWizEvent(text: string): WizEventScan {
  const out: WizEventScan = { kind: undefined, observedAt: undefined, profile: undefined, severity: undefined, recordType: undefined, recordStart: undefined };
  let found = 0;
  forEachMember(text, skipSpace(text, 0), (key, start) => {
    if (!WANTED.has(key)) return skipValue(text, start);
    found += 1;
    if (key === "record") {
      if (text.charCodeAt(start) !== OPEN_OBJECT) return skipValue(text, start);
      let inner = 0;
      forEachMember(text, start, (k, s) => {
        const end = skipValue(text, s);
        if (k === "severity") out.severity = stringValue(text, s, end);
        else if (k === "recordType") out.recordType = stringValue(text, s, end);
        else return end;
        inner += 1;
        return inner < 2 ? end : STOP;
      });
      out.recordStart = start;
      // `raw` comes after `record` in every event wizbridge writes: no need to find where `record` ends.
      return found < WANTED.size ? skipValue(text, start) : STOP;
    }
    const end = skipValue(text, start);
    const value = stringValue(text, start, end);
    if (key === "kind") out.kind = value;
    else if (key === "observedAt") out.observedAt = value;
    else out.profile = value;
    return found < WANTED.size ? end : STOP;
  });
  return out;
}

const STOP = -1;

/**
 * Calls `visit(key, valueStart)` for each member of the object starting at `at`; `visit` returns the index
 * after the value to go on, or STOP.
 */
function forEachMember(text: string, at: number, visit: (key: string, start: number) => number): void {
  if (text.charCodeAt(at) !== OPEN_OBJECT) throw new WizEventScanError(`expected an object at ${at}`);
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new WizEventScanError(`expected a key at ${i}`);
    const keyEnd = skipString(text, i);
    const rawKey = text.slice(i + 1, keyEnd - 1);
    const key = rawKey.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) throw new WizEventScanError(`expected : at ${i}`);
    const end = visit(key, skipSpace(text, i + 1));
    if (end === STOP) return;
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_OBJECT) return;
    if (c !== COMMA) throw new WizEventScanError(`expected , or } at ${i}`);
    i = skipSpace(text, i + 1);
  }
}

function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
    else return i;
  }
}

/** `at` is an opening quote; returns the index after the closing one. */
function skipString(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) throw new WizEventScanError(`unterminated string at ${at}`);
    let slashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k -= 1) slashes += 1;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return skipString(text, at);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    let i = at;
    for (;;) {
      const d = text.charCodeAt(i);
      if (Number.isNaN(d)) throw new WizEventScanError(`unterminated value at ${at}`);
      if (d === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth += 1;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
  }
  let i = at;
  for (;;) {
    const d = text.charCodeAt(i);
    if (Number.isNaN(d) || d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    i += 1;
  }
  if (i === at) throw new WizEventScanError(`expected a value at ${at}`);
  return i;
}

/** The string a JSON string value holds; undefined for any other value. */
function stringValue(text: string, start: number, end: number): string | undefined {
  if (text.charCodeAt(start) !== QUOTE) return undefined;
  const inner = text.slice(start + 1, end - 1);
  return inner.includes("\\") ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/** Which members of an object to read: `true` parses the value, a nested spec reads only those members of an object value. */
export type MemberSpec = { readonly [key: string]: MemberSpec | true };

/**
 * The values of the members `spec` names, of the object at `start`: a value is parsed alone, an object value
 * with a nested spec becomes a Map of its named members, everything else is skipped unparsed. Stops once
 * all are found. Throws WizEventScanError when the text is not an object.
 */
export function objectMembers(text: string, start: number, spec: MemberSpec): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const wanted = Object.keys(spec).length;
  forEachMember(text, start, (key, s) => {
    const end = skipValue(text, s);
    const want = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (want === undefined) return end;
    if (want !== true && text.charCodeAt(s) === OPEN_OBJECT) out.set(key, objectMembers(text, s, want));
    else {
      const value = stringValue(text, s, end);
      out.set(key, value !== undefined ? value : JSON.parse(text.slice(s, end)));
    }
    return out.size < wanted ? end : STOP;
  });
  return out;
}
