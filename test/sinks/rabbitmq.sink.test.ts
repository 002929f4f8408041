import { execFile } from "node:child_process";
import { openSync, closeSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../../src/sinks/sink.js";
import { RabbitmqConfigError } from "../../src/sinks/rabbitmq/rabbitmq-errors.js";
import { rabbitmqSinkSchema, rabbitmqSinkType, type RabbitmqSinkSettings } from "../../src/sinks/rabbitmq/rabbitmq.sink-type.js";
import { RabbitmqSink } from "../../src/sinks/rabbitmq/rabbitmq.sink.js";
import { tcpPortOpen } from "../../bench/tcp-port-open.js";

/**
 * Integration tests against the local RabbitMQ broker (127.0.0.1:5672, guest/guest). Every test uses an
 * exchange and queues of its own, deleted at the end. The restart test stops and starts the broker's
 * application with rabbitmqctl (this is the only test file using RabbitMQ) and always starts it again.
 */

const URL_ = "amqp://guest:guest@127.0.0.1:5672/";
const SENTINEL = "SENTINEL-SECRET-123";
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const exec = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await exec("rabbitmqctl", args, { timeout: 120_000 });
  return stdout;
}

// The node answering rabbitmqctl is enough: another run of this file may have its application stopped
// right now (beforeAll waits for that run and starts the application again when needed).
const ctlWorks = await rabbitmqctl("status").then(
  () => true,
  () => false,
);
const brokerUp = ctlWorks || (await tcpPortOpen(5672));
const unavailable = !brokerUp ? "no RabbitMQ broker at 127.0.0.1:5672 (start rabbitmq-server)" : !ctlWorks ? "rabbitmqctl does not work here (the tests stop and start the broker with it: run them as root or the rabbitmq user)" : undefined;
if (unavailable) console.warn(`skipping the RabbitMQ sink tests: ${unavailable}`);

/**
 * This file stops and starts the broker: two test runs at once (two people running `vitest run test/sinks`)
 * would break each other, so a lock file makes them take turns (a lock whose process died is taken over).
 */
const LOCK = join(tmpdir(), "wizbridge-rabbitmq-sink-test.lock");

