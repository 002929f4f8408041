import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../../src/sinks/sink.js";
import { natsSinkSchema, natsSinkType, type NatsSinkSettings } from "../../src/sinks/nats/nats.sink-type.js";
import { NatsSink } from "../../src/sinks/nats/nats.sink.js";
import { tcpPortOpen } from "../../bench/tcp-port-open.js";

/**
 * Integration tests against real nats-server processes: the shared local server (127.0.0.1:4222, JetStream
 * on) for delivery, dedup and setup, and servers this file starts on free ports (own store directory)
 * for restarts, auth and max_payload, so killing one never disturbs anything else.
 */

const SHARED = "127.0.0.1:4222";
const NATS_SERVER = ["/usr/sbin/nats-server", "/usr/local/bin/nats-server", "/usr/bin/nats-server"].find((p) => existsSync(p));
const SENTINEL = "SENTINEL-SECRET-123";
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const sharedUp = await tcpPortOpen(4222);
const unavailable = !sharedUp ? `no NATS server at ${SHARED} (start nats-server -js)` : !NATS_SERVER ? "the nats-server binary is not installed" : undefined;
if (unavailable) console.warn(`skipping the NATS sink tests: ${unavailable}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A nats-server this file owns: its own port and store directory, restartable on both. */
class OwnedNatsServer {
  private process: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(join(tmpdir(), "wizbridge-nats-test-"));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  static async start(extraArgs: string[] = [], config?: string): Promise<OwnedNatsServer> {
    const port = await freePort();
    const args = [...extraArgs];
    const server = new OwnedNatsServer(port, args);
    if (config !== undefined) {
      const file = join(server.storeDir, "server.conf");
      writeFileSync(file, config);
      args.push("-c", file);
    }
    await server.launch();
    return server;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  async launch(): Promise<void> {
    this.process = spawn(NATS_SERVER as string, ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir, ...this.extraArgs], { stdio: "ignore" });
    await until(`nats-server on ${this.port}`, () => tcpPortOpen(this.port));
  }

  /** SIGKILL: no goodbye to the clients, no flush beyond what the server already wrote. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    await until(`port ${this.port} to close`, async () => !(await tcpPortOpen(this.port)));
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it (openssl), in a temp directory. */
function makeCertificates(): { dir: string; ca: string; cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-nats-tls-"));
  const at = (f: string): string => join(dir, f);
  try {
    const run = (...args: string[]): void => {
      execFileSync("openssl", args, { stdio: "ignore" });
    };
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("ca.key"), "-out", at("ca.pem"), "-subj", "/CN=wizbridge test CA", "-days", "2");
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", "/CN=127.0.0.1");
    writeFileSync(at("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run("x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial", "-out", at("server.pem"), "-days", "2", "-extfile", at("ext.cnf"));
    return { dir, ca: at("ca.pem"), cert: at("server.pem"), key: at("server.key") };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function capturedLogger(): { logger: pino.Logger; text: () => string } {
  const chunks: string[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  return { logger, text: () => chunks.join("") };
}

function natsSink(settings: Partial<NatsSinkSettings> & { servers: NatsSinkSettings["servers"] }, logger = pino({ level: "silent" }), id = "bus"): NatsSink {
  const parsed = natsSinkSchema.parse({ type: "nats", ...settings });
  return new NatsSink(id, parsed, { logger, baseDir: process.cwd(), now: Date.now });
}

function event(i: number, connectorId = "prod", stream = "issues", padding = 200): SinkRecord {
  const id = `evt-${RUN}-${i}`;
  const payload = JSON.stringify({ id, source: "wiz", kind: i % 5 === 0 ? "removal" : "upsert", connector: connectorId, stream, observedAt: "2024-05-01T00:00:00.000Z", profile: "canonical", record: { title: `Überprüfung 🔒 日本語 #${i}`, pad: "p".repeat(padding) }, raw: null });
  return { seq: i + 1, eventId: id, connectorId, stream, payload };
}

interface StoredEvent {
  subject: string;
  msgId: string;
  data: Buffer;
}

/** Every message of a stream, in order, through an ordered consumer. */
async function readStream(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await jetstreamManager(nc);
  const total = (await jsm.streams.info(stream)).state.messages;
  const out: StoredEvent[] = [];
  if (total === 0) return out;
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1000 });
  for await (const m of messages) {
    out.push({ subject: m.subject, msgId: m.headers?.get("Nats-Msg-Id") ?? "", data: Buffer.from(m.data) });
    if (out.length >= total) break;
  }
  return out;
}

