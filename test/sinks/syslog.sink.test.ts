import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeSyslogServer, sdParam, type FakeSyslogServer, type ReceivedSyslogMessage } from "../../bench/fakes/syslog-server.js";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord, type SinkTestStep } from "../../src/sinks/sink.js";
import { describeSink, sinkConfigSchema } from "../../src/sinks/sink-registry.js";
import { SyslogSink } from "../../src/sinks/syslog/syslog.sink.js";
import { syslogSinkSchema, syslogSinkType, type SyslogSinkSettings } from "../../src/sinks/syslog/syslog.sink-type.js";
import { issueRecord, testEvent, vulnerabilityRecord } from "./syslog-test-events.js";

const SECRET = "SENTINEL-SECRET-123";
const NASTY = 'a"b]c\\d\ne\u00fc\u65e5\u{1f512}]"\\';

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: "debug" }, { write: (line: string) => void lines.push(line) }), lines };
}

interface Harness {
  sink: SyslogSink;
  lines: string[];
}

const sinks: SyslogSink[] = [];
const servers: FakeSyslogServer[] = [];

function makeSink(settings: Omit<SyslogSinkSettings, "type">, id = "siem"): Harness {
  const { logger, lines } = capturingLogger();
  const parsed = syslogSinkSchema.parse({ type: "syslog", ...settings });
  const sink = new SyslogSink(id, parsed, { logger, baseDir: process.cwd(), now: () => Date.parse("2026-02-03T04:05:06.789Z") }, { hostname: "bridge-01", procId: "4242", version: "9.8.7" });
  sinks.push(sink);
  return { sink, lines };
}

async function server(options: Parameters<typeof startFakeSyslogServer>[0] = {}): Promise<FakeSyslogServer> {
  const s = await startFakeSyslogServer(options);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Like the dispatcher: writes until the sink takes the batch, retrying what it calls transient. */
async function writeWithRetry(sink: SyslogSink, batch: SinkRecord[], attempts = 5): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sink.write(batch);
      return attempt;
    } catch (error) {
      if (!(error instanceof SinkUnavailableError) || attempt >= attempts) throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// CEF and LEEF parsers written from the specifications (ArcSight CEF "Character Encoding"; IBM LEEF
// "event components"), independent of the encoder under test.

interface ParsedCef {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Map<string, string>;
}

function parseCef(text: string): ParsedCef {
  expect(text.startsWith("CEF:")).toBe(true);
  const fields: string[] = [];
  let current = "";
  let i = 4;
  // Header: seven fields split on unescaped |; \| and \\ are the only escapes.
  while (fields.length < 7) {
    const c = text[i];
    if (c === undefined) throw new Error(`CEF header ends after ${fields.length} fields`);
    if (c === "\\") {
      const next = text[i + 1];
      if (next !== "|" && next !== "\\") throw new Error(`bad header escape \\${next ?? ""}`);
      current += next;
      i += 2;
    } else if (c === "|") {
      fields.push(current);
      current = "";
      i += 1;
    } else {
      if (c === "\n" || c === "\r") throw new Error("line break in CEF header");
      current += c;
      i += 1;
    }
  }
  const ext = text.slice(i);
  // Extension: key=value pairs separated by spaces; a value runs to the space before the next key=.
  const equals: number[] = [];
  for (let j = 0; j < ext.length; j += 1) {
    if (ext[j] === "\\") j += 1;
    else if (ext[j] === "=") equals.push(j);
    else if (ext[j] === "\n" || ext[j] === "\r") throw new Error("raw line break in CEF extension");
  }
  const keyStart = (eq: number): number => {
    let k = eq;
    while (k > 0 && /[A-Za-z0-9_]/.test(ext[k - 1] as string)) k -= 1;
    if (k === eq || (k > 0 && ext[k - 1] !== " ")) throw new Error(`no key before = at ${eq}`);
    return k;
  };
  const extension = new Map<string, string>();
  for (let n = 0; n < equals.length; n += 1) {
    const eq = equals[n] as number;
    const start = keyStart(eq);
    const end = n + 1 < equals.length ? keyStart(equals[n + 1] as number) - 1 : ext.length;
    const raw = ext.slice(eq + 1, end);
    let value = "";
    for (let j = 0; j < raw.length; j += 1) {
      if (raw[j] === "\\") {
        const next = raw[j + 1];
        value += next === "n" ? "\n" : next === "r" ? "\r" : next === "=" ? "=" : next === "\\" ? "\\" : `\\${next ?? ""}`;
        j += 1;
      } else value += raw[j];
    }
    const key = ext.slice(start, eq);
    expect(extension.has(key), `key ${key} appears twice`).toBe(false);
    extension.set(key, value);
  }
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = fields as [string, string, string, string, string, string, string];
  return { version, vendor, product, deviceVersion, signatureId, name, severity, extension };
}

interface ParsedLeef {
  version: string;
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  delimiter: string;
  attributes: Map<string, string>;
}

function parseLeef(text: string): ParsedLeef {
  expect(text.startsWith("LEEF:2.0|")).toBe(true);
  // LEEF has no escapes: the header is six |-separated fields, then the attributes.
  const parts = text.split("|");
  const [lv, vendor, product, productVersion, eventId, delimiterField] = parts as [string, string, string, string, string, string];
  const body = parts.slice(6).join("|");
  const hex = /^(?:0x|x)([0-9a-fA-F]{1,4})$/.exec(delimiterField);
  const delimiter = hex ? String.fromCharCode(parseInt(hex[1] as string, 16)) : delimiterField;
  expect(delimiter.length).toBe(1);
  expect(/[\r\n]/.test(text)).toBe(false);
  const attributes = new Map<string, string>();
  for (const pair of body.split(delimiter)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`attribute without key=: ${JSON.stringify(pair)}`);
    const key = pair.slice(0, eq);
    expect(attributes.has(key), `key ${key} appears twice`).toBe(false);
    attributes.set(key, pair.slice(eq + 1));
  }
  return { version: lv.slice(5), vendor, product, productVersion, eventId, delimiter, attributes };
}

