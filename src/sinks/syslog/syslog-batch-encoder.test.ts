import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { SyslogBatchEncoder, type SyslogEncoderOptions } from "./syslog-batch-encoder.js";

const options = (overrides: Partial<SyslogEncoderOptions> = {}): SyslogEncoderOptions => ({
  facility: 16,
  severities: { CRITICAL: 2, HIGH: 3, MEDIUM: 4, LOW: 5, INFORMATIONAL: 6, NONE: 6 },
  hostname: "host",
  appName: "wizbridge",
  procId: "7",
  format: "json",
  framing: "octet-counting",
  maxMessageBytes: 1024 * 1024,
  truncate: false,
  version: "1.0.0",
  leefDelimiter: "\t",
  protocol: "tcp",
  ...overrides,
});

const event = (id: string, title = "T\u00fc"): SinkRecord => ({
  seq: 1,
  eventId: id,
  connectorId: "prod",
  stream: "issues",
  payload: JSON.stringify({ id, kind: "upsert", observedAt: "2026-02-03T04:05:06.789Z", profile: "canonical", record: { recordType: "issue", id: "i", title, severity: "MEDIUM" } }),
});

const BOM = "\ufeff";

describe("SyslogBatchEncoder", () => {
  it("frames each message as `<octets> <message>` with the BOM before MSG", () => {
    const e = event("e1");
    const encoded = new SyslogBatchEncoder(options()).encode([e, event("e2")]);
    const text = (encoded.frames as Buffer).toString("utf8");
    const message = `<132>1 2026-02-03T04:05:06.789Z host wizbridge 7 issues [wiz@32473 eventId="e1" stream="issues" connector="prod" kind="upsert"] ${BOM}${e.payload}`;
    expect(text.startsWith(`${Buffer.byteLength(message)} ${message}${Buffer.byteLength(message.replace("e1", "e2").replace('"e1"', '"e2"'))} `)).toBe(true);
    expect(encoded.sent).toEqual(["e1", "e2"]);
  });

  it("ends each message with LF under lf framing and gives one buffer per datagram under UDP", () => {
    const lf = (new SyslogBatchEncoder(options({ framing: "lf" })).encode([event("e1"), event("e2")]).frames as Buffer).toString("utf8");
    expect(lf.split("\n").filter(Boolean).map((l) => l.slice(0, 6))).toEqual(["<132>1", "<132>1"]);
    const datagrams = new SyslogBatchEncoder(options({ framing: "datagram" })).encode([event("e1"), event("e2")]).frames as Buffer[];
    expect(datagrams).toHaveLength(2);
    expect(datagrams.map((d) => d.toString("utf8").startsWith("<132>1 "))).toEqual([true, true]);
  });

  it("reuses its buffer across batches without corrupting a larger batch after a smaller one", () => {
    const encoder = new SyslogBatchEncoder(options({ framing: "datagram" }));
    encoder.encode([event("a", "x")]);
    const second = encoder.encode([event("b", "y".repeat(5000)), event("c", "z")]).frames as Buffer[];
    expect(second.map((d) => JSON.parse(d.toString("utf8").split(BOM)[1] as string).id)).toEqual(["b", "c"]);
  });

  it("rejects a message over the limit with the size, or cuts it when truncate is on", () => {
    const big = event("big", "x".repeat(3000));
    const refused = new SyslogBatchEncoder(options({ maxMessageBytes: 1000, protocol: "udp" })).encode([big]);
    expect(refused.sent).toEqual([]);
    expect(refused.rejected.get("big")).toMatch(/^syslog message of \d+ bytes exceeds maxMessageBytes \(1000, udp\)/);
    const cut = new SyslogBatchEncoder(options({ maxMessageBytes: 1000, framing: "datagram", truncate: true })).encode([big]);
    const datagram = (cut.frames as Buffer[])[0] as Buffer;
    expect(datagram.length).toBe(1000);
    expect(cut.truncated).toBe(1);
    expect(datagram.toString("utf8")).toMatch(/ originalBytes="\d+"\] /);
  });
});
