import type { WizSeverity } from "../../model/canonical/common.js";
import type { SinkRecord } from "../sink.js";
import { cefPayloadOf } from "./cef-payload.js";
import { leefPayloadOf } from "./leef-payload.js";
import { HEADER_LIMITS, headerField, priorityOf, structuredDataElement, syslogTimestamp, truncateUtf8, UTF8_BOM, WIZ_SD_ID } from "./rfc5424-message.js";
import { eventFieldsOf, eventHeaderOf, MalformedEventError, type SyslogEventFields, type SyslogEventHeader } from "./wiz-event-fields.js";

export type SyslogFormat = "json" | "cef" | "leef";
export type SyslogFraming = "octet-counting" | "lf" | "datagram";

export interface SyslogEncoderOptions {
  facility: number;
  /** Syslog severity (0-7) per Wiz tier, and NONE for records without one. */
  severities: Readonly<Record<WizSeverity | "NONE", number>>;
  hostname: string;
  appName: string;
  procId: string;
  format: SyslogFormat;
  framing: SyslogFraming;
  /** Largest SYSLOG-MSG (header + BOM + MSG) in bytes. */
  maxMessageBytes: number;
  truncate: boolean;
  /** wizbridge's version, for the CEF and LEEF headers. */
  version: string;
  leefDelimiter: string;
  /** Names the limit's origin in a rejection (`udp`, `tcp`...). */
  protocol: string;
}

/** A batch ready for the transport, and what was refused. */
export interface EncodedSyslogBatch {
  /** octet-counting / lf: one buffer of whole frames; datagram: one buffer per message. Valid until the next encode. */
  frames: Buffer | Buffer[];
  /** Event id -> why it cannot be sent (too large, not a WizEvent). */
  rejected: Map<string, string>;
  /** Ids of the events in `frames`. */
  sent: string[];
  /** How many MSGs were cut to fit (truncate: true). */
  truncated: number;
}

/** Per-event texts before they are written into the batch buffer. */
interface EncodedMessage {
  eventId: string;
  header: string;
  msg: string;
  bytes: number;
}

const DEFAULT_STREAM_FIELD_CACHE = 32;

/**
 * Turns outbox records into RFC 5424 messages (header, `[wiz@32473 ...]` structured data, BOM + MSG in the
 * chosen format) framed for the transport, in one reused buffer: no per-event Buffer on the hot path.
 */
export class SyslogBatchEncoder {
  private scratch = Buffer.alloc(0);
  /** HOSTNAME APP-NAME PROCID, the same for every message. */
  private readonly fixed: string;
  private readonly msgIds = new Map<string, string>();

  constructor(private readonly o: SyslogEncoderOptions) {
    this.fixed = `${headerField(o.hostname, HEADER_LIMITS.hostname)} ${headerField(o.appName, HEADER_LIMITS.appName)} ${headerField(o.procId, HEADER_LIMITS.procId)}`;
  }

  encode(batch: readonly SinkRecord[]): EncodedSyslogBatch {
    const rejected = new Map<string, string>();
    const messages: EncodedMessage[] = [];
    let truncated = 0;
    let total = 0;
    for (const record of batch) {
      const message = this.message(record, rejected);
      if (!message) continue;
      if (message.truncated) truncated += 1;
      messages.push(message);
      total += message.bytes + 12;
    }
    if (this.scratch.length < total) this.scratch = Buffer.allocUnsafe(Math.max(total, this.scratch.length * 2));
    const buf = this.scratch;
    const datagrams: Buffer[] = [];
    let at = 0;
    for (const m of messages) {
      const start = at;
      if (this.o.framing === "octet-counting") at += buf.write(`${m.bytes} `, at, "latin1");
      at += buf.write(m.header, at, "utf8");
      at += UTF8_BOM.copy(buf, at);
      at += buf.write(m.msg, at, "utf8");
      if (this.o.framing === "lf") buf[at++] = 0x0a;
      if (this.o.framing === "datagram") datagrams.push(buf.subarray(start, at));
    }
    return { frames: this.o.framing === "datagram" ? datagrams : buf.subarray(0, at), rejected, sent: messages.map((m) => m.eventId), truncated };
  }