// ---------------------------------------------------------------------------------------------------

describe("syslog sink over TCP", () => {
  it("delivers RFC 5424 messages whose header and structured data parse back exactly, nasty values included", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", appName: "wizbridge" });
    const nasty = testEvent({ seq: 1, eventId: `ev-${NASTY}`, connector: `conn-${NASTY}` });
    const plain = testEvent({ seq: 2, eventId: "ev-2", record: vulnerabilityRecord(), stream: "vulnerabilityFindings" });
    const removal = testEvent({ seq: 3, eventId: "ev-3", kind: "removal", record: { recordType: "issue", id: "iss-9", status: "REMOVED", portalUrl: "https://app.wiz.io/x" } });
    await sink.write([nasty, plain, removal]);
    await srv.waitFor(() => srv.messages.length === 3, "3 messages");
    expect(srv.parseErrors).toEqual([]);
    const [a, b, c] = srv.messages as [ReceivedSyslogMessage, ReceivedSyslogMessage, ReceivedSyslogMessage];
    expect(a).toMatchObject({ framing: "octet-counting", version: 1, facility: 16, severity: 2, pri: 130, timestamp: "2026-02-03T04:05:06.789Z", hostname: "bridge-01", appName: "wizbridge", procId: "4242", msgId: "issues", bom: true });
    expect(a.structuredData).toEqual([
      {
        id: "wiz@32473",
        params: [
          ["eventId", `ev-${NASTY}`],
          ["stream", "issues"],
          ["connector", `conn-${NASTY}`],
          ["kind", "upsert"],
        ],
      },
    ]);
    expect(a.msg).toBe(nasty.payload);
    expect(JSON.parse(a.msg)).toEqual(JSON.parse(nasty.payload));
    expect(b).toMatchObject({ severity: 3, msgId: "vulnerabilityFindings", msg: plain.payload });
    expect(c).toMatchObject({ severity: 6, msg: removal.payload });
    expect(sdParam(c, "wiz@32473", "kind")).toBe("removal");
  });

  it("frames multi-line messages by octet count, and by LF with line breaks made spaces when framing is lf", async () => {
    const srv = await server();
    const multi = [1, 2, 3].map((seq) => testEvent({ seq, indent: 2, connector: "line1\nline2" }));
    expect(multi[0]?.payload.split("\n").length).toBeGreaterThan(10);
    const octet = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp" });
    await octet.sink.write(multi);
    await srv.waitFor(() => srv.messages.length === 3, "3 octet-counted messages");
    expect(srv.messages.map((m) => m.msg)).toEqual(multi.map((r) => r.payload));
    expect(srv.messages.map((m) => sdParam(m, "wiz@32473", "connector"))).toEqual(["line1\nline2", "line1\nline2", "line1\nline2"]);

    const lf = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", framing: "lf" });
    await lf.sink.write(multi);
    await srv.waitFor(() => srv.messages.length === 6, "3 LF-framed messages");
    const lfMessages = srv.messages.slice(3);
    expect(lfMessages.every((m) => m.framing === "lf")).toBe(true);
    expect(lfMessages.map((m) => JSON.parse(m.msg) as unknown)).toEqual(multi.map((r) => JSON.parse(r.payload) as unknown));
    expect(lfMessages.map((m) => sdParam(m, "wiz@32473", "connector"))).toEqual(["line1 line2", "line1 line2", "line1 line2"]);
    expect(srv.parseErrors).toEqual([]);
  });

  it("writes CEF whose header and extension escaping parse back with a spec-written parser", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", format: "cef" });
    const title = "pipe | back\\slash = eq\nnewline \u00fc";
    const description = "a=b \\ c\nd\re | f ]\"";
    const issue = testEvent({ seq: 1, eventId: "ev=1\\x", record: issueRecord({ title, rule: { id: "rule|7\\x", name: "n", type: null }, status: "IN=PROGRESS" }) });
    const vuln = testEvent({ seq: 2, stream: "vulnerabilityFindings", record: vulnerabilityRecord({ description }) });
    const other = testEvent({ seq: 3, profile: "ocsf", record: { class_uid: 2004, severity: "High", id: "ocsf-1" } });
    await sink.write([issue, vuln, other]);
    await srv.waitFor(() => srv.messages.length === 3, "3 CEF messages");

    const a = parseCef((srv.messages[0] as ReceivedSyslogMessage).msg);
    expect(a).toMatchObject({ version: "0", vendor: "Wiz", product: "wizbridge", deviceVersion: "9.8.7", signatureId: "rule|7\\x", name: title.replace("\n", " "), severity: "10" });
    expect(Object.fromEntries(a.extension)).toEqual({
      rt: String(Date.parse("2026-02-03T04:05:06.789Z")),
      cat: "issues",
      act: "upsert",
      externalId: "iss-1",
      start: String(Date.parse("2026-01-02T03:04:05.123Z")),
      cs1Label: "wizPortalUrl",
      cs1: "https://app.wiz.io/issues#~(issue~'iss-1)",
      cs2Label: "wizStatus",
      cs2: "IN=PROGRESS",
      cs3Label: "wizEventId",
      cs3: "ev=1\\x",
      cs4Label: "wizConnector",
      cs4: "prod",
      cs5Label: "wizResourceId",
      cs5: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
      cs6Label: "wizResourceType",
      cs6: "VIRTUAL_MACHINE",
      flexString1Label: "wizResourceName",
      flexString1: "web-01",
      flexString2Label: "wizCloudAccount",
      flexString2: "123456789012",
    });
    const b = parseCef((srv.messages[1] as ReceivedSyslogMessage).msg);
    expect(b).toMatchObject({ signatureId: "CVE-2024-0001", severity: "8" });
    expect(b.extension.get("msg")).toBe(description);
    expect(b.extension.get("cn1")).toBe("8.1");
    expect(b.extension.get("cn1Label")).toBe("wizCvssScore");
    // Another profile: only the generic fields.
    const c = parseCef((srv.messages[2] as ReceivedSyslogMessage).msg);
    expect(c).toMatchObject({ signatureId: "issues", name: "Wiz issues upsert", severity: "8" });
    expect([...c.extension.keys()]).toEqual(["rt", "cat", "act", "externalId", "cs3Label", "cs3", "cs4Label", "cs4"]);
  });

  it("writes LEEF 2.0 whose attributes parse back with a spec-written parser, tab and custom delimiters", async () => {
    const srv = await server();
    const title = "tab\there caret^ eq=ok back\\slash pipe|x\nnext";
    const record = issueRecord({ title, rule: { id: "rule|1", name: "r", type: null } });
    const tab = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", format: "leef" });
    await tab.sink.write([testEvent({ seq: 1, record })]);
    const caret = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", format: "leef", leef: { delimiter: "^" } });
    await caret.sink.write([testEvent({ seq: 2, record })]);
    await srv.waitFor(() => srv.messages.length === 2, "2 LEEF messages");

    const a = parseLeef((srv.messages[0] as ReceivedSyslogMessage).msg);
    expect(a).toMatchObject({ version: "2.0", vendor: "Wiz", product: "wizbridge", productVersion: "9.8.7", eventId: "rule 1", delimiter: "\t" });
    expect((srv.messages[0] as ReceivedSyslogMessage).msg).toContain("|x09|");
    expect(a.attributes.get("devTime")).toBe("Feb 03 2026 04:05:06.789 GMT");
    expect(a.attributes.get("devTimeFormat")).toBe("MMM dd yyyy HH:mm:ss.SSS z");
    expect(a.attributes.get("sev")).toBe("10");
    expect(a.attributes.get("cat")).toBe("issues");
    expect(a.attributes.get("url")).toBe("https://app.wiz.io/issues#~(issue~'iss-1)");
    expect(a.attributes.get("wizTitle")).toBe("tab here caret^ eq=ok back\\slash pipe|x next");
    expect(a.attributes.get("wizId")).toBe("iss-1");
    expect(a.attributes.get("wizRuleId")).toBe("rule|1");
    expect(a.attributes.get("wizEventId")).toBe("ev-1");

    const b = parseLeef((srv.messages[1] as ReceivedSyslogMessage).msg);
    expect(b.delimiter).toBe("^");
    expect(b.attributes.get("wizTitle")).toBe("tab\there caret  eq=ok back\\slash pipe|x next");
    expect(b.attributes.get("resource")).toBe("web-01");
  });

  it("refuses a malformed payload and an oversized event for good, sends the rest, and names them accepted", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", maxMessageBytes: 4096 });
    const big = testEvent({ seq: 2, record: issueRecord({ title: "x".repeat(10_000) }) });
    const broken: SinkRecord = { seq: 3, eventId: "ev-3", connectorId: "prod", stream: "issues", payload: "{not json" };
    const error = await sink.write([testEvent({ seq: 1 }), big, broken, testEvent({ seq: 4 })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkRejectedError);
    const rejected = error as SinkRejectedError;
    expect([...rejected.rejected.keys()]).toEqual(["ev-2", "ev-3"]);
    expect(rejected.rejected.get("ev-2")).toMatch(/exceeds maxMessageBytes \(4096, tcp\).*truncate: true/);
    expect(rejected.rejected.get("ev-3")).toMatch(/payload is not JSON/);
    expect([...(rejected.accepted ?? [])]).toEqual(["ev-1", "ev-4"]);
    await srv.waitFor(() => srv.messages.length === 2, "the 2 accepted events");
    expect(srv.messages.map((m) => sdParam(m, "wiz@32473", "eventId"))).toEqual(["ev-1", "ev-4"]);
  });

  it("delivers a message far larger than a socket read intact", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp" });
    const big = testEvent({ seq: 1, record: issueRecord({ title: "\u00fc=\\\n]\"".repeat(100_000) }) });
    await sink.write([big, testEvent({ seq: 2 })]);
    await srv.waitFor(() => srv.received === 2, "the large message and the next");
    const [first, second] = srv.messages as [ReceivedSyslogMessage, ReceivedSyslogMessage];
    expect(first.bytes).toBeGreaterThan(700_000);
    expect(first.msg).toBe(big.payload);
    expect(sdParam(second, "wiz@32473", "eventId")).toBe("ev-2");
  });

  it("keeps batches whole and in order when writes overlap", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp" });
    const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 50 }, (_, i) => testEvent({ seq: b * 50 + i, indent: i % 2 === 0 ? 2 : undefined })));
    await Promise.all(batches.map((batch) => sink.write(batch)));
    await srv.waitFor(() => srv.messages.length === 400, "400 messages");
    expect(srv.messages.map((m) => sdParam(m, "wiz@32473", "eventId"))).toEqual(batches.flat().map((r) => r.eventId));
    expect(srv.parseErrors).toEqual([]);
  });

  it("reconnects on the next write after the receiver dropped the connection", async () => {
    const srv = await server();
    const { sink, lines } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp" });
    await sink.write([testEvent({ seq: 1 })]);
    await srv.waitFor(() => srv.received === 1, "the first event");
    srv.dropConnections();
    const second = [testEvent({ seq: 2 }), testEvent({ seq: 3 })];
    // Either the sink saw the close and reconnects at once, or its write on the dead connection fails and the retry reconnects.
    await writeWithRetry(sink, second);
    await srv.waitFor(() => srv.eventIds.has("ev-2") && srv.eventIds.has("ev-3"), "the second batch on a new connection");
    expect(srv.connections).toBe(2);
    expect(srv.messages.filter((m) => m.connection === 2).map((m) => m.msg)).toEqual(second.map((r) => r.payload));
    expect(lines.some((l) => l.includes("reconnecting"))).toBe(true);
  });

  it("fails a write while the receiver is down (the outbox keeps the batch) and delivers it once it is back", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp" });
    await sink.write([testEvent({ seq: 1 })]);
    await srv.waitFor(() => srv.received === 1, "the first event");
    await srv.stopTcp();
    const batch = [testEvent({ seq: 2 })];
    // No write resolves while the receiver is down: the first may fail on the dead connection, the next are refused.
    const failures: unknown[] = [];
    for (let i = 0; i < 3; i += 1) failures.push(await sink.write(batch).then(() => "resolved", (e: unknown) => e));
    expect(failures.every((f) => f instanceof SinkUnavailableError)).toBe(true);
    expect((failures[2] as Error).message).toMatch(new RegExp(`nothing accepts tcp connections at tcp://127.0.0.1:${srv.tcpPort} \\(connection refused\\).*host.*port.*protocol`));
    await srv.listenAgain();
    await writeWithRetry(sink, batch);
    await srv.waitFor(() => srv.eventIds.has("ev-2"), "the batch after the receiver came back");
  });
});

