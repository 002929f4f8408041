import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { StreamStateRepository } from "../../src/store/stream-state.repository.js";
import { runStream } from "../../src/sync/stream-runner.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import { SyncEngine } from "../../src/sync/sync-engine.js";
import type { WizClientCore } from "../../src/wiz/index.js";
import { clientFor, latestByStream, readJsonl, silentLogger, simConfig, simVersions, startTestSimulator, streamRunDeps, tempDir } from "./sync-fixtures.js";

const SEVERITY_RANK = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

describe("what a sync selects", () => {
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

  async function sync(connector: Record<string, unknown>): Promise<WizEvent[]> {
    const engine = new SyncEngine({ config: simConfig(sim, dir, connector), store, logger: silentLogger, now: () => sim.clock.now(), idlePollMs: 20 });
    try {
      const [summary] = await engine.runOnce();
      expect(summary?.status).toBe("succeeded");
      expect(await engine.drain(30_000)).toBe(0);
    } finally {
      await engine.close();
    }
    return readJsonl(join(dir, "events"));
  }

  function idsWhere(kind: "issues" | "vulnerabilityFindings" | "cloudResources", keep: (r: Record<string, unknown>) => boolean): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < sim.tenant[kind].size(); i += 1) {
      const r = sim.tenant[kind].get(i);
      if (keep(r)) out.add(String(r.id));
    }
    return out;
  }

  it("filters in Wiz's vocabulary select exactly the matching records", async () => {
    const events = await sync({
      streams: {
        issues: { filters: { severity: ["HIGH", "CRITICAL"], status: ["OPEN", "IN_PROGRESS"] } },
        vulnerabilityFindings: { filters: { status: ["OPEN"] } },
        cloudResources: { filters: { type: { equals: ["VIRTUAL_MACHINE"] } } },
      },
    });
    const ids = (stream: string) => new Set(latestByStream(events, stream).keys());
    expect(ids("issues")).toEqual(idsWhere("issues", (r) => ["HIGH", "CRITICAL"].includes(String(r.severity)) && ["OPEN", "IN_PROGRESS"].includes(String(r.status))));
    expect(ids("vulnerabilityFindings")).toEqual(idsWhere("vulnerabilityFindings", (r) => r.status === "OPEN"));
    const vms = idsWhere("cloudResources", (r) => r.type === "VIRTUAL_MACHINE");
    expect(vms.size).toBeGreaterThan(0);
    expect(ids("cloudResources")).toEqual(vms);
    expect(events.every((e) => ["issues", "vulnerabilityFindings", "cloudResources"].includes(e.stream))).toBe(true);
  });

  it("sampling mode syncs only the top N assets by risk and their findings, and leaves cursors alone", async () => {
    const top = topRiskResources(sim, 15);
    const events = await sync({ sampling: { assets: 15 }, streams: { cloudResources: true, issues: true, vulnerabilityFindings: true } });
    const ids = (stream: string) => new Set(latestByStream(events, stream).keys());
    expect(ids("cloudResources")).toEqual(top);
    expect(ids("issues")).toEqual(idsWhere("issues", (r) => top.has(String((r.entitySnapshot as { id?: string } | null)?.id))));
    expect(ids("vulnerabilityFindings")).toEqual(idsWhere("vulnerabilityFindings", (r) => top.has(String((r.vulnerableAsset as { id?: string } | null)?.id))));
    expect(ids("vulnerabilityFindings").size).toBeGreaterThan(0);
    expect((await new StreamStateRepository(store.db).state("sim", "issues"))?.cursor_us ?? null).toBeNull();
  });
});

describe("changes during a run", () => {
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

  it("records changed while the walk runs (read already or not yet) are not lost", async () => {
    const deps = streamRunDeps(sim, store, client, STREAM_CATALOGUE.issues);
    const byUpdate = [...Array(sim.tenant.issues.size()).keys()].sort((a, b) => (sim.tenant.issues.cols.updatedAt[a] ?? 0) - (sim.tenant.issues.cols.updatedAt[b] ?? 0));
    const early = byUpdate.slice(0, 5); // on the first page
    const late = byUpdate.slice(-5); // not read yet after the first page
    let changed = false;
    const onPage = () => {
      if (changed) return;
      changed = true;
      void sim.clock.advance(60_000);
      for (const i of [...early, ...late]) sim.tenant.updateIssue(i, { note: "changed mid-run" }, false, { id: "t", name: "test" }, sim.clock.now());
    };
    await runStream({ ...deps, onPage }, { pageSize: 20, filter: {}, mode: "incremental", overlapUs: 0, concurrency: 1 });
    await runStream(deps, { pageSize: 20, filter: {}, mode: "incremental", overlapUs: 0, concurrency: 1 });
    const rows = await new OutboxRepository(store.db).readAfter("c1", 0, 100_000);
    const events = rows.map((r) => JSON.parse(r.payload) as WizEvent);
    expect(latestByStream(events, "issues")).toEqual(simVersions(sim, "issues"));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

/** The simulator's ranking: resources by their most severe open issue, ties by first issue. */
function topRiskResources(sim: Simulator, n: number): Set<string> {
  const groups = new Map<string, { max: number; first: number }>();
  for (let i = 0; i < sim.tenant.issues.size(); i += 1) {
    const issue = sim.tenant.issues.get(i);
    if (!["OPEN", "IN_PROGRESS"].includes(String(issue.status))) continue;
    const resource = sim.tenant.issues.cols.resource[i] ?? -1;
    if (resource < 0) continue;
    const id = sim.tenant.cloudResources.idAt(resource);
    const rank = SEVERITY_RANK.indexOf(String(issue.severity));
    const group = groups.get(id);
    if (!group) groups.set(id, { max: rank, first: i });
    else group.max = Math.max(group.max, rank);
  }
  return new Set(
    [...groups.entries()]
      .sort((a, b) => b[1].max - a[1].max || a[1].first - b[1].first)
      .slice(0, n)
      .map(([id]) => id),
  );
}
