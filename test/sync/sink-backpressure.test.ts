import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runDeadLettersCommand } from "../../src/cli/dead-letters.command.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { JsonlSink } from "../../src/sinks/jsonl/jsonl.sink.js";
import { SinkRejectedError, type Sink, type SinkRecord } from "../../src/sinks/sink.js";
import { ConnectorRepository } from "../../src/store/connector.repository.js";
import { DeadLetterRepository } from "../../src/store/dead-letter.repository.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { SyncEngine } from "../../src/sync/sync-engine.js";
import { connectionOf, latestByStream, readJsonl, silentLogger, simConfig, simVersions, startTestSimulator, tempDir } from "./sync-fixtures.js";

function captured() {
  const out = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (c: string) => (text += c));
  return { out, text: () => text };
}

/** A JSONL sink that can be switched off (a SIEM outage) and can refuse chosen events for good. */
class FlakySink implements Sink {
  readonly guarantee = "at-least-once" as const;
  down = false;
  failures = 0;
  poison = new Set<string>();

  constructor(
    readonly id: string,
    private readonly inner: JsonlSink,
  ) {}

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (this.down) {
      this.failures += 1;
      throw new Error("connection refused (the SIEM is down)");
    }
    const refused = batch.filter((r) => this.poison.has(r.eventId));
    if (refused.length > 0) throw new SinkRejectedError(new Map(refused.map((r) => [r.eventId, "field too large for the index"])));
    await this.inner.write(batch);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("a sink that is down", () => {
  let sim: Simulator;
  let store: Store;
  let dir: string;

  beforeEach(async () => {
    sim = await startTestSimulator();
    dir = tempDir();
    store = await openStore(join(dir, "wizbridge.db"));
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
  });

  it("grows the outbox to its bound, pauses pulling, loses nothing, and resumes when the sink returns", async () => {
    const limit = 150;
    const config = simConfig(sim, dir, { outboxLimit: limit, concurrency: 2, streams: { vulnerabilityFindings: { pageSize: 50 } } }, { delivery: { batchSize: 50, retryInitialMs: 10, retryMaxMs: 40 } });
    const sink = new FlakySink("events", new JsonlSink({ id: "events", directory: join(dir, "events") }));
    sink.down = true;
    const engine = new SyncEngine({ config, store, logger: silentLogger, sinks: new Map([["events", sink]]), now: () => sim.clock.now(), idlePollMs: 20, backpressurePollMs: 20 });
    const outbox = new OutboxRepository(store.db);
    try {
      const run = engine.runOnce();
      await until(async () => (await new ConnectorRepository(store.db).get("sim"))?.state_detail?.startsWith("paused") === true, "pulling pauses");
      const requestsAtPause = sim.requests.list({ rootField: "vulnerabilityFindings" }).length;
      const backlogAtPause = await outbox.count("sim");
      expect(backlogAtPause).toBeGreaterThanOrEqual(limit);
      // Bounded: at most the pages already in flight when the bound was reached (one per slice) go past it.
      expect(backlogAtPause).toBeLessThanOrEqual(limit + 2 * 50);
      await new Promise((r) => setTimeout(r, 400));
      expect(sim.requests.list({ rootField: "vulnerabilityFindings" }).length).toBe(requestsAtPause);
      expect(await outbox.count("sim")).toBe(backlogAtPause);
      expect(sink.failures).toBeGreaterThan(1);

      sink.down = false;
      const [summary] = await run;
      expect(summary?.status).toBe("succeeded");
      expect(await engine.drain(30_000)).toBe(0);
    } finally {
      await engine.close();
    }
    const events = readJsonl(join(dir, "events"));
    expect(latestByStream(events, "vulnerabilityFindings")).toEqual(simVersions(sim, "vulnerabilityFindings"));
    expect(await outbox.count()).toBe(0);
  });

  it("sends poison records to the dead-letter table with the reason, delivers the rest, and replays them on request", async () => {
    const config = simConfig(sim, dir, { streams: { projects: true } });
    const sink = new FlakySink("events", new JsonlSink({ id: "events", directory: join(dir, "events") }));
    // Refuse whatever the second project's event id turns out to be: learn it from the first attempt.
    let learned = false;
    const originalWrite = sink.write.bind(sink);
    sink.write = async (batch) => {
      if (!learned && batch.length > 1) {
        learned = true;
        sink.poison.add(batch[1]?.eventId ?? "");
      }
      return originalWrite(batch);
    };
    const engine = new SyncEngine({ config, store, logger: silentLogger, sinks: new Map([["events", sink]]), now: () => sim.clock.now(), idlePollMs: 20 });
    try {
      await engine.runOnce();
      expect(await engine.drain(30_000)).toBe(0);
      const letters = await new DeadLetterRepository(store.db).list({ connectorId: "sim" });
      expect(letters).toHaveLength(1);
      expect(letters[0]?.reason).toBe("field too large for the index");
      expect(readJsonl(join(dir, "events"))).toHaveLength(sim.tenant.projects.size() - 1);

      // The CLI lists them with the reason, and replays them through the sink the config names.
      const listed = captured();
      expect(await runDeadLettersCommand({ dataDir: dir, replay: false, all: false, json: false, logLevel: "silent" }, { out: listed.out, env: {} })).toBe(0);
      expect(listed.text()).toMatch(/\tsim\tevents\tprojects\t[0-9a-f]{32}\t.*\tfield too large for the index\n1 dead letter\. Fix the cause/);
      const configPath = join(dir, "replay.json");
      writeFileSync(configPath, JSON.stringify({ dataDir: dir, store: { path: join(dir, "wizbridge.db") }, connectors: [{ id: "sim", connection: connectionOf(sim), sinks: ["events"], streams: { projects: true } }], sinks: { events: { type: "jsonl", directory: join(dir, "events") } } }));
      const replayed = captured();
      expect(await runDeadLettersCommand({ config: configPath, dataDir: dir, connector: "sim", sink: "events", replay: true, all: false, json: false, logLevel: "silent" }, { out: replayed.out, env: {}, logger: silentLogger })).toBe(0);
      expect(replayed.text()).toBe("replayed 1 dead letter of sim to events\n");
      expect(new Set(readJsonl(join(dir, "events")).map((e) => e.record.id)).size).toBe(sim.tenant.projects.size());
      expect(await new DeadLetterRepository(store.db).list({ connectorId: "sim", pendingOnly: true })).toHaveLength(0);
    } finally {
      await engine.close();
    }
  });
});