describe("syslog sink over UDP", () => {
  it("sends one message per datagram, dead-letters an event over maxMessageBytes, and cuts it with truncate: true", async () => {
    const srv = await server();
    const { sink, lines } = makeSink({ host: "127.0.0.1", port: srv.udpPort, protocol: "udp", format: "cef", maxMessageBytes: 2000 });
    expect(lines.some((l) => l.includes("lost without any error"))).toBe(true);
    const big = testEvent({ seq: 2, stream: "vulnerabilityFindings", record: vulnerabilityRecord({ description: "\u00fc".repeat(1000) }) });
    const error = await sink.write([testEvent({ seq: 1 }), big, testEvent({ seq: 3 })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect((error as SinkRejectedError).rejected.get("ev-2")).toMatch(/exceeds maxMessageBytes \(2000, udp\)/);
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual(["ev-1", "ev-3"]);
    await srv.waitFor(() => srv.received === 2, "2 datagrams");
    expect(srv.messages.every((m) => m.transport === "udp" && m.framing === "datagram")).toBe(true);

    const cut = makeSink({ host: "127.0.0.1", port: srv.udpPort, protocol: "udp", format: "cef", maxMessageBytes: 2000, truncate: true });
    await cut.sink.write([big]);
    await srv.waitFor(() => srv.received === 3, "the truncated datagram");
    const m = srv.messages[2] as ReceivedSyslogMessage;
    expect(m.bytes).toBeLessThanOrEqual(2000);
    expect(Number(sdParam(m, "wiz@32473", "originalBytes"))).toBeGreaterThan(2000);
    expect(m.msg.startsWith("CEF:0|Wiz|wizbridge|9.8.7|CVE-2024-0001|")).toBe(true);
    expect(m.msg).not.toContain("\ufffd");
    expect(cut.lines.some((l) => l.includes("were cut to fit"))).toBe(true);
  });

  it("selfTest passes and says nothing can confirm receipt", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.udpPort, protocol: "udp" });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["resolve", true],
      ["open UDP socket", true],
      ["send test event", true],
      ["report", true],
    ]);
    expect(steps[3]?.detail).toMatch(/nothing can confirm/);
    await srv.waitFor(() => srv.received === 1, "the test event");
    expect(sdParam(srv.messages[0] as ReceivedSyslogMessage, "wiz@32473", "eventId")).toMatch(/^wizbridge-sink-test-siem-/);
  });
  it("selfTest fails when the host answers that nothing listens on the UDP port, naming host, port and protocol", async () => {
    const srv = await server();
    const port = srv.udpPort;
    await srv.close();
    servers.splice(servers.indexOf(srv), 1);
    const { sink } = makeSink({ host: "127.0.0.1", port, protocol: "udp" });
    const steps = await sink.selfTest();
    // The refusal comes back at once on this host (failing the send) or within the wait after it (failing the report).
    const failed = steps.find((s) => !s.ok) as SinkTestStep;
    expect(steps.slice(0, 2).map((s) => [s.step, s.ok])).toEqual([
      ["resolve", true],
      ["open UDP socket", true],
    ]);
    expect(["send test event", "report"]).toContain(failed.step);
    expect(steps.at(-1)).toBe(failed);
    expect(failed.detail).toBe(`nothing listens on udp://127.0.0.1:${port} (the host answered ICMP port unreachable)`);
    expect(failed.fix).toMatch(new RegExp(`host \\(127.0.0.1\\), port \\(${port}\\) and protocol \\(udp\\)`));
    // While the port stays closed, writes fail (the outbox keeps the batch) as soon as the refusal is back.
    const results: unknown[] = [];
    for (let i = 0; i < 3; i += 1) results.push(await sink.write([testEvent({ seq: i })]).then(() => "resolved", (e: unknown) => e));
    expect(results.some((r) => r instanceof SinkUnavailableError)).toBe(true);
  });
});

