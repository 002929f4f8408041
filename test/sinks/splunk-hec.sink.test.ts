import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSplunkHecServer, type FakeSplunkHecOptions } from "../../bench/fakes/splunk-hec-server.js";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../../src/sinks/sink.js";
import { SplunkHecConfigError } from "../../src/sinks/splunk-hec/hec-failure.js";
import { splunkHecSinkSchema, splunkHecSinkType } from "../../src/sinks/splunk-hec/splunk-hec.sink-type.js";
import { SplunkHecSink } from "../../src/sinks/splunk-hec/splunk-hec.sink.js";

const SENTINEL = "SENTINEL-SECRET-123";
const OBSERVED_AT = "2025-03-04T05:06:07.890Z";

const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function capture(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join("") };
}

async function fake(options: FakeSplunkHecOptions = {}): Promise<FakeSplunkHecServer> {
  const server = await FakeSplunkHecServer.start(options);
  open.push(server);
  return server;
}

function sinkFor(url: string, token: string, settings: Record<string, unknown> = {}, logger: Logger = capture().logger): SplunkHecSink {
  const parsed = splunkHecSinkSchema.parse({ type: "splunk-hec", url, token, ack: { pollIntervalMs: 20 }, ...settings });
  const sink = new SplunkHecSink("splunk", parsed, { logger, baseDir: process.cwd(), now: Date.now });
  open.push(sink);
  return sink;
}

