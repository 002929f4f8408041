import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { formatWizTimestamp, microsFromMillis, parseWizTimestamp } from "../../src/model/wiz-timestamp.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { runStream, type StreamRunSettings, type SyncClient } from "../../src/sync/stream-runner.js";
import { DETECTIONS_LAG_SECONDS, DETECTIONS_OVERLAP_SECONDS, DETECTIONS_PAGES_PER_RUN, detectionsStream } from "../../src/sync/streams/detections.stream.js";
import type { WizClientCore } from "../../src/wiz/index.js";
import { clientFor, simConfig, simVersions, startTestSimulator, streamRunDeps, tempDir } from "./sync-fixtures.js";

/** The real client, with every filterBy it sends recorded (probe and pages alike). */
function recordingClient(client: WizClientCore): { client: SyncClient; filters: Array<Record<string, unknown>> } {
  const filters: Array<Record<string, unknown>> = [];
  const record = (variables: Record<string, unknown> | undefined): void => {
    if (variables?.filterBy) filters.push(variables.filterBy as Record<string, unknown>);
  };
  return {
    filters,
    client: {
      graphql: ((document, variables, options) => {
        record(variables as Record<string, unknown>);
        return client.graphql(document, variables, options);
      }) as WizClientCore["graphql"],
      paginate: ((document, variables, connection, options) => {
        record(variables as Record<string, unknown>);
        return client.paginate(document, variables, connection, options);
      }) as WizClientCore["paginate"],
    },
  };
}

describe("detections are pulled with both types, a lagging and overlapping window, and a page cap", () => {
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

  const settings = (overrides: Partial<StreamRunSettings> = {}): StreamRunSettings => ({ pageSize: 50, filter: {}, mode: "incremental", overlapUs: 0, concurrency: 2, ...overrides });
  async function emitted(): Promise<WizEvent[]> {
    return (await new OutboxRepository(store.db).readAfter("c1", 0, 1_000_000)).map((r) => JSON.parse(r.payload) as WizEvent);
  }

  it("every request names GENERATED_THREAT and MATCH_ONLY, also with a user filter, and both types come back", async () => {
    const recording = recordingClient(client);
    const result = await runStream({ ...streamRunDeps(sim, store, client, detectionsStream), client: recording.client }, settings({ filter: { severity: { equals: ["LOW", "MEDIUM", "HIGH", "CRITICAL", "INFORMATIONAL"] } } }));
    expect(result.status).toBe("completed");
    expect(recording.filters.length).toBeGreaterThan(1);
    for (const f of recording.filters) expect(f.type).toEqual({ equals: ["GENERATED_THREAT", "MATCH_ONLY"] });
    const types = new Set((await emitted()).map((e) => (e.raw as { type?: string }).type));
    expect([...types].sort()).toEqual(["GENERATED_THREAT", "MATCH_ONLY"]);
    expect(result.records).toBe(sim.tenant.detections.size());
  }, 60_000);

  it("with a lag, the walk leaves the newest detections to a later run, which reads them once the lag has passed", async () => {
    const versions = [...simVersions(sim, "detections").values()].map((v) => Date.parse(v)).sort((a, b) => a - b);
    const now = sim.clock.now();
    // Lag so that about the newest quarter of the detections is too recent for this walk.
    const cutoffMs = versions[Math.floor(versions.length * 0.75)] as number;
    const lagUs = microsFromMillis(now) - microsFromMillis(cutoffMs) + 1;
    const deps = streamRunDeps(sim, store, client, detectionsStream);
    const first = await runStream(deps, settings({ lagUs }));
    const early = await emitted();
    expect(first.status).toBe("completed");
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(versions.length);
    for (const e of early) expect(Date.parse(String((e.raw as { updatedAt: string }).updatedAt))).toBeLessThanOrEqual(cutoffMs);
    expect(Date.parse(first.cursor ?? "")).toBeLessThanOrEqual(cutoffMs);

    await sim.clock.advance(Math.ceil(lagUs / 1000) + 1000);
    const second = await runStream(deps, settings({ lagUs }));
    expect(second.status).toBe("completed");
    const all = await emitted();
    expect(new Set(all.map((e) => String(e.record.id))).size).toBe(sim.tenant.detections.size());
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  }, 60_000);

  it("each walk starts overlapSeconds before the cursor, so a detection indexed late within the overlap is read", async () => {
    const deps = streamRunDeps(sim, store, client, detectionsStream);
    const overlapUs = DETECTIONS_OVERLAP_SECONDS * 1_000_000;
    const first = await runStream(deps, settings({ overlapUs }));
    const cursorUs = parseWizTimestamp(first.cursor) as number;
    const recording = recordingClient(client);
    const second = await runStream({ ...deps, client: recording.client }, settings({ overlapUs }));
    expect(second.emitted).toBe(0);
    const lowerBounds = new Set(recording.filters.map((f) => (f.updatedAt as { after?: string } | undefined)?.after));
    expect([...lowerBounds]).toEqual([formatWizTimestamp(cursorUs - overlapUs)]);
  }, 60_000);

  it("a page cap stops a run at its checkpoint; the next run continues and nothing is lost or doubled", async () => {
    const deps = streamRunDeps(sim, store, client, detectionsStream);
    const capped = await runStream(deps, settings({ pageSize: 5, concurrency: 1, budget: { pages: 2 } }));
    expect(capped.status).toBe("budget");
    expect(capped.pages).toBe(2);
    let runs = 1;
    for (let status: string = capped.status; status === "budget"; runs += 1) status = (await runStream(deps, settings({ pageSize: 5, concurrency: 1, budget: { pages: 2 } }))).status;
    expect(runs).toBeGreaterThan(2);
    const all = await emitted();
    expect(new Set(all.map((e) => String(e.record.id))).size).toBe(sim.tenant.detections.size());
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  }, 120_000);

  it("the config gives detections their defaults (lag, overlap, pages per run) and takes the user's keys", () => {
    const dir = tempDir();
    const defaults = simConfig(sim, dir, { streams: { detections: true, issues: true } }).connectors[0]?.streams ?? [];
    expect(defaults.find((s) => s.name === "detections")).toMatchObject({ lagSeconds: DETECTIONS_LAG_SECONDS, overlapSeconds: DETECTIONS_OVERLAP_SECONDS, budget: { pages: DETECTIONS_PAGES_PER_RUN } });
    const issues = defaults.find((s) => s.name === "issues");
    expect(issues?.lagSeconds).toBeUndefined();
    expect(issues?.budget).toBeUndefined();
    const custom = simConfig(sim, dir, { streams: { detections: { lagSeconds: 0, overlapSeconds: 60, budget: { pages: 3 } } } }).connectors[0]?.streams[0];
    expect(custom).toMatchObject({ lagSeconds: 0, overlapSeconds: 60, budget: { pages: 3 } });
    expect(() => simConfig(sim, dir, { streams: { detections: { lagSeconds: -1 } } })).toThrow(/lagSeconds/);
  });
});