describe("syslog sink over TLS", () => {
  let pki: string;
  const pem = (name: string): Buffer => readFileSync(join(pki, name));

  beforeAll(() => {
    pki = mkdtempSync(join(tmpdir(), "wizbridge-syslog-pki-"));
    const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: pki, stdio: "pipe" });
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    openssl("req", "-x509", ...ec, "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=wizbridge test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    openssl("req", "-x509", ...ec, "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=some other CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    writeFileSync(join(pki, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    openssl("req", ...ec, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=syslog.test");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
    writeFileSync(join(pki, "client.ext"), "extendedKeyUsage=clientAuth\n");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass", `pass:${SECRET}`, "-out", "client.key");
    openssl("req", "-new", "-key", "client.key", "-passin", `pass:${SECRET}`, "-out", "client.csr", "-subj", "/CN=wizbridge-client");
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.crt", "-days", "2", "-extfile", "client.ext");
  });

  afterAll(() => rmSync(pki, { recursive: true, force: true }));

  it("delivers over mutual TLS with an encrypted client key, and the passphrase shows nowhere", async () => {
    const srv = await server({ tls: { key: pem("server.key"), cert: pem("server.crt"), ca: pem("ca.crt"), requireClientCert: true } });
    const settings = { host: "127.0.0.1", port: srv.tlsPort as number, protocol: "tls" as const, format: "leef" as const, tls: { caFile: join(pki, "ca.crt"), certFile: join(pki, "client.crt"), keyFile: join(pki, "client.key"), keyPassphrase: SECRET } };
    const { sink, lines } = makeSink(settings);
    const steps = await sink.selfTest();
    expect(steps.every((s) => s.ok), JSON.stringify(steps)).toBe(true);
    expect(steps[1]).toMatchObject({ step: "connect + TLS handshake", ok: true });
    expect(steps[1]?.detail).toMatch(/TLS handshake with tls:\/\/127.0.0.1:\d+ done \(TLSv1\.[23].*CN=syslog.test verified\)/);
    await sink.write([testEvent({ seq: 1 }), testEvent({ seq: 2 })]);
    await srv.waitFor(() => srv.received === 3, "the test event and 2 events");
    expect(srv.messages.every((m) => m.transport === "tls" && m.framing === "octet-counting")).toBe(true);
    expect(srv.clientCertificates).toContain("wizbridge-client");
    expect(parseLeef((srv.messages[1] as ReceivedSyslogMessage).msg).attributes.get("wizEventId")).toBe("ev-1");

    const described = syslogSinkType.describe("siem", syslogSinkSchema.parse({ type: "syslog", ...settings }));
    expect(described).toBe(`siem: syslog tls://127.0.0.1:${srv.tlsPort} (leef)`);
    await sink.close();
    const wrong = (() => {
      try {
        makeSink({ ...settings, tls: { ...settings.tls, keyPassphrase: `${SECRET}-wrong` } });
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();
    expect(wrong?.message).toMatch(/sinks\.siem\.tls: cannot load the TLS files .*tls\.keyPassphrase/);
    const everything = [described, JSON.stringify(steps), wrong?.message, String(wrong?.cause), ...lines].join("\n");
    expect(everything).not.toContain(SECRET);
  });

  it("selfTest fails with a fix naming tls.certFile when the receiver requires a client certificate", async () => {
    const srv = await server({ tls: { key: pem("server.key"), cert: pem("server.crt"), ca: pem("ca.crt"), requireClientCert: true } });
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tlsPort as number, protocol: "tls", tls: { caFile: join(pki, "ca.crt") } });
    const steps = await sink.selfTest();
    const failed = steps.find((s) => !s.ok) as SinkTestStep;
    // TLS 1.3 finishes the client's side of the handshake before the server checks: the refusal shows on the handshake or the first write.
    expect(["connect + TLS handshake", "send test event"]).toContain(failed.step);
    expect(failed.fix).toMatch(/tls\.certFile and tls\.keyFile/);
    expect(failed.detail).toMatch(/refused this client.s certificate/);
    expect(srv.received).toBe(0);
  });

  it("selfTest fails the handshake against an untrusted certificate with a fix naming tls.caFile", async () => {
    const srv = await server({ tls: { key: pem("server.key"), cert: pem("server.crt") } });
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tlsPort as number, protocol: "tls", tls: { caFile: join(pki, "other-ca.crt") } });
    const steps = await sink.selfTest();
    const failed = steps.find((s) => !s.ok) as SinkTestStep;
    expect(failed).toMatchObject({ step: "connect + TLS handshake", ok: false });
    expect(failed.detail).toMatch(/not trusted/);
    expect(failed.fix).toMatch(/tls\.caFile/);
    expect(srv.received).toBe(0);
  });

  it("selfTest against a plain TCP port with protocol tls says the port may serve plain syslog", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tls", connectTimeoutMs: 20_000, tls: { caFile: join(pki, "ca.crt") } });
    const steps = await sink.selfTest();
    const failed = steps.find((s) => !s.ok) as SinkTestStep;
    expect(failed.step).toBe("connect + TLS handshake");
    expect(failed.fix).toMatch(/protocol: tcp/);
  });
});

