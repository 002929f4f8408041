import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord } from "../sinks/sink.js";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { OutboxRepository } from "../store/outbox.repository.js";
import { SinkOffsetRepository } from "../store/sink-offset.repository.js";
import { openStore, type Store } from "../store/store-database.js";
import { connectorStatuses, renderConnectorStatuses } from "./connector-status.js";
import { OutboxDispatcher, type OutboxDispatcherOptions } from "./outbox-dispatcher.js";
import { ConnectorRepository } from "../store/connector.repository.js";

/** A destination whose behaviour each test scripts per write call. */
class ScriptedSink implements Sink {
  readonly guarantee = "at-least-once" as const;
  readonly received: SinkRecord[] = [];
  readonly batches: number[] = [];
  inFlight = 0;
  maxInFlightSeen = 0;
  behave: (batch: readonly SinkRecord[], call: number) => Promise<void> = async () => undefined;
  private calls = 0;

  constructor(readonly id: string) {}

  async write(batch: readonly SinkRecord[]): Promise<void> {
    this.inFlight += 1;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    try {
      await this.behave(batch, this.calls++);
      this.received.push(...batch);
      this.batches.push(batch.length);
    } finally {
      this.inFlight -= 1;
    }
  }

  async close(): Promise<void> {}
}

const silent = pino({ level: "silent" });

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("OutboxDispatcher", () => {
  let store: Store;
  let sleeps: number[];

  beforeEach(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), "wizbridge-dispatch-")), "wizbridge.db"));
    await new ConnectorRepository(store.db).register("c", "https://api.example/graphql", true, 0);
    sleeps = [];
  });
  afterEach(async () => {
    await store.close();
  });

  async function fill(n: number, payload = (i: number) => JSON.stringify({ id: `e${i}`, pad: "x".repeat(100) })): Promise<void> {
    await new OutboxRepository(store.db).append(
      Array.from({ length: n }, (_, i) => ({ connectorId: "c", stream: "issues", eventId: `e${i}`, payload: payload(i) })),
      0,
    );
  }

  function dispatcher(sink: Sink, overrides: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcher {
    return new OutboxDispatcher({
      db: store.db,
      connectorId: "c",
      sink,
      connectorSinkIds: [sink.id],
      batchSize: 10,
      retry: { initialMs: 1, maxMs: 4 },
      idlePollMs: 20,
      now: Date.now,
      // Records the asked delay, then waits only a moment: the tests check what was asked, not the clock.
      sleep: async (ms, signal) => {
        sleeps.push(ms);
        if (signal?.aborted) throw new Error("aborted");
        await new Promise((r) => setTimeout(r, 1));
      },
      random: () => 0.5,
      logger: silent,
      ...overrides,
    });
  }

  async function runUntil(d: OutboxDispatcher, check: () => Promise<boolean> | boolean, what: string): Promise<void> {
    const stop = new AbortController();
    const loop = d.run(stop.signal);
    try {
      await until(check, what);
    } finally {
      stop.abort();
      await loop;
    }
  }

  it("keeps several batches in flight but acknowledges in outbox order, and the offset never passes an undelivered batch", async () => {
    await fill(100);
    const sink = new ScriptedSink("s");
    // Later batches finish first: batch 0 is the slowest.
    sink.behave = async (batch) => new Promise((r) => setTimeout(r, batch[0]?.eventId === "e0" ? 80 : 5));
    const d = dispatcher(sink, { maxInFlight: 4 });
    await runUntil(d, async () => (await d.pending()) === 0, "all delivered");
    expect(sink.maxInFlightSeen).toBeGreaterThan(1);
    expect(sink.maxInFlightSeen).toBeLessThanOrEqual(4);
    expect(new Set(sink.received.map((r) => r.eventId)).size).toBe(100);
    expect(await new SinkOffsetRepository(store.db).offset("c", "s")).toBe(100);
    expect(await new OutboxRepository(store.db).count("c")).toBe(0);
  });

  it("stopped while an early batch is still failing: later batches that finished are not acknowledged past it", async () => {
    await fill(30);
    const sink = new ScriptedSink("s");
    sink.behave = async (batch) => {
      if (batch[0]?.eventId === "e0") throw new Error("first batch keeps failing");
    };
    const d = dispatcher(sink, { maxInFlight: 3 });
    const stop = new AbortController();
    const loop = d.run(stop.signal);
    await until(() => sink.received.length >= 20, "the two later batches were written");
    stop.abort();
    await loop;
    expect(await new SinkOffsetRepository(store.db).offset("c", "s")).toBe(0);
    expect(await new OutboxRepository(store.db).count("c")).toBe(30);
  });

  it("cuts batches by bytes as well as by count (one larger event still goes alone)", async () => {
    await fill(12, (i) => JSON.stringify({ id: `e${i}`, pad: "x".repeat(i === 5 ? 5000 : 900) }));
    const sink = new ScriptedSink("s");
    const d = dispatcher(sink, { batchSize: 10, maxBatchBytes: 2048 });
    await runUntil(d, async () => (await d.pending()) === 0, "all delivered");
    for (const size of sink.batches) expect(size).toBeLessThanOrEqual(2);
    expect(sink.received.map((r) => r.eventId)).toEqual(Array.from({ length: 12 }, (_, i) => `e${i}`));
  });

  it("waits up to maxWaitMs for a fuller batch when events trickle in", async () => {
    await fill(3);
    const sink = new ScriptedSink("s");
    const d = dispatcher(sink, { batchSize: 10, maxWaitMs: 5_000, idlePollMs: 5_000 });
    const stop = new AbortController();
    const loop = d.run(stop.signal);
    await new Promise((r) => setTimeout(r, 50));
    await new OutboxRepository(store.db).append(
      Array.from({ length: 7 }, (_, i) => ({ connectorId: "c", stream: "issues", eventId: `f${i}`, payload: "{}" })),
      0,
    );
    d.notify();
    await until(() => sink.received.length === 10, "the batch filled up");
    stop.abort();
    await loop;
    expect(sink.batches).toEqual([10]);
  });

  it("honours the destination's Retry-After over a shorter backoff", async () => {
    await fill(5);
    const sink = new ScriptedSink("s");
    sink.behave = async (_batch, call) => {
      if (call === 0) throw new SinkUnavailableError("503 busy", { retryAfterMs: 7_000 });
    };
    const d = dispatcher(sink);
    await runUntil(d, async () => (await d.pending()) === 0, "delivered after the retry");
    expect(sleeps).toContain(7_000);
    expect(d.status().retried).toBe(5);
  });

  it("opens the circuit after repeated failures, waits the cooldown, then sends one probe batch at a time", async () => {
    await fill(40);
    const sink = new ScriptedSink("s");
    let failing = true;
    sink.behave = async () => {
      if (failing) throw new Error("connection refused");
    };
    const d = dispatcher(sink, { maxInFlight: 4, circuitBreaker: { failureThreshold: 3, cooldownMs: 60 } });
    const stop = new AbortController();
    const loop = d.run(stop.signal);
    await until(() => d.status().state !== "closed", "the circuit opened");
    expect(d.status().consecutiveFailures).toBeGreaterThanOrEqual(3);
    failing = false;
    await until(async () => (await d.pending()) === 0, "delivered once the sink is back");
    stop.abort();
    await loop;
    expect(d.status().state).toBe("closed");
    expect(d.status().lastError).toBeNull();
    expect(new Set(sink.received.map((r) => r.eventId)).size).toBe(40);
  });

  it("dead-letters refused items with the destination's reason, acknowledges accepted ones and retries only the rest", async () => {
    await fill(10);
    const sink = new ScriptedSink("s");
    const attempts = new Map<string, number>();
    sink.behave = async (batch, call) => {
      for (const r of batch) attempts.set(r.eventId, (attempts.get(r.eventId) ?? 0) + 1);
      if (call === 0) {
        // e3 refused for good, e7 throttled (neither), the rest indexed.
        const accepted = new Set(batch.map((r) => r.eventId).filter((id) => id !== "e3" && id !== "e7"));
        throw new SinkRejectedError(new Map([["e3", "mapper_parsing_exception: failed to parse field [record.score]"]]), accepted);
      }
    };
    const d = dispatcher(sink);
    await runUntil(d, async () => (await d.pending()) === 0, "all settled");
    expect(attempts.get("e7")).toBe(2);
    expect(attempts.get("e1")).toBe(1);
    expect(attempts.get("e3")).toBe(1);
    const letters = await new DeadLetterRepository(store.db).list({ connectorId: "c" });
    expect(letters.map((l) => [l.eventId, l.reason])).toEqual([["e3", "mapper_parsing_exception: failed to parse field [record.score]"]]);
    expect(d.status()).toMatchObject({ deadLettered: 1, delivered: 9 });
  });

  it("a sink that takes bytes gets each event's stored UTF-8 bytes, cut by bytes, and its refused events keep their exact text", async () => {
    await fill(12, (i) => JSON.stringify({ id: `e${i}`, title: `Überprüfung 🔒 ${i} `.repeat(i === 4 ? 300 : 40) }));
    const stored = new Map((await new OutboxRepository(store.db).readAfter("c", 0, 100)).map((r) => [r.eventId, r.payload]));
    const sink = new ScriptedSink("s");
    Object.assign(sink, { takesBytes: true });
    const written: SinkRecord[] = [];
    const sizes: number[] = [];
    sink.behave = async (batch, call) => {
      written.push(...batch);
      sizes.push(batch.reduce((n, r) => n + (r.bytes?.length ?? 0), 0));
      if (call === 0) throw new SinkRejectedError(new Map([["e0", "refused for the test"]]), new Set(batch.slice(1).map((r) => r.eventId)));
    };
    const d = dispatcher(sink, { batchSize: 10, maxBatchBytes: 4096 });
    await runUntil(d, async () => (await d.pending()) === 0, "all settled");
    // Every record came with bytes that decode to the stored text; no batch passed the byte limit but a lone large event.
    expect(new Set(written.map((r) => r.eventId))).toEqual(new Set(stored.keys()));
    for (const r of written) {
      expect(r.bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(r.bytes as Uint8Array).toString("utf8")).toBe(stored.get(r.eventId));
      expect(r.payload).toBe(stored.get(r.eventId));
    }
    expect(sizes.filter((n) => n > 4096)).toEqual([Buffer.byteLength(stored.get("e4") ?? "")]);
    const letters = await new DeadLetterRepository(store.db).list({ connectorId: "c" });
    expect(letters.map((l) => [l.eventId, l.payload])).toEqual([["e0", stored.get("e0")]]);
  });

  it("a failing sink shows in status with its error, since when and its backlog, and clears when it delivers again", async () => {
    await fill(8);
    const sink = new ScriptedSink("siem");
    let failing = true;
    sink.behave = async () => {
      if (failing) throw new Error("connect ECONNREFUSED 127.0.0.1:8088");
    };
    const d = dispatcher(sink);
    const stop = new AbortController();
    const loop = d.run(stop.signal);
    await until(async () => (await connectorStatuses(store.db))[0]?.sinks[0]?.health === "failing", "status says failing");
    const [status] = await connectorStatuses(store.db);
    expect(status?.sinks[0]).toMatchObject({ sink: "siem", health: "failing", backlog: 8, lastError: "connect ECONNREFUSED 127.0.0.1:8088" });
    expect(status?.sinks[0]?.failingSince).toMatch(/^\d{4}-/);
    expect(renderConnectorStatuses([status!])).toMatch(/FAILING since .*8 events waiting: connect ECONNREFUSED/);
    failing = false;
    await until(async () => (await connectorStatuses(store.db))[0]?.sinks[0]?.health === "ok", "status says ok again");
    stop.abort();
    await loop;
    expect((await connectorStatuses(store.db))[0]?.sinks[0]).toMatchObject({ health: "ok", backlog: 0, lastError: null });
  });
});
