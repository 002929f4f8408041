import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { StreamStateRepository } from "../../src/store/stream-state.repository.js";
import { runStream, type StreamRunSettings } from "../../src/sync/stream-runner.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import type { WizClientCore } from "../../src/wiz/index.js";
import { clientFor, simVersions, startTestSimulator, streamRunDeps } from "./sync-fixtures.js";

describe("runStream against the simulator", () => {
  let sim: Simulator;
  let store: Store;
  let client: WizClientCore;

  beforeEach(async () => {
    sim = await startTestSimulator({ activityPerHour: 400 });
    store = await openStore(":memory:");
    client = clientFor(sim);
  });
  afterEach(async () => {
    await client.close();
    await store.close();
    await sim.close();
  });

  const deps = (stream: keyof typeof STREAM_CATALOGUE) => streamRunDeps(sim, store, client, STREAM_CATALOGUE[stream]);
  const settings = (overrides: Partial<StreamRunSettings> = {}): StreamRunSettings => ({ pageSize: 50, filter: {}, mode: "incremental", overlapUs: 60_000_000, concurrency: 4, ...overrides });

  async function emitted(): Promise<WizEvent[]> {
    const rows = await new OutboxRepository(store.db).readAfter("c1", 0, 1_000_000);
    return rows.map((r) => JSON.parse(r.payload) as WizEvent);
  }

  /** Latest version per record id, as a sink that upserts by id would hold it. */
  function latest(events: WizEvent[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of events) if (e.kind === "upsert") out.set(String(e.record.id), String(e.record.updatedAt));
    return out;
  }

  it("a full then an incremental sync hold every issue at its latest version, after changes between runs", async () => {
    const first = await runStream(deps("issues"), settings());
    expect(first.status).toBe("completed");
    expect(latest(await emitted())).toEqual(simVersions(sim, "issues"));

    await sim.clock.advance(1_800_000); // activity: new, updated and resolved issues
    const second = await runStream(deps("issues"), settings());
    expect(second.emitted).toBeGreaterThan(0);
    expect(second.emitted).toBeLessThan(first.emitted);
    expect(latest(await emitted())).toEqual(simVersions(sim, "issues"));

    // Unchanged: the overlap re-read emits nothing, in a couple of requests.
    const third = await runStream(deps("issues"), settings());
    expect(third.emitted).toBe(0);
    expect(third.requests).toBeLessThanOrEqual(3);
    const ids = (await emitted()).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("vulnerability findings split into parallel slices and still deliver each version once", async () => {
    const result = await runStream(deps("vulnerabilityFindings"), settings({ pageSize: 25, concurrency: 6 }));
    const events = await emitted();
    expect(result.records).toBe(sim.tenant.vulnerabilityFindings.size());
    expect(latest(events)).toEqual(simVersions(sim, "vulnerabilityFindings"));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(await new StreamStateRepository(store.db).openRun("c1", "vulnerabilityFindings")).toBeUndefined();
  });

  it("every stream completes and emits records with a portal link and the raw payload", async () => {
    for (const name of Object.keys(STREAM_CATALOGUE) as Array<keyof typeof STREAM_CATALOGUE>) {
      const result = await runStream(deps(name), settings());
      expect(result.status, name).toBe("completed");
      expect(result.emitted, name).toBeGreaterThan(0);
    }
    const events = await emitted();
    for (const e of events) {
      expect(e.source).toBe("wiz");
      expect(e.record.portalUrl).toMatch(/^https:\/\//);
      expect(e.raw).toMatchObject({ id: e.record.id });
    }
  });
});
