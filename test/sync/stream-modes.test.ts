import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { StreamStateRepository } from "../../src/store/stream-state.repository.js";
import { runStream, type StreamRunSettings } from "../../src/sync/stream-runner.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import { SyncEngine } from "../../src/sync/sync-engine.js";
import { parseWizTimestamp } from "../../src/model/wiz-timestamp.js";
import type { WizClientCore } from "../../src/wiz/index.js";
import { clientFor, latestByStream, simConfig, simVersions, startTestSimulator, streamRunDeps, tempDir } from "./sync-fixtures.js";

describe("stream modes, budgets and backfill", () => {
  let sim: Simulator;
  let store: Store;
  let client: WizClientCore;

  beforeEach(async () => {
    sim = await startTestSimulator();
    store = await openStore(":memory:");
    client = clientFor(sim);
  });
  afterEach(async () => {
    await client.close();
    await store.close();
    await sim.close();
  });

  const deps = () => streamRunDeps(sim, store, client, STREAM_CATALOGUE.issues);
  const settings = (overrides: Partial<StreamRunSettings> = {}): StreamRunSettings => ({ pageSize: 25, filter: {}, mode: "incremental", overlapUs: 60_000_000, concurrency: 3, ...overrides });
  const events = async (): Promise<WizEvent[]> => (await new OutboxRepository(store.db).readAfter("c1", 0, 1_000_000)).map((r) => JSON.parse(r.payload) as WizEvent);

  it("full-posture snapshots emit only changes, and a removal for records that left", async () => {
    const open = settings({ mode: "snapshot", filter: { status: ["OPEN"] } });
    const first = await runStream(deps(), open);
    const openIds = [...Array(sim.tenant.issues.size()).keys()].filter((i) => sim.tenant.issues.get(i).status === "OPEN");
    expect(first.emitted).toBe(openIds.length);
    expect(await runStream(deps(), open)).toMatchObject({ emitted: 0, status: "completed" });

    await sim.clock.advance(60_000);
    const leaving = openIds[0] ?? -1;
    const changing = openIds[1] ?? -1;
    sim.tenant.updateIssue(leaving, { status: "IN_PROGRESS" }, false, { id: "t", name: "test" }, sim.clock.now());
    sim.tenant.updateIssue(changing, { note: "still open" }, false, { id: "t", name: "test" }, sim.clock.now());
    const third = await runStream(deps(), open);
    expect(third.emitted).toBe(2);
    const all = await events();
    const removal = all.find((e) => e.kind === "removal");
    expect(removal?.record).toMatchObject({ id: sim.tenant.issues.idAt(leaving), status: "REMOVED" });
    expect(removal?.raw).toBeNull();
    const held = latestByStream(all, "issues");
    expect(held.has(sim.tenant.issues.idAt(leaving))).toBe(false);
    expect(held.size).toBe(openIds.length - 1);
  });

  it("a stored cursor Wiz refuses after a restart: the slice restarts from its last committed change, nothing missing", async () => {
    const messages: string[] = [];
    const logger = pino({ level: "warn" }, new Writable({ write: (chunk: Buffer, _e, done) => (messages.push(chunk.toString()), done()) }));
    const budgeted = settings({ budget: { pages: 2 }, concurrency: 1 });
    expect((await runStream(deps(), budgeted)).status).toBe("budget");
    // The cursor kept in the checkpoint is no longer accepted (Wiz cursors are opaque and may expire).
    await store.db.updateTable("slices").set({ end_cursor: "eyJ2IjpbXSwiaSI6LTF9-expired" }).where("connector_id", "=", "c1").execute();
    const resumed = await runStream({ ...deps(), logger }, settings({ concurrency: 1 }));
    expect(resumed.status).toBe("completed");
    expect(messages.join("")).toMatch(/Wiz refused the stored page cursor; the slice restarts/);
    const held = latestByStream(await events(), "issues");
    const expected = simVersions(sim, "issues");
    expect(held.size).toBe(expected.size);
    for (const [id, updatedAt] of expected) expect(held.get(id), id).toBe(updatedAt);
  });

  it("a run that hits its page budget checkpoints; the next runs continue until done", async () => {
    const budgeted = settings({ budget: { pages: 3 }, concurrency: 1 });
    const first = await runStream(deps(), budgeted);
    expect(first.status).toBe("budget");
    expect(first.pages).toBe(3);
    expect(await new StreamStateRepository(store.db).openRun("c1", "issues")).toBeDefined();
    let runs = 1;
    while ((await runStream(deps(), budgeted)).status === "budget") runs += 1;
    expect(runs).toBeGreaterThan(2);
    const all = await events();
    expect(latestByStream(all, "issues")).toEqual(simVersions(sim, "issues"));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });

  it("the first export honours the backfill window", async () => {
    await runStream(deps(), settings({ backfillDays: 10 }));
    const since = (sim.clock.now() - 10 * 86_400_000) * 1000;
    const expected = [...simVersions(sim, "issues").entries()].filter(([, updatedAt]) => (parseWizTimestamp(updatedAt) ?? 0) > since);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(sim.tenant.issues.size());
    expect(latestByStream(await events(), "issues")).toEqual(new Map(expected));
  });
});

describe("logs", () => {
  it("carry no client secret or token, even at debug level", async () => {
    const sim = await startTestSimulator();
    const dir = tempDir();
    const store = await openStore(join(dir, "wizbridge.db"));
    let logged = "";
    const sinkStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const logger = pino({ level: "debug" }, sinkStream);
    const engine = new SyncEngine({ config: simConfig(sim, dir, { streams: { issues: true } }), store, logger, now: () => sim.clock.now(), idlePollMs: 20 });
    try {
      await engine.runOnce();
      await engine.drain(30_000);
    } finally {
      await engine.close();
      await store.close();
      await sim.close();
    }
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(sim.clientSecret);
    expect(logged).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT access token
  });
});