describe("syslog sink selfTest and settings", () => {
  it("passes over TCP and the marked test event arrives", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", format: "cef" });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["resolve", true],
      ["connect", true],
      ["send test event", true],
      ["report", true],
    ]);
    expect(steps[3]?.detail).toMatch(/no acknowledgement/);
    await srv.waitFor(() => srv.received === 1, "the test event");
    const cef = parseCef((srv.messages[0] as ReceivedSyslogMessage).msg);
    expect(cef.extension.get("act")).toBe("test");
    expect(cef.extension.get("cs3")).toMatch(/^wizbridge-sink-test-siem-/);
  });

  it("fails on connection refused with a fix naming host, port and protocol", async () => {
    const srv = await server();
    const port = srv.tcpPort;
    await srv.stopTcp();
    const { sink } = makeSink({ host: "127.0.0.1", port, protocol: "tcp" });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["resolve", true],
      ["connect", false],
    ]);
    expect(steps[1]?.detail).toBe(`nothing accepts tcp connections at tcp://127.0.0.1:${port} (connection refused)`);
    expect(steps[1]?.fix).toMatch(new RegExp(`host \\(127.0.0.1\\), port \\(${port}\\) and protocol \\(tcp\\)`));
  });

  it("fails when the receiver closes the connection right after reading the test event", async () => {
    const closer = createServer((socket) => socket.once("data", () => socket.destroy()));
    await new Promise<void>((resolve) => closer.listen(0, "127.0.0.1", resolve));
    try {
      const { sink } = makeSink({ host: "127.0.0.1", port: (closer.address() as AddressInfo).port, protocol: "tcp" });
      const steps = await sink.selfTest();
      const failed = steps.find((s) => !s.ok) as SinkTestStep;
      expect(["send test event", "report"]).toContain(failed.step);
      expect(failed.fix).toMatch(/framing|protocol/);
    } finally {
      await new Promise((resolve) => closer.close(resolve));
    }
  });

  it("fails to resolve an unknown host with a fix naming host", async () => {
    const { sink } = makeSink({ host: "no-such-host.invalid", protocol: "tcp" });
    const steps = await sink.selfTest();
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ step: "resolve", ok: false });
    expect(steps[0]?.fix).toMatch(/check host/);
  });

  it("validates settings with messages that say what to change, and describes only host, port, protocol and format", () => {
    const issues = (input: Record<string, unknown>): string[] => syslogSinkSchema.safeParse({ type: "syslog", host: "siem", ...input }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ protocol: "tcp", tls: { caFile: "ca.pem" } })).toEqual(["tls: applies to protocol tls only; set protocol: tls, or remove tls (protocol is tcp)"]);
    expect(issues({ protocol: "udp", maxMessageBytes: 70_000 })).toEqual(["maxMessageBytes: must be at most 65507 with protocol udp (the largest UDP datagram over IPv4)"]);
    expect(issues({ facility: "local9" })[0]).toMatch(/^facility: /);
    expect(issues({ appName: "has space" })).toEqual(["appName: must be printable US-ASCII without spaces (RFC 5424 header field)"]);
    expect(issues({ format: "leef", leef: { delimiter: "==" } })[0]).toMatch(/^leef.delimiter: must be one character/);
    expect(issues({ severityMap: { CRITICAL: 9 } })[0]).toMatch(/^severityMap.CRITICAL: /);
    expect(issues({ severityMap: { HIGH: "crit", NONE: 7 }, facility: 3, format: "leef", leef: { delimiter: "x5E" } })).toEqual([]);
    expect(issues({ bogus: 1 })[0]).toMatch(/bogus/);
    const describeOf = (input: Record<string, unknown>): string => syslogSinkType.describe("s", syslogSinkSchema.parse({ type: "syslog", host: "siem.example", ...input }));
    expect(describeOf({})).toBe("s: syslog tcp://siem.example:514 (json)");
    expect(describeOf({ protocol: "udp", format: "cef" })).toBe("s: syslog udp://siem.example:514 (cef)");
    expect(describeOf({ protocol: "tls", tls: { keyPassphrase: SECRET } })).toBe("s: syslog tls://siem.example:6514 (json)");
  });

  it("is registered: the config schema picks it by type, with its own checks", () => {
    const ok = sinkConfigSchema.safeParse({ type: "syslog", host: "siem", protocol: "udp", format: "cef" });
    expect(ok.success).toBe(true);
    expect(describeSink("siem", ok.data as never)).toBe("siem: syslog udp://siem:514 (cef)");
    const bad = sinkConfigSchema.safeParse({ type: "syslog", host: "siem", protocol: "udp", maxMessageBytes: 100_000 });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["maxMessageBytes"]);
  });

  it("maps severities through severityMap and the facility into PRI", async () => {
    const srv = await server();
    const { sink } = makeSink({ host: "127.0.0.1", port: srv.tcpPort, protocol: "tcp", facility: "auth", severityMap: { CRITICAL: "alert", NONE: 7 } });
    await sink.write([testEvent({ seq: 1 }), testEvent({ seq: 2, record: { recordType: "project", id: "p1", title: null, severity: null } }), testEvent({ seq: 3, record: issueRecord({ severity: "LOW" }) })]);
    await srv.waitFor(() => srv.received === 3, "3 messages");
    expect(srv.messages.map((m) => [m.facility, m.severity])).toEqual([
      [4, 1],
      [4, 7],
      [4, 5],
    ]);
  });
});
