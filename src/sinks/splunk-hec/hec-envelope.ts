import type { SinkRecord } from "../sink.js";

/** HEC metadata of one event: where Splunk files it. */
export interface HecEventMeta {
  /** Absent: the token's default index. */
  index?: string;
  sourcetype: string;
  source?: string;
  /** Absent: Splunk fills in the host it received the request from (or the token's default). */
  host?: string;
}

/** Sink-wide defaults and per-stream overrides, as configured. */
export interface HecMetaSettings {
  index?: string;
  sourcetype?: string;
  source?: string;
  host?: string;
  streams?: Partial<Record<string, { index?: string; sourcetype?: string; source?: string }>>;
}

/** Events of a request: `count` records from `first` of the encoded slice, as one concatenated-JSON body. */
export interface HecChunk {
  first: number;
  count: number;
  body: Buffer;
}

export const DEFAULT_SOURCE = "wizbridge";

/** `wiz:issues`: the sourcetype of a stream when none is configured. */
export function defaultSourcetype(stream: string): string {
  return `wiz:${stream}`;
}

const OBSERVED_AT = '"observedAt":"';

/**
 * Builds HEC request bodies: `{"time":…,"host":…,"source":…,"sourcetype":…,"index":…,"event":<WizEvent>}`
 * per event, concatenated. The WizEvent JSON is spliced in as it is (never parsed again); the metadata text
 * of each stream is built once.
 */
export class HecEnvelopeEncoder {
  /** Stream -> `,"host":…,"sourcetype":…,"event":` (everything between the time and the payload). */
  private readonly middles = new Map<string, string>();
  private readonly metas = new Map<string, HecEventMeta>();
  /** Consecutive events of a page share observedAt: its parse is kept. */
  private lastObservedAt = "";
  private lastTime = "";

  constructor(
    private readonly settings: HecMetaSettings,
    /** Epoch ms, for an event without a readable observedAt. */
    private readonly now: () => number,
  ) {}

  /** Where the events of `stream` go, and which setting chose the index (for error messages). */
  metaOf(stream: string): HecEventMeta {
    let meta = this.metas.get(stream);
    if (!meta) {
      const own = this.settings.streams?.[stream];
      const index = own?.index ?? this.settings.index;
      const source = own?.source ?? this.settings.source ?? DEFAULT_SOURCE;
      const host = this.settings.host;
      meta = { sourcetype: own?.sourcetype ?? this.settings.sourcetype ?? defaultSourcetype(stream), source, ...(index !== undefined ? { index } : {}), ...(host !== undefined ? { host } : {}) };
      this.metas.set(stream, meta);
    }
    return meta;
  }

  /** The setting an event's index comes from: `streams.issues.index` or `index`; undefined when the token's default applies. */
  indexKeyOf(stream: string): string | undefined {
    if (this.settings.streams?.[stream]?.index !== undefined) return `streams.${stream}.index`;
    return this.settings.index !== undefined ? "index" : undefined;
  }

  /**
   * The records as request bodies of at most `maxBytes` each (an event larger than that goes alone), in
   * order. `first` of each chunk counts from the start of `records`.
   */
  encode(records: readonly SinkRecord[], maxBytes: number): HecChunk[] {
    const chunks: HecChunk[] = [];
    // An upper bound of what is left to encode, so a buffer is never much larger than the events can fill.
    let remainingBound = 0;
    for (const r of records) remainingBound += this.boundOf(r);
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes, remainingBound));
    let at = 0;
    let first = 0;
    for (let i = 0; i < records.length; i += 1) {
      const record = records[i] as SinkRecord;
      const head = `{"time":${this.timeOf(record.payload)}${this.middleOf(record.stream)}`;
      const share = this.boundOf(record);
      if (at + share > buffer.length) {
        // Near the end of the buffer the exact UTF-8 size decides (the bound counts 3 bytes per character).
        const exact = Buffer.byteLength(head, "utf8") + Buffer.byteLength(record.payload, "utf8") + 1;
        let flushed = false;
        if (at > 0 && at + exact > Math.min(maxBytes, buffer.length)) {
          chunks.push({ first, count: i - first, body: buffer.subarray(0, at) });
          at = 0;
          first = i;
          flushed = true;
        }
        // A flushed buffer belongs to its chunk now. One event larger than maxBytes gets a buffer of its own size and goes alone.
        if (flushed || exact > buffer.length - at) buffer = Buffer.allocUnsafe(Math.max(exact, Math.min(maxBytes, remainingBound)));
      }
      remainingBound -= share;
      at += buffer.write(head, at, "utf8");
      at += buffer.write(record.payload, at, "utf8");
      buffer[at++] = 0x7d; // "}"
    }
    if (at > 0) chunks.push({ first, count: records.length - first, body: buffer.subarray(0, at) });
    return chunks;
  }

  /** At least the UTF-8 bytes of the record's envelope (3 bytes per UTF-16 unit; time and braces fit in 40). */
  private boundOf(record: SinkRecord): number {
    return (record.payload.length + this.middleOf(record.stream).length + 40) * 3;
  }

  /** `1715000000.123`: the event's observedAt in epoch seconds with milliseconds (HEC's `time`). */
  timeOf(payload: string): string {
    // observedAt is a top-level key of every WizEvent, ahead of record and raw: the first match is it (a quote
    // inside a JSON string is escaped, so the pattern cannot start inside a value).
    const start = payload.indexOf(OBSERVED_AT);
    if (start >= 0) {
      const from = start + OBSERVED_AT.length;
      const end = payload.indexOf('"', from);
      if (end > from && end - from <= 40) {
        const text = payload.slice(from, end);
        if (text === this.lastObservedAt) return this.lastTime;
        const ms = Date.parse(text);
        if (!Number.isNaN(ms)) {
          this.lastObservedAt = text;
          this.lastTime = epochSeconds(ms);
          return this.lastTime;
        }
      }
    }
    return epochSeconds(this.now());
  }

  private middleOf(stream: string): string {
    let middle = this.middles.get(stream);
    if (middle === undefined) {
      const meta = this.metaOf(stream);
      middle =
        (meta.host !== undefined ? `,"host":${JSON.stringify(meta.host)}` : "") +
        (meta.source !== undefined ? `,"source":${JSON.stringify(meta.source)}` : "") +
        `,"sourcetype":${JSON.stringify(meta.sourcetype)}` +
        (meta.index !== undefined ? `,"index":${JSON.stringify(meta.index)}` : "") +
        `,"event":`;
      this.middles.set(stream, middle);
    }
    return middle;
  }
}

/** Epoch ms as HEC's `time`: seconds with three decimals, exact (no float rounding). */
export function epochSeconds(ms: number): string {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  return `${seconds}.${String(whole - seconds * 1000).padStart(3, "0")}`;
}
