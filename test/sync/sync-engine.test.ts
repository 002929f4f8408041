import { STREAM_NAMES } from "../../src/model/stream-name.js";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { ConnectorRepository } from "../../src/store/connector.repository.js";
import { RunRepository } from "../../src/store/run.repository.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { SyncEngine } from "../../src/sync/sync-engine.js";
import { latestByStream, readJsonl, silentLogger, simConfig, simVersions, startTestSimulator, tempDir } from "./sync-fixtures.js";

describe("SyncEngine: sync into JSONL from the simulator", () => {
  let sim: Simulator;
  let store: Store;
  let dir: string;

  beforeEach(async () => {
    sim = await startTestSimulator({ activityPerHour: 300 });
    dir = tempDir();
    store = await openStore(join(dir, "wizbridge.db"));
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
  });

  async function syncOnce(config = simConfig(sim, dir), full = false) {
    const engine = new SyncEngine({ config, store, logger: silentLogger, now: () => sim.clock.now(), idlePollMs: 20 });
    try {
      const summaries = await engine.runOnce({ full });
      expect(await engine.drain(30_000)).toBe(0);
      return summaries;
    } finally {
      await engine.close();
    }
  }

  it("full then incremental: the sink holds every record of every changing stream at its latest version", async () => {
    // Without the detections walk's lag (default 120 s behind now), so the newest changes are read at once.
    const config = simConfig(sim, dir, { streams: Object.fromEntries(STREAM_NAMES.map((name) => [name, name === "detections" ? { lagSeconds: 0 } : {}])) });
    const [first] = await syncOnce(config);
    expect(first?.status).toBe("succeeded");
    await sim.clock.advance(2 * 3_600_000);
    const [second] = await syncOnce(config);
    expect(second?.status).toBe("succeeded");
    const events = readJsonl(join(dir, "events"));
    for (const kind of ["issues", "vulnerabilityFindings", "configurationFindings", "detections", "cloudResources"] as const) {
      expect(latestByStream(events, kind), kind).toEqual(simVersions(sim, kind));
    }
    expect(latestByStream(events, "auditLogEntries").size).toBe(sim.tenant.auditLogEntries.size());
    expect(latestByStream(events, "projects").size).toBe(sim.tenant.projects.size());
    expect(latestByStream(events, "versionControlResources").size).toBe(sim.tenant.versionControlResources.size());
    expect(latestByStream(events, "threats").size).toBe(simThreatCount(sim));
    // No event twice, and the outbox is empty once delivered.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(await new OutboxRepository(store.db).count()).toBe(0);
  });

  it("runs a connector's due streams side by side, at most streamConcurrency at once", async () => {
    const active = new Set<string>();
    let peak = 0;
    const config = simConfig(sim, dir, { streamConcurrency: 2, streams: { issues: { pageSize: 5 }, vulnerabilityFindings: { pageSize: 5 }, configurationFindings: { pageSize: 5 } } });
    const engine = new SyncEngine({
      config,
      store,
      logger: silentLogger,
      now: () => sim.clock.now(),
      idlePollMs: 20,
      onProgress: (_connector, progress, final) => {
        if (final) active.delete(progress.stream);
        else active.add(progress.stream);
        peak = Math.max(peak, active.size);
      },
    });
    try {
      const [summary] = await engine.runOnce();
      expect(summary?.status).toBe("succeeded");
      expect(summary?.streams.map((s) => s.stream)).toEqual(["issues", "vulnerabilityFindings", "configurationFindings"]);
      expect(peak).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it("records states and run history per connector and stream", async () => {
    const [summary] = await syncOnce();
    const connector = await new ConnectorRepository(store.db).get("sim");
    expect(connector?.state).toBe("processed");
    const runs = await new RunRepository(store.db).list("sim");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", trigger: "manual", error_code: null });
    expect(runs[0]?.ended_at).toBeGreaterThanOrEqual(runs[0]?.started_at ?? Infinity);
    const streams = await new RunRepository(store.db).streams(summary?.runId ?? -1);
    expect(streams.map((s) => s.stream).sort()).toEqual(
      ["auditLogEntries", "cloudResources", "configurationFindings", "detections", "issues", "projects", "threats", "versionControlResources", "vulnerabilityFindings"].sort(),
    );
    const issues = streams.find((s) => s.stream === "issues");
    expect(issues).toMatchObject({ status: "succeeded", records: sim.tenant.issues.size(), emitted: sim.tenant.issues.size() });
    expect(issues?.pages).toBeGreaterThan(0);
  });

  it("a failing connector is Failed with the typed error's code and fix, in its state and its run", async () => {
    const config = simConfig(sim, dir, { connection: { clientId: sim.clientId, clientSecret: "wrong-secret", endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true }, streams: { issues: true } });
    const [summary] = await syncOnce(config);
    expect(summary?.status).toBe("failed");
    const connector = await new ConnectorRepository(store.db).get("sim");
    expect(connector?.state).toBe("failed");
    expect(connector?.error_code).toBeTruthy();
    expect(connector?.error_fix).toMatch(/secret|credential/i);
    const [run] = await new RunRepository(store.db).list("sim");
    expect(run).toMatchObject({ status: "failed", error_code: connector?.error_code });
    expect(JSON.stringify(connector)).not.toContain("wrong-secret");
  });
});

function simThreatCount(sim: Simulator): number {
  let n = 0;
  for (let i = 0; i < sim.tenant.issues.size(); i += 1) if (sim.tenant.issues.get(i).type === "THREAT_DETECTION") n += 1;
  return n;
}