if (unavailable !== undefined && process.env.CI === "true") {
  it("has a NATS server to test against in CI", () => {
    throw new Error(`the NATS sink tests need a server in CI: ${unavailable}`);
  });
}

describe.skipIf(unavailable !== undefined)("NatsSink against the local nats-server", () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];
  let counter = 0;
  /** A stream name and subject template no other test (or run) uses; deleted after the file. */
  const unique = (): { stream: string; subject: string } => {
    counter += 1;
    const stream = `WZT_${RUN}_${counter}`;
    streams.push(stream);
    return { stream, subject: `wzt${RUN}x${counter}.{connector}.{stream}` };
  };

  beforeAll(async () => {
    nc = await connect({ servers: SHARED });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  });

  it("stores each event byte for byte under its subject with Nats-Msg-Id, and resolves only when every PubAck is in", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names, createStream: true });
    const batch = [...Array.from({ length: 30 }, (_, i) => event(i)), ...Array.from({ length: 20 }, (_, i) => event(100 + i, "eu.west 1", "cloudResources", 5_000))];
    await sink.write(batch);
    // No polling: the write resolved, so JetStream has acknowledged (stored) all of them.
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(50);
    const stored = await readStream(nc, names.stream);
    expect(stored.map((m) => m.msgId)).toEqual(batch.map((r) => r.eventId));
    for (const [i, m] of stored.entries()) expect(m.data.equals(Buffer.from((batch[i] as SinkRecord).payload, "utf8"))).toBe(true);
    const prefix = names.subject.split(".")[0];
    expect(stored[0]?.subject).toBe(`${prefix}.prod.issues`);
    // A dot or a space in a connector id would split or break the subject: each becomes '_'.
    expect(stored[49]?.subject).toBe(`${prefix}.eu_west_1.cloudResources`);
    await sink.close();
  });

  it("stores a batch written twice only once (JetStream drops the redelivery by Nats-Msg-Id), and the second write still resolves", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names, createStream: true });
    const batch = Array.from({ length: 40 }, (_, i) => event(i));
    await sink.write(batch);
    await sink.write(batch);
    await sink.write([...batch.slice(0, 5), event(40)]);
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(41);
    const ids = (await readStream(nc, names.stream)).map((m) => m.msgId);
    expect(new Set(ids).size).toBe(41);
    await sink.close();
  });

  it("takes concurrent writes (several batches in flight) without mixing up their acknowledgements", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names, createStream: true });
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 100 }, (_, i) => event(b * 100 + i)));
    await Promise.all(batches.map((b) => sink.write(b)));
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(600);
    await sink.close();
  });

  it("setup creates the stream, then adds a missing subject and the duplicate window to an existing one", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names, duplicateWindowSeconds: 90 });
    expect(await sink.setup()).toEqual([`created JetStream stream ${names.stream} capturing ${names.subject.split(".")[0]}.*.* (file storage, duplicate window 90 s)`]);
    expect((await jsm.streams.info(names.stream)).config.duplicate_window).toBe(nanos(90_000));
    expect((await sink.setup())[0]).toMatch(/already captures .* nothing to change/);
    await sink.close();

    const other = unique();
    await jsm.streams.add({ name: other.stream, subjects: [`${other.subject.split(".")[0]}.unrelated`], duplicate_window: nanos(10_000) });
    const second = natsSink({ servers: SHARED, ...other });
    const done = await second.setup();
    expect(done).toHaveLength(2);
    const config = (await jsm.streams.info(other.stream)).config;
    expect(config.subjects).toEqual([`${other.subject.split(".")[0]}.unrelated`, `${other.subject.split(".")[0]}.*.*`]);
    expect(config.duplicate_window).toBe(nanos(120_000));
    await second.write([event(1)]);
    await second.close();
  });

  it("fails with a setup error naming the fix when no stream captures the subject (not a refusal of the events)", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names });
    const error = await sink.write([event(1), event(2)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect((error as Error).message).toContain(`wizbridge sink setup bus`);
    expect((error as Error).message).toContain(names.stream);
    expect((error as SinkUnavailableError).retryAfterMs).toBeGreaterThan(0);
    await sink.close();
  });

  it("names the stream that does capture the subject when it is not the configured one", async () => {
    const names = unique();
    await jsm.streams.add({ name: names.stream, subjects: [`${names.subject.split(".")[0]}.>`] });
    const sink = natsSink({ servers: SHARED, subject: names.subject, stream: `${names.stream}_OTHER` });
    await expect(sink.write([event(1)])).rejects.toThrow(new RegExp(`captured by stream ${names.stream}, not ${names.stream}_OTHER.*Set stream: ${names.stream}`));
    await sink.close();
  });

  it("dead-letters only the event larger than the stream's max_msg_size, with JetStream's reason, and reports the rest as accepted", async () => {
    const names = unique();
    await jsm.streams.add({ name: names.stream, subjects: [`${names.subject.split(".")[0]}.>`], max_msg_size: 4_000, duplicate_window: nanos(120_000) });
    const sink = natsSink({ servers: SHARED, ...names });
    const big = event(2, "prod", "issues", 10_000);
    const batch = [event(1), big, event(3)];
    const error = await sink.write(batch).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkRejectedError);
    const rejected = error as SinkRejectedError;
    expect([...rejected.rejected.keys()]).toEqual([big.eventId]);
    expect(rejected.rejected.get(big.eventId)).toMatch(/message size exceeds maximum allowed.*10054/);
    expect([...(rejected.accepted ?? [])].sort()).toEqual([event(1).eventId, event(3).eventId].sort());
    expect((await readStream(nc, names.stream)).map((m) => m.msgId)).toEqual([event(1).eventId, event(3).eventId]);
    await sink.close();
  });

  it("selfTest passes every step against a set-up stream and leaves a marked test event", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names, createStream: true });
    await sink.setup();
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["JetStream stream", true],
      ["publish test event", true],
    ]);
    const stored = await readStream(nc, names.stream);
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]?.data.toString("utf8") ?? "{}")).toMatchObject({ kind: "test", connector: "wizbridge-sink-test" });
    await sink.close();
  });

  it("selfTest fails the stream step with the setup fix when the stream is missing, and the connect step when nothing listens", async () => {
    const names = unique();
    const sink = natsSink({ servers: SHARED, ...names });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["JetStream stream", false],
    ]);
    expect(steps[1]?.fix).toContain("wizbridge sink setup bus");
    await sink.close();

    const port = await freePort();
    const nowhere = natsSink({ servers: `127.0.0.1:${port}`, connectTimeoutMs: 2_000 });
    const failed = await nowhere.selfTest();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step: "connect", ok: false });
    expect(failed[0]?.fix).toMatch(/nats-server is running/);
    await expect(nowhere.write([event(1)])).rejects.toBeInstanceOf(SinkUnavailableError);
    await nowhere.close();
  });
});

