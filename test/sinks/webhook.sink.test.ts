import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { gunzipSync } from "node:zlib";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebhookReceiver, type WebhookReceiverOptions } from "../../bench/fakes/webhook-receiver.js";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../../src/sinks/sink.js";
import { verifyWebhookSignature } from "../../src/sinks/webhook/webhook-signature.js";
import { WebhookSink } from "../../src/sinks/webhook/webhook.sink.js";
import { webhookSinkSchema, webhookSinkType } from "../../src/sinks/webhook/webhook.sink-type.js";

const TOKEN = "SENTINEL-SECRET-123";
const SIGNING = "SENTINEL-SIGNING-456";
const HEADER_SECRET = "SENTINEL-HEADER-789";
const PASSWORD = "SENTINEL-PASSWORD-000";
const SENTINELS = [TOKEN, SIGNING, HEADER_SECRET, PASSWORD, Buffer.from(`wiz:${PASSWORD}`).toString("base64")];

/** A serialised WizEvent, with multi-byte text so "byte for byte" means something. */
function event(i: number, extra: Record<string, unknown> = {}): SinkRecord {
  const id = `issues:wiz-${i}:v1`;
  const payload = JSON.stringify({
    id,
    source: "wiz",
    kind: "upsert",
    connector: "prod",
    stream: "issues",
    observedAt: "2025-06-01T12:00:00.000Z",
    profile: "canonical",
    record: { title: `Überprüfung 🔒 日本語 #${i}`, severity: "HIGH", ...extra },
    raw: { id: `wiz-${i}` },
  });
  return { seq: i, eventId: id, connectorId: "prod", stream: "issues", payload };
}
const events = (from: number, count: number): SinkRecord[] => Array.from({ length: count }, (_, i) => event(from + i));

interface Harness {
  sink: WebhookSink;
  logs: () => string;
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()?.close();
});

async function receiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start(options);
  opened.push(r);
  return r;
}

function sinkFor(url: string, extra: Record<string, unknown> = {}, now: () => number = Date.now): Harness {
  let logged = "";
  const logger = pino({ level: "debug" }, new Writable({ write: (chunk: Buffer, _e, done) => ((logged += chunk.toString()), done()) }));
  const settings = webhookSinkSchema.parse({ type: "webhook", url, ...extra });
  const sink = new WebhookSink("siem", settings, { logger, baseDir: process.cwd(), now });
  opened.push(sink);
  return { sink, logs: () => logged };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the write to fail");
}