  /** The header and MSG of one record, or undefined after noting why it is refused. */
  private message(record: SinkRecord, rejected: Map<string, string>): (EncodedMessage & { truncated: boolean }) | undefined {
    let fields: Omit<SyslogEventHeader, "recordStart">;
    let msg: string;
    try {
      // JSON keeps the payload as it is: only the header fields are read. CEF and LEEF need the record too.
      if (this.o.format === "json") {
        fields = eventHeaderOf(record);
        msg = this.o.framing === "lf" && /[\r\n]/.test(record.payload) ? record.payload.replace(/[\r\n]/g, " ") : record.payload;
      } else {
        const full = eventFieldsOf(record);
        fields = full;
        msg = this.payload(full);
      }
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      rejected.set(record.eventId, error.message);
      return undefined;
    }
    let header = this.header(fields, undefined);
    const headerBytes = Buffer.byteLength(header, "utf8");
    const msgBytes = Buffer.byteLength(msg, "utf8");
    const bytes = headerBytes + UTF8_BOM.length + msgBytes;
    const max = this.o.maxMessageBytes;
    if (bytes <= max) return { eventId: record.eventId, header, msg, bytes, truncated: false };
    if (this.o.truncate) {
      header = this.header(fields, bytes);
      const room = max - Buffer.byteLength(header, "utf8") - UTF8_BOM.length;
      if (room > 0) {
        msg = truncateUtf8(msg, room);
        return { eventId: record.eventId, header, msg, bytes: max - room + Buffer.byteLength(msg, "utf8"), truncated: true };
      }
    }
    rejected.set(
      record.eventId,
      `syslog message of ${bytes} bytes exceeds maxMessageBytes (${max}, ${this.o.protocol}); raise maxMessageBytes if the receiver accepts larger messages (UDP cannot exceed 65,507), or set truncate: true to cut the MSG to fit`,
    );
    return undefined;
  }

  private payload(fields: SyslogEventFields): string {
    return this.o.format === "cef" ? cefPayloadOf(fields, this.o.version) : leefPayloadOf(fields, this.o.version, this.o.leefDelimiter);
  }

  /** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [wiz@32473 ...] ` (`originalBytes` only when the MSG was cut). */
  private header(f: Omit<SyslogEventHeader, "recordStart">, originalBytes: number | undefined): string {
    const severity = this.o.severities[f.severity ?? "NONE"];
    const params: Array<[string, string]> = [
      ["eventId", this.sdValue(f.eventId)],
      ["stream", this.sdValue(f.stream)],
      ["connector", this.sdValue(f.connector)],
      ["kind", this.sdValue(f.kind)],
    ];
    if (originalBytes !== undefined) params.push(["originalBytes", String(originalBytes)]);
    return `<${priorityOf(this.o.facility, severity)}>1 ${syslogTimestamp(f.observedAt)} ${this.fixed} ${this.msgIdOf(f.stream)} ${structuredDataElement(WIZ_SD_ID, params)} `;
  }

  /** LF framing cannot carry a line break anywhere in a message: in a PARAM-VALUE it becomes a space. */
  private sdValue(value: string): string {
    return this.o.framing === "lf" ? value.replace(/[\r\n]/g, " ") : value;
  }

  /** MSGID = the stream name as a header field (at most 32 printable ASCII characters). */
  private msgIdOf(stream: string): string {
    let id = this.msgIds.get(stream);
    if (id === undefined) {
      id = headerField(stream, HEADER_LIMITS.msgId);
      if (this.msgIds.size < DEFAULT_STREAM_FIELD_CACHE) this.msgIds.set(stream, id);
    }
    return id;
  }
}