function record(i: number, stream = "issues", extra: Record<string, unknown> = {}): SinkRecord {
  const id = `e${i}`;
  const event = { id, source: "wiz", kind: "upsert", connector: "c1", stream, observedAt: OBSERVED_AT, profile: "canonical", record: { title: `finding ${i} — Überprüfung 🔒`, ...extra }, raw: { id: `wiz-${i}` } };
  return { seq: i, eventId: id, connectorId: "c1", stream, payload: JSON.stringify(event) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("splunk-hec sink against a protocol-faithful HEC", () => {
  it("delivers each WizEvent as HEC's `event` with time from observedAt and the metadata of its stream", async () => {
    const hec = await fake({ indexes: ["wiz", "wiz_vulns"] });
    const sink = sinkFor(hec.url, hec.token, {
      index: "wiz",
      host: "bridge-1",
      streams: { vulnerabilityFindings: { index: "wiz_vulns", sourcetype: "wiz:vulns" }, cloudResources: { source: "inventory" } },
    });
    const batch = [record(1, "issues"), record(2, "vulnerabilityFindings"), record(3, "cloudResources"), record(4, "issues")];
    await sink.write(batch);

    expect(hec.events.size).toBe(4);
    for (const r of batch) {
      const stored = hec.events.get(r.eventId);
      expect(stored?.event).toEqual(JSON.parse(r.payload));
      expect(stored?.time).toBe(Date.parse(OBSERVED_AT) / 1000);
      expect(stored?.host).toBe("bridge-1");
      expect(stored?.indexed).toBe(true);
      expect(stored?.copies).toBe(1);
    }
    expect(hec.events.get("e1")).toMatchObject({ index: "wiz", sourcetype: "wiz:issues", source: "wizbridge" });
    expect(hec.events.get("e2")).toMatchObject({ index: "wiz_vulns", sourcetype: "wiz:vulns", source: "wizbridge" });
    expect(hec.events.get("e3")).toMatchObject({ index: "wiz", sourcetype: "wiz:cloudResources", source: "inventory" });
    const posts = hec.requests.filter((r) => r.path === "/services/collector/event");
    expect(posts.every((p) => p.channel !== undefined && /^[0-9a-f-]{36}$/.test(p.channel))).toBe(true);
  });

  it("resolves write only once Splunk says the batch is indexed, and asks about concurrent writes in one query", async () => {
    const hec = await fake({ ackDelayMs: "manual" });
    const sink = sinkFor(hec.url, hec.token);
    const settled: boolean[] = [false, false, false];
    const writes = [0, 1, 2].map((w) =>
      sink.write([record(w * 10), record(w * 10 + 1)]).then(() => {
        settled[w] = true;
      }),
    );
    await until(() => hec.events.size === 6, "all events reached HEC");
    // Each write has its ackId; wait until one query asked about all three at once.
    await until(() => hec.requests.some((r) => r.path === "/services/collector/ack" && (r.ackIds?.length ?? 0) === 3), "one ack query covers the three writes");
    expect(hec.unindexed).toBe(6);
    expect(settled).toEqual([false, false, false]);

    hec.indexPending();
    await Promise.all(writes);
    expect(settled).toEqual([true, true, true]);
    expect(hec.unindexed).toBe(0);
  });

  it("fails an unacknowledged batch with a retryable error after ack.timeoutMs", async () => {
    const hec = await fake({ ackDelayMs: "manual" });
    const sink = sinkFor(hec.url, hec.token, { ack: { pollIntervalMs: 50, timeoutMs: 1_000 } });
    const error = await sink.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as Error).message).toMatch(/did not confirm within 1000 ms/);
    expect((error as Error).message).toMatch(/twice/);
    expect(hec.events.get("e1")?.indexed).toBe(false);
  });

  it("isolates an invalid event: it is refused with Splunk's text, the rest is indexed (those before it sent again when ack is on)", async () => {
    const hec = await fake({ rejectEventsContaining: "POISON" });
    const sink = sinkFor(hec.url, hec.token);
    const batch = [record(0), record(1), record(2, "issues", { note: "POISON" }), record(3), record(4)];
    const error = await sink.write(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkRejectedError);
    const rejected = error as SinkRejectedError;
    expect([...rejected.rejected.keys()]).toEqual(["e2"]);
    expect(rejected.rejected.get("e2")).toMatch(/"Invalid data format" \(code 6\)/);
    expect([...(rejected.accepted ?? [])].sort()).toEqual(["e0", "e1", "e3", "e4"]);
    expect(hec.events.has("e2")).toBe(false);
    for (const id of ["e0", "e1", "e3", "e4"]) expect(hec.events.get(id)?.indexed).toBe(true);
    // HEC kept e0 and e1 from the refused request, but gave no ackId to confirm them: they went again.
    expect(hec.events.get("e0")?.copies).toBe(2);
    expect(hec.events.get("e3")?.copies).toBe(1);
  });

  it("with ack off, counts the events before an invalid one as accepted without sending them again", async () => {
    const hec = await fake({ ack: false, rejectEventsContaining: "POISON" });
    const sink = sinkFor(hec.url, hec.token, { ack: { enabled: false } });
    const error = (await sink.write([record(0), record(1, "issues", { note: "POISON" }), record(2)]).catch((e: unknown) => e)) as SinkRejectedError;
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect([...error.rejected.keys()]).toEqual(["e1"]);
    expect([...(error.accepted ?? [])].sort()).toEqual(["e0", "e2"]);
    expect(hec.events.get("e0")?.copies).toBe(1);
    expect(hec.events.get("e2")?.copies).toBe(1);
    expect(hec.requests.some((r) => r.channel !== undefined)).toBe(false);
  });

  it("classifies 'Server is busy' as unavailable with Splunk's Retry-After, and delivers once it is not", async () => {
    const hec = await fake();
    const sink = sinkFor(hec.url, hec.token);
    hec.busy(1, 7);
    const error = await sink.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as SinkUnavailableError).retryAfterMs).toBe(7_000);
    expect((error as Error).message).toMatch(/"Server is busy" \(code 9\)/);
    await sink.write([record(1)]);
    expect(hec.events.get("e1")?.indexed).toBe(true);
  });

  it("refuses a wrong or disabled token with a set-up error that says to fix the token (never a dead letter)", async () => {
    const { logger, text } = capture();
    const hec = await fake();
    const wrong = sinkFor(hec.url, SENTINEL, {}, logger);
    const error = await wrong.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplunkHecConfigError);
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect((error as Error).message).toMatch(/"Invalid token" \(code 4\)/);
    expect((error as Error).message).toMatch(/fix the token/);
    expect((error as Error).message).not.toContain(SENTINEL);

    hec.tokenDisabled = true;
    const disabled = sinkFor(hec.url, hec.token, {}, logger);
    const off = await disabled.write([record(1)]).catch((e: unknown) => e);
    expect(off).toBeInstanceOf(SplunkHecConfigError);
    expect((off as Error).message).toMatch(/"Token disabled" \(code 1\).*enable it/);
    expect(hec.deliveries).toBe(0);
    expect(text()).not.toContain(SENTINEL);
  });

  it("explains a token without indexer acknowledgement before sending any event", async () => {
    const hec = await fake({ ack: false });
    const sink = sinkFor(hec.url, hec.token);
    const error = await sink.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplunkHecConfigError);
    expect((error as Error).message).toMatch(/"ACK is disabled" \(code 14\)/);
    expect((error as Error).message).toMatch(/enable indexer acknowledgement on the token.*ack\.enabled: false/);
    expect(hec.deliveries).toBe(0);

    const unacknowledged = sinkFor(hec.url, hec.token, { ack: { enabled: false } });
    await unacknowledged.write([record(1)]);
    expect(hec.events.get("e1")?.copies).toBe(1);
  });

  it("names the stream's index setting when Splunk refuses the index, as a set-up error", async () => {
    const hec = await fake({ indexes: ["wiz"] });
    const sink = sinkFor(hec.url, hec.token, { index: "wiz", streams: { detections: { index: "wiz_detect" } } });
    const error = await sink.write([record(1, "issues"), record(2, "detections")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplunkHecConfigError);
    expect((error as Error).message).toMatch(/index "wiz_detect" \(from sinks\.splunk\.streams\.detections\.index\)/);
    expect((error as Error).message).toMatch(/Allowed Indexes/);
  });

  it("reconnects by itself once Splunk is back after a restart", async () => {
    const first = await fake();
    const port = Number(new URL(first.url).port);
    const sink = sinkFor(first.url, first.token);
    await sink.write([record(1)]);
    await first.close();
    const down = await sink.write([record(2)]).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(SinkUnavailableError);
    expect((down as Error).message).toMatch(/refused|closed before HEC answered/);
    const again = await fake({ port });
    await sink.write([record(2)]);
    expect(again.events.get("e2")?.indexed).toBe(true);
  });

  it("refuses to count events as delivered when whatever answers gives no ackId", async () => {
    // A proxy (or an HEC-compatible receiver) that answers like HEC but without indexer acknowledgement.
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/services/collector/ack" ? '{"acks":{"0":false}}' : '{"text":"Success","code":0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const sink = sinkFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "token");
    const error = await sink.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplunkHecConfigError);
    expect((error as Error).message).toMatch(/returned no ackId.*ack\.enabled: false/);
  });

  it("gzips request bodies when asked, and the events arrive intact", async () => {
    const hec = await fake();
    const sink = sinkFor(hec.url, hec.token, { gzip: true });
    const batch = Array.from({ length: 20 }, (_, i) => record(i));
    await sink.write(batch);
    const posts = hec.requests.filter((r) => r.path === "/services/collector/event");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.gzip)).toBe(true);
    for (const r of batch) expect(hec.events.get(r.eventId)?.event).toEqual(JSON.parse(r.payload));
  });

  it("splits requests Splunk refuses as too large (413) and refuses one event larger than Splunk takes", async () => {
    const { logger, text } = capture();
    const hec = await fake({ maxContentLength: 8 * 1024 });
    const sink = sinkFor(hec.url, hec.token, { maxContentLength: 64 * 1024 }, logger);
    const batch = Array.from({ length: 30 }, (_, i) => record(i, "issues", { pad: "x".repeat(900) }));
    await sink.write(batch);
    expect(hec.events.size).toBe(30);
    expect([...hec.events.values()].every((e) => e.copies === 1 && e.indexed)).toBe(true);
    expect(text()).toMatch(/too large \(413\)/);

    const huge = record(99, "issues", { pad: "y".repeat(20_000) });
    const error = (await sink.write([record(98), huge]).catch((e: unknown) => e)) as SinkRejectedError;
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect(error.rejected.get("e99")).toMatch(/max_content_length/);
    expect([...(error.accepted ?? [])]).toEqual(["e98"]);
  });

  it("passes sink test against a healthy HEC: health, token, acknowledgement, an indexed test event", async () => {
    const hec = await fake({ indexes: ["wiz"] });
    const sink = sinkFor(hec.url, hec.token, { index: "wiz" });
    const steps = await sink.selfTest();
    expect(steps.map((s) => s.ok)).toEqual([true, true, true, true]);
    expect(steps[0]?.detail).toMatch(/HEC is healthy/);
    expect(steps[3]?.detail).toMatch(/indexed the test event wizbridge-sink-test-splunk-/);
    const test = [...hec.events.values()].find((e) => e.id.startsWith("wizbridge-sink-test-"));
    expect(test).toMatchObject({ index: "wiz", sourcetype: "wiz:issues", indexed: true });
  });

  it("fails sink test with the fix: wrong token, acknowledgement off, unknown index, nothing listening", async () => {
    const hec = await fake({ indexes: ["wiz"] });
    const token = await sinkFor(hec.url, SENTINEL).selfTest();
    expect(token.map((s) => s.ok)).toEqual([true, false]);
    expect(token[1]?.fix).toMatch(/fix the token/);

    const index = await sinkFor(hec.url, hec.token, { index: "nope" }).selfTest();
    expect(index.at(-1)).toMatchObject({ ok: false });
    expect(index.at(-1)?.fix).toMatch(/Allowed Indexes|sinks\.splunk\.index/);

    const noAck = await fake({ ack: false });
    const ack = await sinkFor(noAck.url, noAck.token).selfTest();
    expect(ack.map((s) => s.ok)).toEqual([true, true, false]);
    expect(ack[2]?.fix).toMatch(/Enable indexer acknowledgement|ack\.enabled: false/);

    const ackOnToken = await sinkFor(hec.url, hec.token, { ack: { enabled: false } }).selfTest();
    expect(ackOnToken[1]).toMatchObject({ ok: false });
    expect(ackOnToken[1]?.fix).toMatch(/ack\.enabled: true/);

    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const refused = await sinkFor(`http://127.0.0.1:${port}`, hec.token).selfTest();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ ok: false });
    expect(refused[0]?.fix).toMatch(/8088/);

    for (const steps of [token, index, ack, refused]) expect(JSON.stringify(steps)).not.toContain(SENTINEL);
  });

  it("fails sink test on an untrusted certificate with the tls.caFile fix, and passes once the CA is given", async (context) => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-hec-tls-"));
    open.push({ close: () => rmSync(dir, { recursive: true, force: true }) });
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    } catch {
      console.log("skipped: openssl is not available to make a test certificate");
      context.skip();
    }
    const hec = await fake({ tls: { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) } });
    const untrusted = await sinkFor(hec.url, hec.token).selfTest();
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0]?.detail).toMatch(/TLS handshake/);
    expect(untrusted[0]?.fix).toMatch(/tls\.caFile/);

    const trusted = await sinkFor(hec.url, hec.token, { tls: { caFile: join(dir, "cert.pem") } }).selfTest();
    expect(trusted.map((s) => s.ok)).toEqual([true, true, true, true]);
    expect(trusted[0]?.detail).toMatch(/certificate verified/);
  });

  it("never lets the token reach errors, logs, describe() or sink test, even when a proxy echoes it", async () => {
    const { logger, text } = capture();
    // A misbehaving proxy that echoes the request headers in its error page.
    const echo: Server = createServer((req, res) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`bad gateway for ${JSON.stringify(req.headers)}`);
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    open.push({ close: () => new Promise<void>((resolve) => echo.close(() => resolve())) });
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const sink = sinkFor(url, SENTINEL, { ack: { enabled: false } }, logger);
    const error = await sink.write([record(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as Error).message).toContain("[redacted]");
    const steps = await sink.selfTest();
    const settings = splunkHecSinkSchema.parse({ type: "splunk-hec", url, token: SENTINEL });
    const described = splunkHecSinkType.describe("splunk", settings);
    expect(described).toBe(`splunk: Splunk HEC at ${url} (index (token default), indexer ack)`);
    for (const text_ of [(error as Error).message, JSON.stringify(steps), described, text()]) expect(text_).not.toContain(SENTINEL);
  });

  it("validates settings with messages that say what to write", () => {
    const base = { type: "splunk-hec", url: "https://splunk.example.com:8088", token: "abc" };
    const issues = (value: Record<string, unknown>): string[] => {
      const result = splunkHecSinkSchema.safeParse({ ...base, ...value });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({})).toEqual([]);
    expect(issues({ url: "https://splunk.example.com:8088/services/collector/event" })[0]).toMatch(/^url: must be the base URL only/);
    expect(issues({ channel: "not-a-guid" })[0]).toMatch(/^channel: must be a GUID/);
    expect(issues({ streams: { issuez: { index: "x" } } })[0]).toMatch(/issuez/);
    expect(issues({ index: "Main Index" })[0]).toMatch(/^index: must be a Splunk index name/);
    expect(issues({ token: "Splunk abc" })[0]).toMatch(/^token: must be the bare token/);
    expect(issues({ url: "http://splunk:8088", tls: { caFile: "ca.pem" } })[0]).toMatch(/^tls: only applies to https/);
  });
});