async function acquireBrokerLock(): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      const fd = openSync(LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(LOCK, "utf8"));
    } catch {
      continue;
    }
    let alive = Number.isInteger(holder) && holder > 0;
    if (alive) {
      try {
        process.kill(holder, 0);
      } catch (error) {
        alive = (error as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    if (!alive) {
      try {
        unlinkSync(LOCK);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another RabbitMQ sink test run (pid ${holder}) held ${LOCK} for 10 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function releaseBrokerLock(): void {
  try {
    if (readFileSync(LOCK, "utf8") === String(process.pid)) unlinkSync(LOCK);
  } catch {
    // not ours, or gone
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

function rabbitSink(settings: Omit<Partial<RabbitmqSinkSettings>, "exchange"> & { exchange: string | { name: string; declare?: boolean } }, logger = pino({ level: "silent" }), id = "bus"): RabbitmqSink {
  const parsed = rabbitmqSinkSchema.parse({ type: "rabbitmq", url: URL_, ...settings });
  return new RabbitmqSink(id, parsed, { logger, baseDir: process.cwd(), now: Date.now });
}

function event(i: number, connectorId = "prod", stream = "issues", padding = 200): SinkRecord {
  const id = `evt-${RUN}-${i}`;
  const payload = JSON.stringify({ id, source: "wiz", kind: i % 5 === 0 ? "removal" : "upsert", connector: connectorId, stream, observedAt: "2024-05-01T00:00:00.000Z", profile: "canonical", record: { title: `Überprüfung 🔒 日本語 #${i}`, pad: "p".repeat(padding) }, raw: null });
  return { seq: i + 1, eventId: id, connectorId, stream, payload };
}

/** Every message of a queue (acknowledged, so the queue is empty afterwards). */
async function drainQueue(channel: Channel, queue: string): Promise<ConsumeMessage[]> {
  const count = (await channel.checkQueue(queue)).messageCount;
  const out: ConsumeMessage[] = [];
  if (count === 0) return out;
  await channel.prefetch(1_000);
  await new Promise<void>((resolve, reject) => {
    channel
      .consume(queue, (message) => {
        if (!message) return;
        out.push(message);
        channel.ack(message);
        if (out.length === count) channel.cancel(message.fields.consumerTag).then(() => resolve(), reject);
      })
      .catch(reject);
  });
  return out;
}

if (unavailable !== undefined && process.env.CI === "true") {
  it("has a RabbitMQ broker to test against in CI", () => {
    throw new Error(`the RabbitMQ sink tests need a broker in CI: ${unavailable}`);
  });
}

describe.skipIf(unavailable !== undefined)("RabbitmqSink against the local broker", () => {
  let model: ChannelModel;
  let channel: Channel;
  const exchanges: string[] = [];
  const queues: string[] = [];
  let counter = 0;
  /** An exchange and a queue name no other test (or run) uses; deleted after the file. */
  const unique = (): { exchange: string; queue: string } => {
    counter += 1;
    const name = `wzt.${RUN}.${counter}`;
    exchanges.push(name);
    queues.push(name);
    return { exchange: name, queue: name };
  };
  /** A durable queue bound to the exchange for every routing key. */
  const bindQueue = async (exchange: string, queue: string, pattern = "#"): Promise<void> => {
    await channel.assertExchange(exchange, "topic", { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, pattern);
  };

  beforeAll(async () => {
    await acquireBrokerLock();
    // The run before ours may have died with the application stopped.
    if (!(await tcpPortOpen(5672))) {
      await rabbitmqctl("start_app");
      await until("RabbitMQ to accept connections", () => tcpPortOpen(5672), 120_000);
    }
    model = await amqp.connect(URL_);
    channel = await model.createChannel();
  }, 660_000);

  afterAll(async () => {
    try {
      // The restart test may have left the application stopped when it failed: always start it again.
      if (!(await tcpPortOpen(5672))) {
        await rabbitmqctl("start_app").catch(() => "");
        await until("RabbitMQ to accept connections again", () => tcpPortOpen(5672), 120_000);
      }
      const admin = await amqp.connect(URL_);
      const ch = await admin.createChannel();
      for (const queue of queues) await ch.deleteQueue(queue).catch(() => undefined);
      for (const exchange of exchanges) await ch.deleteExchange(exchange).catch(() => undefined);
      await admin.close().catch(() => undefined);
      await model.close().catch(() => undefined);
    } finally {
      releaseBrokerLock();
    }
  }, 180_000);

  it("delivers each event byte for byte with its properties, and resolves only once the queue holds the batch (confirms)", async () => {
    const { exchange, queue } = unique();
    const sink = rabbitSink({ exchange: { name: exchange, declare: true } });
    await sink.setup();
    await bindQueue(exchange, queue);
    const batch = [...Array.from({ length: 30 }, (_, i) => event(i)), ...Array.from({ length: 20 }, (_, i) => event(100 + i, "eu.west 1", "cloudResources", 5_000))];
    await sink.write(batch);
    // No polling: the broker confirmed every message, so the durable queue holds all of them now.
    expect((await channel.checkQueue(queue)).messageCount).toBe(50);
    const messages = await drainQueue(channel, queue);
    expect(messages.map((m) => m.properties.messageId)).toEqual(batch.map((r) => r.eventId));
    for (const [i, m] of messages.entries()) {
      const record = batch[i] as SinkRecord;
      expect(m.content.equals(Buffer.from(record.payload, "utf8"))).toBe(true);
      expect(m.properties).toMatchObject({ contentType: "application/json", type: record.stream, deliveryMode: 2, appId: "wizbridge" });
      expect(m.properties.headers).toMatchObject({ "wiz-stream": record.stream, "wiz-kind": (JSON.parse(record.payload) as { kind: string }).kind, "wiz-connector": record.connectorId });
    }
    expect(messages[0]?.fields.routingKey).toBe("wiz.prod.issues");
    // A dot or a space in a connector id would add a word to the key or break it: each becomes '_'.
    expect(messages[49]?.fields.routingKey).toBe("wiz.eu_west_1.cloudResources");
    await sink.close();
  });

  it("takes concurrent writes on one channel without mixing up their confirms", async () => {
    const { exchange, queue } = unique();
    await bindQueue(exchange, queue);
    const sink = rabbitSink({ exchange });
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 100 }, (_, i) => event(b * 100 + i)));
    await Promise.all(batches.map((b) => sink.write(b)));
    expect((await channel.checkQueue(queue)).messageCount).toBe(600);
    await sink.close();
  });

  it("fails an unroutable batch with the binding fix (a setup error, not a refusal of the events); mandatory: false lets RabbitMQ drop it", async () => {
    const { exchange } = unique();
    await channel.assertExchange(exchange, "topic", { durable: true });
    const sink = rabbitSink({ exchange });
    const error = await sink.write([event(1), event(2)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RabbitmqConfigError);
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect((error as Error).message).toMatch(/returned 2 of 2 events as unroutable/);
    expect((error as Error).message).toMatch(/312 NO_ROUTE/);
    expect((error as Error).message).toContain(`Bind a durable queue to exchange ${exchange}`);
    expect((error as Error).message).toContain('routing_key="wiz.*.*"');
    await sink.close();

    const lenient = rabbitSink({ exchange, mandatory: false });
    await lenient.write([event(3)]);
    await lenient.close();
  });

  it("names the fix when the exchange does not exist, and declares it with declare: true", async () => {
    const { exchange, queue } = unique();
    const sink = rabbitSink({ exchange });
    await expect(sink.write([event(1)])).rejects.toThrow(new RegExp(`exchange ${exchange.replaceAll(".", "\\.")} does not exist.*exchange\\.declare: true`));
    await sink.close();

    const declaring = rabbitSink({ exchange: { name: exchange, declare: true } }, pino({ level: "silent" }));
    await declaring.write([event(1)]).catch(() => undefined); // declared now, but nothing is bound yet
    await bindQueue(exchange, queue);
    await declaring.write([event(2)]);
    expect((await channel.checkQueue(queue)).messageCount).toBe(1);
    await declaring.close();
  });

  it("selfTest passes every step with a bound queue and leaves a marked test event in it", async () => {
    const { exchange, queue } = unique();
    await bindQueue(exchange, queue);
    const sink = rabbitSink({ exchange });
    const steps = await sink.selfTest();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["exchange", true],
      ["publish test event", true],
    ]);
    const [message] = await drainQueue(channel, queue);
    expect(JSON.parse(message?.content.toString("utf8") ?? "{}")).toMatchObject({ kind: "test", connector: "wizbridge-sink-test" });
    await sink.close();
  });

  it("selfTest fails with a fix: missing exchange, unroutable test event, broker not listening", async () => {
    const { exchange } = unique();
    const missing = rabbitSink({ exchange });
    const noExchange = await missing.selfTest();
    expect(noExchange.map((s) => [s.step, s.ok])).toEqual([
      ["connect", true],
      ["exchange", false],
    ]);
    expect(noExchange[1]?.fix).toMatch(/declare: true|wizbridge sink setup bus/);
    await missing.close();

    await channel.assertExchange(exchange, "topic", { durable: true });
    const unbound = rabbitSink({ exchange });
    const noBinding = await unbound.selfTest();
    expect(noBinding[2]).toMatchObject({ step: "publish test event", ok: false });
    expect(noBinding[2]?.fix).toMatch(/Bind a durable queue/);
    await unbound.close();

    const port = await freePort();
    const nowhere = new RabbitmqSink("bus", rabbitmqSinkSchema.parse({ type: "rabbitmq", url: `amqp://guest:guest@127.0.0.1:${port}/`, exchange, connectTimeoutMs: 2_000 }), { logger: pino({ level: "silent" }), baseDir: process.cwd(), now: Date.now });
    const refused = await nowhere.selfTest();
    expect(refused).toEqual([expect.objectContaining({ step: "connect", ok: false })]);
    expect(refused[0]?.fix).toMatch(/RabbitMQ is running/);
    await expect(nowhere.write([event(1)])).rejects.toBeInstanceOf(SinkUnavailableError);
    // Within the reconnect backoff the next write fails at once, without dialling again.
    await expect(nowhere.write([event(1)])).rejects.toThrow(/next connection attempt in/);
    await nowhere.close();
  });

  it("never shows the password from the URL: not in describe, logs, errors or selfTest output", async () => {
    const { exchange } = unique();
    const { logger, text } = capturedLogger();
    const settings = rabbitmqSinkSchema.parse({ type: "rabbitmq", url: `amqp://guest:${SENTINEL}@127.0.0.1:5672/`, exchange });
    const sink = new RabbitmqSink("bus", settings, { logger, baseDir: process.cwd(), now: Date.now });
    const steps = await sink.selfTest();
    expect(steps).toEqual([expect.objectContaining({ step: "connect", ok: false })]);
    expect(steps[0]?.detail).toMatch(/refused the login/);
    expect(steps[0]?.fix).toMatch(/password/);
    const error = await sink.write([event(1)]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(SinkUnavailableError);
    const description = rabbitmqSinkType.describe("bus", settings);
    expect(description).toBe(`bus: RabbitMQ at amqp://guest:***@127.0.0.1:5672/ (exchange ${exchange}, topic, routing key wiz.{connector}.{stream})`);
    await sink.close();
    expect(`${JSON.stringify(steps)} ${error?.message} ${error?.stack} ${description} ${text()}`).not.toContain(SENTINEL);
  });

  it("dead-letters only the event above the broker's max_message_size, with RabbitMQ's reason, and writes the rest again", async () => {
    const { exchange, queue } = unique();
    await bindQueue(exchange, queue);
    const before = (await rabbitmqctl("eval", "application:get_env(rabbit, max_message_size).")).trim();
    const original = /\{ok,(\d+)\}/.exec(before)?.[1] ?? "134217728";
    // Read by each new channel: only the sink's channel (opened after this) sees the small limit.
    await rabbitmqctl("eval", "application:set_env(rabbit, max_message_size, 8192).");
    try {
      const sink = rabbitSink({ exchange });
      const big = event(3, "prod", "issues", 20_000);
      const error = await sink.write([event(1), event(2), big, event(4)]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SinkRejectedError);
      const rejected = error as SinkRejectedError;
      expect([...rejected.rejected.keys()]).toEqual([big.eventId]);
      expect(rejected.rejected.get(big.eventId)).toMatch(/PRECONDITION_FAILED.*larger than configured max size 8192/);
      // Confirms of the events before it may not have arrived when the broker closed the channel: those are
      // reported accepted only when confirmed, and written again otherwise (at-least-once).
      const accepted = [...(rejected.accepted ?? [])];
      expect(accepted.every((id) => id === event(1).eventId || id === event(2).eventId)).toBe(true);
      // The rest is written again as the dispatcher does: the sink opens a new channel for it.
      const rest = [event(1), event(2), event(4)].filter((r) => !accepted.includes(r.eventId));
      await until("the sink to take the rest of the batch", () =>
        sink.write(rest).then(
          () => true,
          () => false,
        ),
      );
      const ids = (await drainQueue(channel, queue)).map((m) => m.properties.messageId as string);
      expect([...new Set(ids)].sort()).toEqual([event(1).eventId, event(2).eventId, event(4).eventId].sort());
      await sink.close();
    } finally {
      await rabbitmqctl("eval", `application:set_env(rabbit, max_message_size, ${original}).`);
    }
  });

  it("loses nothing when the broker stops and starts in the middle of the batches (duplicates allowed and counted)", async () => {
    const { exchange, queue } = unique();
    await bindQueue(exchange, queue);
    const { logger } = capturedLogger();
    const sink = rabbitSink({ exchange, confirmTimeoutMs: 20_000 }, logger);
    const batchSize = 250;
    const written: SinkRecord[][] = [];
    let phase: "before" | "down" | "after" = "before";
    let acknowledged = 0;
    let acknowledgedAfter = 0;
    let failedWrites = 0;
    // Four writers retrying as the dispatcher does (a failed batch is written again, whole), writing new
    // batches until well after the restart: the outage always falls in the middle of the writing.
    const writer = async (): Promise<void> => {
      while (!(phase === "after" && acknowledgedAfter >= 12)) {
        const b = written.length;
        const batch = Array.from({ length: batchSize }, (_, i) => event(b * batchSize + i, "prod", "issues", 1_500));
        written.push(batch);
        for (;;) {
          try {
            await sink.write(batch);
            acknowledged += 1;
            if (phase === "after") acknowledgedAfter += 1;
            break;
          } catch (error) {
            if (error instanceof SinkRejectedError) throw error;
            failedWrites += 1;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    try {
      await until("some batches acknowledged", () => acknowledged >= 8);
      phase = "down";
      await rabbitmqctl("stop_app");
      await until("the AMQP listener to close", async () => !(await tcpPortOpen(5672)));
      // While the broker is down a write fails (fast: it does not wait in the client) and the outbox keeps the batch.
      await expect(sink.write([event(1e9)])).rejects.toBeInstanceOf(SinkUnavailableError);
    } finally {
      await rabbitmqctl("start_app");
      await until("RabbitMQ to accept connections again", () => tcpPortOpen(5672), 120_000);
      phase = "after";
    }
    await Promise.all(writers);
    expect(failedWrites).toBeGreaterThan(0);
    await sink.close();

    const admin = await amqp.connect(URL_);
    const ch = await admin.createChannel();
    const ids = (await drainQueue(ch, queue)).map((m) => m.properties.messageId as string);
    await admin.close();
    const distinct = new Set(ids);
    const expected = written.flat().map((r) => r.eventId);
    expect(expected.filter((id) => !distinct.has(id))).toEqual([]);
    expect(distinct.size).toBe(expected.length);
    console.log(`RabbitMQ restart: ${expected.length} events, ${failedWrites} failed writes retried, ${ids.length - distinct.size} duplicates in the queue (at-least-once)`);
  });
});