describe("webhook sink against the fake receiver", () => {
  it("POSTs a batch as one JSON array holding each payload exactly", async () => {
    const r = await receiver({ auth: { type: "bearer", token: TOKEN } });
    const { sink } = sinkFor(r.url, { auth: { type: "bearer", token: TOKEN } });
    const batch = events(0, 25);
    await sink.write(batch);
    expect(r.requests).toHaveLength(1);
    const request = r.requests[0];
    expect(request?.decoded.toString("utf8")).toBe(`[${batch.map((e) => e.payload).join(",")}]`);
    expect(request?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(request?.headers["x-wizbridge-event-count"]).toBe("25");
    expect(request?.headers["user-agent"]).toMatch(/^wizbridge\//);
    for (const e of batch) expect(r.events.get(e.eventId)).toEqual(JSON.parse(e.payload));
    expect(r.distinct).toBe(25);
  });

  it("sends NDJSON, gzipped, signed over the uncompressed body, with basic auth and custom headers", async () => {
    const r = await receiver({ auth: { type: "basic", username: "wiz", password: PASSWORD }, signingSecret: SIGNING });
    const { sink } = sinkFor(r.url, { format: "ndjson", gzip: true, signing: { secret: SIGNING }, auth: { type: "basic", username: "wiz", password: PASSWORD }, headers: { "X-Api-Key": HEADER_SECRET } });
    const batch = events(100, 10);
    await sink.write(batch);
    const request = r.requests[0];
    expect(request?.status).toBe(200);
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(request?.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(request?.headers["x-api-key"]).toBe(HEADER_SECRET);
    expect(request?.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const text = gunzipSync(request?.raw ?? Buffer.alloc(0)).toString("utf8");
    expect(text).toBe(batch.map((e) => `${e.payload}\n`).join(""));
    const signature = request?.headers["x-wizbridge-signature"] as string;
    const t = Number(request?.headers["x-wizbridge-timestamp"]);
    expect(signature).toMatch(new RegExp(`^t=${t},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(SIGNING, signature, text, t * 1000, 300).ok).toBe(true);
    // The gzip bytes are not what is signed.
    expect(verifyWebhookSignature(SIGNING, signature, request?.raw ?? "", t * 1000, 300).ok).toBe(false);
    // The same request replayed ten minutes later is refused by its timestamp.
    expect(verifyWebhookSignature(SIGNING, signature, text, (t + 600) * 1000, 300)).toMatchObject({ ok: false, reason: expect.stringContaining("replayed") });
    for (const e of batch) expect(r.events.get(e.eventId)).toEqual(JSON.parse(e.payload));
  });

  it("splits a refused batch until exactly the poison events are isolated, in order, and reports the rest accepted", async () => {
    const r = await receiver();
    const { sink, logs } = sinkFor(r.url);
    r.refuseEventsContaining("POISON", 422);
    const batch = events(0, 40);
    const poisonAt = [3, 4, 27];
    for (const i of poisonAt) batch[i] = { ...event(i, { note: "POISON" }) };
    const error = await failureOf(sink.write(batch));
    expect(error).toBeInstanceOf(SinkRejectedError);
    const rejected = (error as SinkRejectedError).rejected;
    expect([...rejected.keys()]).toEqual(poisonAt.map((i) => event(i).eventId));
    for (const reason of rejected.values()) expect(reason).toMatch(/^HTTP 422 from the receiver: refused events issues:wiz-\d+:v1: they contain POISON$/);
    const accepted = (error as SinkRejectedError).accepted;
    const expected = batch.filter((_, i) => !poisonAt.includes(i)).map((e) => e.eventId);
    expect([...(accepted ?? [])].sort()).toEqual([...expected].sort());
    // The receiver holds exactly the others, each once, in the batch's order.
    expect([...r.ids]).toEqual(expected);
    expect(r.duplicates).toBe(0);
    expect(logs()).toContain("refused some events for good");
  });

  it("refuses a single event with the receiver's status and the first 500 characters of its answer (413 too)", async () => {
    const r = await receiver();
    const { sink } = sinkFor(r.url);
    r.failNext(1, { status: 413, body: `too large: ${"x".repeat(1000)}` });
    const one = event(1);
    const error = await failureOf(sink.write([one]));
    expect(error).toBeInstanceOf(SinkRejectedError);
    const reason = (error as SinkRejectedError).rejected.get(one.eventId) ?? "";
    expect(reason.startsWith("HTTP 413 from the receiver: too large: xxx")).toBe(true);
    expect(reason.length).toBe("HTTP 413 from the receiver: ".length + 500);
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual([]);
  });

  it("splits a 413 on a large batch and delivers every half it takes", async () => {
    const r = await receiver();
    const { sink } = sinkFor(r.url);
    r.failNext(1, { status: 413 });
    const batch = events(0, 9);
    await sink.write(batch);
    expect([...r.ids]).toEqual(batch.map((e) => e.eventId));
    expect(r.requests.map((q) => q.status)).toEqual([413, 200, 200]);
  });

  it("throws SinkUnavailableError with Retry-After for 503, 429 (HTTP date) and 408, then delivers", async () => {
    const now = Date.UTC(2025, 5, 1, 12, 0, 0);
    const r = await receiver();
    const { sink } = sinkFor(r.url, {}, () => now);
    r.failNext(1, { status: 503, retryAfter: "7" });
    const unavailable = await failureOf(sink.write(events(0, 3)));
    expect(unavailable).toBeInstanceOf(SinkUnavailableError);
    expect((unavailable as SinkUnavailableError).retryAfterMs).toBe(7000);
    expect(unavailable.message).toContain("HTTP 503 (Retry-After 7 s)");
    r.failNext(1, { status: 429, retryAfter: new Date(now + 30_000).toUTCString() });
    const throttled = await failureOf(sink.write(events(0, 3)));
    expect((throttled as SinkUnavailableError).retryAfterMs).toBe(30_000);
    expect(throttled.message).toContain("lower maxInFlight");
    r.failNext(1, { status: 408 });
    const timeout = await failureOf(sink.write(events(0, 3)));
    expect(timeout).toBeInstanceOf(SinkUnavailableError);
    expect((timeout as SinkUnavailableError).retryAfterMs).toBeUndefined();
    await sink.write(events(0, 3));
    expect(r.distinct).toBe(3);
  });

  it("keeps the refusals already isolated when the receiver goes down mid-split", async () => {
    const r = await receiver();
    const { sink } = sinkFor(r.url);
    r.refuseEventsContaining("POISON");
    const batch = events(0, 4);
    batch[0] = event(0, { note: "POISON" });
    // [0..3] refused -> [0,1] refused -> [0] refused, [1] delivered -> [2,3] meets a 503.
    r.failNext(1, { status: 503, after: 4 });
    const error = await failureOf(sink.write(batch));
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect([...(error as SinkRejectedError).rejected.keys()]).toEqual([batch[0]?.eventId]);
    expect([...((error as SinkRejectedError).accepted ?? [])]).toEqual([batch[1]?.eventId]);
  });

  it("treats 401/403 as a set-up error of the whole sink: retried, nothing dead-lettered, the fix names the token and secret", async () => {
    const r = await receiver({ auth: { type: "bearer", token: TOKEN } });
    const { sink } = sinkFor(r.url, { auth: { type: "bearer", token: "wrong-token-value" } });
    const error = await failureOf(sink.write(events(0, 5)));
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect(error.message).toContain("HTTP 401 Unauthorized");
    expect(error.message).toContain("auth.token");
    expect(error.message).toContain("signing.secret");
    expect(r.requestCount).toBe(1); // not split
    r.answerAlways({ status: 403 });
    expect((await failureOf(sink.write(events(0, 5)))).message).toContain("HTTP 403 Forbidden");
  });

  it("refuses a wrong signing secret and a clock far off (401), never dead-lettering", async () => {
    const r = await receiver({ signingSecret: SIGNING });
    const wrong = sinkFor(r.url, { signing: { secret: "not-the-right-secret" } });
    const error = await failureOf(wrong.sink.write(events(0, 2)));
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect(error.message).toContain("signature does not match");
    const skewed = sinkFor(r.url, { signing: { secret: SIGNING } }, () => Date.now() - 3_600_000);
    const late = await failureOf(skewed.sink.write(events(0, 2)));
    expect(late.message).toContain("clock");
    expect(r.distinct).toBe(0);
  });

  it("does not follow redirects and says so; 404 names the path", async () => {
    const r = await receiver();
    const { sink } = sinkFor(r.url);
    r.answerAlways({ status: 301, location: "https://elsewhere.example.com/events?token=abc" });
    const redirected = await failureOf(sink.write(events(0, 2)));
    expect(redirected.message).toContain("HTTP 301 redirect to https://elsewhere.example.com (the same path), which wizbridge does not follow");
    expect(redirected.message).not.toContain("token=abc");
    r.answerAlways({ status: 404 });
    const missing = await failureOf(sink.write(events(0, 2)));
    expect(missing).not.toBeInstanceOf(SinkRejectedError);
    expect(missing.message).toContain("check the path in url");
  });

  it("reports a receiver that is down, or too slow for timeoutMs, as unavailable with the setting to check", async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    const down = sinkFor(url);
    const refused = await failureOf(down.sink.write(events(0, 1)));
    expect(refused).toBeInstanceOf(SinkUnavailableError);
    expect(refused.message).toContain("connection was refused");
    const slow = await receiver();
    slow.slowDown(5_000);
    const impatient = sinkFor(slow.url, { timeoutMs: { headers: 300 } });
    const timedOut = await failureOf(impatient.sink.write(events(0, 1)));
    expect(timedOut).toBeInstanceOf(SinkUnavailableError);
    expect(timedOut.message).toContain("timeoutMs.headers");
  });

  it("takes concurrent writes (maxInFlight) over the keep-alive pool", async () => {
    const r = await receiver({ keep: "ids", recordRequests: false });
    const { sink } = sinkFor(r.url);
    await Promise.all(Array.from({ length: 8 }, (_, b) => sink.write(events(b * 50, 50))));
    expect(r.distinct).toBe(400);
    expect(r.duplicates).toBe(0);
  });

  it("warns that plain http to another host is unencrypted, without naming the path or a secret", () => {
    const { logs } = sinkFor("http://siem.example.com/hooks/SENTINEL-PATH", { auth: { type: "bearer", token: TOKEN } });
    expect(logs()).toContain("plain http to http://siem.example.com");
    expect(logs()).not.toContain("SENTINEL");
    const loopback = sinkFor("http://127.0.0.1:9/x");
    expect(loopback.logs()).toBe("");
  });
});

describe("webhook sink selfTest", () => {
  it("passes every step against a working receiver, sending one marked test event", async () => {
    const r = await receiver({ auth: { type: "bearer", token: TOKEN }, signingSecret: SIGNING });
    const { sink } = sinkFor(r.url.replace("127.0.0.1", "localhost"), { auth: { type: "bearer", token: TOKEN }, signing: { secret: SIGNING } });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["resolve host", true],
      ["connect (TCP)", true],
      ["authenticate and send a test event (signed)", true],
    ]);
    expect(r.distinct).toBe(1);
    const [id] = [...r.ids];
    expect(id).toMatch(/^wizbridge-sink-test-siem-/);
    expect(r.events.get(id as string)).toMatchObject({ kind: "test", record: { test: true } });
  });

  it("fails with the fix for 401, 404, a refused event and a closed port", async () => {
    const r = await receiver({ auth: { type: "bearer", token: TOKEN } });
    const wrong = sinkFor(r.url, { auth: { type: "bearer", token: "wrong-token-value" } });
    const unauthorized = (await wrong.sink.selfTest()).at(-1);
    expect(unauthorized).toMatchObject({ ok: false, fix: expect.stringContaining("auth.token") });
    const notFound = (await sinkFor(r.url.replace("/events", "/nope"), { auth: { type: "bearer", token: TOKEN } }).sink.selfTest()).at(-1);
    expect(notFound).toMatchObject({ ok: false, fix: expect.stringContaining("path in url") });
    r.failNext(1, { status: 400, body: "expected an object" });
    const refused = (await sinkFor(r.url, { auth: { type: "bearer", token: TOKEN } }).sink.selfTest()).at(-1);
    expect(refused).toMatchObject({ ok: false, detail: "HTTP 400 from the receiver: expected an object", fix: expect.stringContaining("format: json-array") });
    const url = r.url;
    await r.close();
    const closed = await sinkFor(url).sink.selfTest();
    expect(closed.at(-1)).toMatchObject({ step: "connect (TCP)", ok: false, fix: expect.stringContaining("receiver is running") });
  });
});

describe("webhook sink over TLS", () => {
  let dir = "";
  let reason: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wizbridge-webhook-tls-"));
    try {
      const run = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
      run("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=wizbridge test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      run("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
      writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
      run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
    } catch (error) {
      reason = `openssl could not make a test CA (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); install openssl`;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tlsReceiver = (): Promise<WebhookReceiver> => receiver({ tls: { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) } });
  const skipped = (): boolean => {
    if (reason === undefined) return false;
    if (process.env.CI === "true") throw new Error(reason);
    console.warn(`skipped: ${reason}`);
    return true;
  };

  it("delivers with tls.caFile naming the test CA, and passes selfTest", async () => {
    if (skipped()) return;
    const r = await tlsReceiver();
    const { sink } = sinkFor(r.url, { tls: { caFile: join(dir, "ca.pem") } });
    await sink.write(events(0, 5));
    expect(r.distinct).toBe(5);
    const steps = await sink.selfTest();
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps[0]?.detail).toMatch(/TLSv1\.[23], certificate verified/);
  });

  it("fails without the CA, and the fix names tls.caFile (write and selfTest)", async () => {
    if (skipped()) return;
    const r = await tlsReceiver();
    const { sink } = sinkFor(r.url);
    const error = await failureOf(sink.write(events(0, 5)));
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error.message).toContain("TLS handshake failed");
    expect(error.message).toContain("tls.caFile");
    const steps = await sink.selfTest();
    expect(steps.at(-1)).toMatchObject({ step: "connect (TCP + TLS handshake)", ok: false, fix: expect.stringContaining("tls.caFile") });
    expect(r.distinct).toBe(0);
  });

  it("names tls.serverName when the certificate is for another host", async () => {
    if (skipped()) return;
    const r = await tlsReceiver();
    const { sink } = sinkFor(r.url, { tls: { caFile: join(dir, "ca.pem"), serverName: "siem.example.com" } });
    const error = await failureOf(sink.write(events(0, 1)));
    expect(error.message).toContain("tls.serverName");
  });
});

describe("webhook sink secrets", () => {
  it("never shows a token, password, signing secret or header value in errors, logs, describe or selfTest", async () => {
    const r = await receiver({ auth: { type: "basic", username: "wiz", password: PASSWORD }, signingSecret: SIGNING });
    const settings = { auth: { type: "basic", username: "wiz", password: PASSWORD }, signing: { secret: SIGNING }, headers: { "X-Api-Key": HEADER_SECRET } };
    const seen: string[] = [];
    const harness = sinkFor(r.url, settings);
    const bearer = sinkFor(r.url, { auth: { type: "bearer", token: TOKEN } });
    seen.push(webhookSinkType.describe("siem", webhookSinkSchema.parse({ type: "webhook", url: r.url, ...settings })));
    // A receiver that echoes what it got (each sink's own credentials) in its answers.
    for (const [sink, echoed] of [
      [harness.sink, `${PASSWORD} ${HEADER_SECRET} ${SIGNING} ${SENTINELS[4]}`],
      [bearer.sink, TOKEN],
    ] as const) {
      r.answerAlways({ status: 401, body: `bad credentials ${echoed}` });
      const error = await failureOf(sink.write(events(0, 3)));
      seen.push(error.message, String(error.stack), JSON.stringify(error));
      seen.push(JSON.stringify(await sink.selfTest()));
    }
    r.answerAlways(undefined);
    r.refuseEventsContaining("POISON");
    r.failNext(1, { status: 422, body: `echo ${PASSWORD} ${HEADER_SECRET}` });
    const rejected = await failureOf(harness.sink.write([event(1)]));
    seen.push(rejected.message, JSON.stringify([...(rejected as SinkRejectedError).rejected]));
    r.failNext(1, { status: 503, body: `down ${SIGNING}` });
    seen.push((await failureOf(harness.sink.write([event(2)]))).message);
    seen.push(harness.logs(), bearer.logs());
    expect(seen.join("\n")).toContain("[redacted]");
    for (const secret of SENTINELS) for (const text of seen) expect(text).not.toContain(secret);
  });
});

const realReceiverUrl = process.env.WIZBRIDGE_TEST_WEBHOOK_URL;
// No external receiver exists on this machine or in CI: this one skips everywhere unless asked for.
if (!realReceiverUrl) console.warn("skipped: set WIZBRIDGE_TEST_WEBHOOK_URL (and WIZBRIDGE_TEST_WEBHOOK_TOKEN for bearer auth) to send one test event to a real receiver");

describe("webhook sink against a real receiver (opt-in)", () => {
  it.skipIf(!realReceiverUrl)("sends one test event to WIZBRIDGE_TEST_WEBHOOK_URL", async () => {
    const token = process.env.WIZBRIDGE_TEST_WEBHOOK_TOKEN;
    const { sink } = sinkFor(realReceiverUrl as string, token ? { auth: { type: "bearer", token } } : {});
    const steps = await sink.selfTest();
    expect(steps.filter((s) => !s.ok)).toEqual([]);
  });
});