const REAL_URL = process.env.WIZBRIDGE_TEST_SPLUNK_HEC_URL;
const REAL_TOKEN = process.env.WIZBRIDGE_TEST_SPLUNK_HEC_TOKEN;

describe("splunk-hec sink against a real Splunk (opt-in)", () => {
  it("delivers, acknowledged, and passes sink test", async (context) => {
    if (!REAL_URL || !REAL_TOKEN) {
      // Opt-in even in CI: a real Splunk is not part of the test environment.
      console.log("skipped: set WIZBRIDGE_TEST_SPLUNK_HEC_URL and WIZBRIDGE_TEST_SPLUNK_HEC_TOKEN (optionally _INDEX, _ACK=false, _INSECURE=true) to run against a real Splunk HEC");
      context.skip();
      return;
    }
    const env = process.env;
    const sink = sinkFor(REAL_URL, REAL_TOKEN, {
      ack: { enabled: env.WIZBRIDGE_TEST_SPLUNK_HEC_ACK !== "false", pollIntervalMs: 250 },
      ...(env.WIZBRIDGE_TEST_SPLUNK_HEC_INDEX ? { index: env.WIZBRIDGE_TEST_SPLUNK_HEC_INDEX } : {}),
      ...(REAL_URL.startsWith("https:") && env.WIZBRIDGE_TEST_SPLUNK_HEC_INSECURE === "true" ? { tls: { insecureSkipVerify: true } } : {}),
    });
    const steps = await sink.selfTest();
    expect(steps.filter((s) => !s.ok)).toEqual([]);
    const run = Date.now();
    await sink.write(Array.from({ length: 50 }, (_, i) => ({ ...record(i), eventId: `real-${run}-${i}`, payload: record(i).payload.replace(`"id":"e${i}"`, `"id":"real-${run}-${i}"`) })));
  });
});