describe.skipIf(unavailable !== undefined)("NatsSink against nats-server processes of its own", () => {
  const servers: OwnedNatsServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it("loses nothing and stores nothing twice when the server is killed and restarted in the middle of the batches", async () => {
    const server = await OwnedNatsServer.start();
    servers.push(server);
    const { logger } = capturedLogger();
    const sink = natsSink({ servers: server.url, stream: "RESTART", subject: "restart.{connector}.{stream}", createStream: true, ackTimeoutMs: 10_000 }, logger);
    await sink.setup();
    const total = 20_000;
    const batchSize = 500;
    const batches = Array.from({ length: total / batchSize }, (_, b) => Array.from({ length: batchSize }, (_, i) => event(b * batchSize + i, "prod", "issues", 1_500)));
    let acknowledged = 0;
    let failedWrites = 0;
    let next = 0;
    // Four writers retrying as the dispatcher does: a failed batch is written again, whole.
    const writer = async (): Promise<void> => {
      for (let b = next++; b < batches.length; b = next++) {
        for (;;) {
          try {
            await sink.write(batches[b] as SinkRecord[]);
            acknowledged += 1;
            // SIGKILL the moment a quarter is acknowledged: the other writers have batches in flight then.
            if (acknowledged === batches.length / 4) killed = server.kill();
            break;
          } catch (error) {
            if (error instanceof SinkRejectedError) throw error;
            failedWrites += 1;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    };
    let killed: Promise<void> | undefined;
    const writers = Array.from({ length: 4 }, writer);
    await until("the server to be killed mid-batch", () => killed !== undefined);
    await killed;
    // While the server is down a write fails (it does not wait in the client) and the outbox keeps the batch.
    await expect(sink.write([event(total + 1)])).rejects.toBeInstanceOf(SinkUnavailableError);
    await server.launch();
    await Promise.all(writers);
    expect(failedWrites).toBeGreaterThan(0);

    const nc = await connect({ servers: server.url });
    const stored = await readStream(nc, "RESTART");
    const ids = stored.map((m) => m.msgId);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    const expected = new Set(batches.flat().map((r) => r.eventId));
    expect(ids.every((id) => expected.has(id))).toBe(true);
    await nc.close();
    await sink.close();
  });

  it("dead-letters an event above the server's max_payload with the numbers, and stores the rest", async () => {
    const server = await OwnedNatsServer.start([], "max_payload: 8192\n");
    servers.push(server);
    const sink = natsSink({ servers: server.url, stream: "SMALL", subject: "small.{connector}.{stream}", createStream: true });
    const big = event(2, "prod", "issues", 20_000);
    const error = await sink.write([event(1), big, event(3)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect((error as SinkRejectedError).rejected.get(big.eventId)).toMatch(/max_payload is 8192 bytes/);
    expect([...((error as SinkRejectedError).accepted ?? [])].sort()).toEqual([event(1).eventId, event(3).eventId].sort());
    await sink.close();
  });

  it("connects over TLS with the configured CA, and fails the connect step with a TLS fix without it", async (context) => {
    const certs = makeCertificates();
    if (!certs) {
      console.warn("skipping the NATS TLS test: openssl could not make certificates");
      context.skip();
      return;
    }
    try {
      const server = await OwnedNatsServer.start(["--tls", "--tlscert", certs.cert, "--tlskey", certs.key]);
      servers.push(server);
      const sink = natsSink({ servers: server.url, stream: "TLS", subject: "tls.{connector}.{stream}", createStream: true, tls: { caFile: certs.ca } });
      await sink.setup();
      const steps = await sink.selfTest();
      expect(steps.map((s) => s.ok)).toEqual([true, true, true]);
      expect(steps[0]?.detail).toMatch(/, TLS,/);
      await sink.close();

      for (const tls of [undefined, {}]) {
        const untrusted = natsSink({ servers: server.url, connectTimeoutMs: 5_000, ...(tls ? { tls } : {}) });
        const failed = await untrusted.selfTest();
        expect(failed).toEqual([expect.objectContaining({ step: "connect", ok: false })]);
        expect(failed[0]?.detail).toMatch(/TLS/);
        expect(failed[0]?.fix).toMatch(/tls\.caFile/);
        await untrusted.close();
      }
    } finally {
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });

  it("authenticates with a token and never shows it: not in describe, logs, errors or selfTest output", async () => {
    const server = await OwnedNatsServer.start(["--auth", SENTINEL]);
    servers.push(server);
    const { logger, text } = capturedLogger();
    const settings = { servers: server.url, token: SENTINEL, stream: "AUTH", subject: "auth.{connector}.{stream}", createStream: true };
    const sink = natsSink(settings, logger);
    await sink.setup();
    const steps = await sink.selfTest();
    expect(steps.every((s) => s.ok)).toBe(true);
    const description = natsSinkType.describe("bus", natsSinkSchema.parse({ type: "nats", ...settings }));
    await sink.close();
    expect(`${JSON.stringify(steps)} ${description} ${text()}`).not.toContain(SENTINEL);
  });

  it("fails the connect step with a credentials fix when the token or password is wrong, and never shows it", async () => {
    const tokenServer = await OwnedNatsServer.start(["--auth", "the-right-token"]);
    const userServer = await OwnedNatsServer.start(["--user", "wiz", "--pass", "the-right-password"]);
    servers.push(tokenServer, userServer);
    const { logger, text } = capturedLogger();
    const shown: string[] = [];
    for (const settings of [
      { servers: tokenServer.url, token: SENTINEL },
      { servers: userServer.url, user: "wiz", password: SENTINEL },
    ]) {
      const sink = natsSink(settings, logger);
      const steps = await sink.selfTest();
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ step: "connect", ok: false });
      expect(steps[0]?.detail).toMatch(/refused the credentials/);
      expect(steps[0]?.fix).toMatch(settings.user ? /user\/password/ : /token/);
      const error = await sink.write([event(1)]).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(SinkUnavailableError);
      shown.push(JSON.stringify(steps), String(error?.message), String(error?.stack), natsSinkType.describe("bus", natsSinkSchema.parse({ type: "nats", ...settings })));
      await sink.close();
    }
    expect(`${shown.join(" ")} ${text()}`).not.toContain(SENTINEL);
  });
});
