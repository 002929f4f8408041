import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { DeadLetterRepository } from "../../src/store/dead-letter.repository.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { TransformMapRepository } from "../../src/store/transform-map.repository.js";
import { ConfigError } from "../../src/sync/config-error.js";
import { NORMALISER_DEAD_LETTER_SINK } from "../../src/store/page-writer.js";
import { pageRecordOf, upsertEventsOf } from "../../src/sync/page-events.js";
import { SyncEngine } from "../../src/sync/sync-engine.js";
import { resolveOutputProfile } from "../../src/transform/output-profile.js";
import { readJsonl, silentLogger, simConfig, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";
import { ocsfProblems } from "./ocsf-schema-checker.js";

describe("output profiles in the pull engine", () => {
  let sim: Simulator;
  let store: Store;
  let dir: string;

  beforeEach(async () => {
    sim = await startTestSimulator();
    dir = tempDir("wizbridge-profiles-");
    store = await openStore(join(dir, "wizbridge.db"));
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
  });

  async function syncOnce(connector: Record<string, unknown>) {
    const engine = new SyncEngine({ config: simConfig(sim, dir, connector), store, logger: silentLogger, now: () => sim.clock.now(), idlePollMs: 20 });
    try {
      const summaries = await engine.runOnce();
      expect(await engine.drain(30_000)).toBe(0);
      return summaries;
    } finally {
      await engine.close();
    }
  }

  it("ocsf with the four-tier ladder: every finding event is conformant OCSF, the envelope keeps raw and says the profile", async () => {
    const [summary] = await syncOnce({ streams: { vulnerabilityFindings: true, issues: true, cloudResources: true, projects: true }, output: { profile: "ocsf", severityLadder: "four-tier" } });
    expect(summary?.status).toBe("succeeded");
    const events = readJsonl(join(dir, "events"));
    expect(events.length).toBeGreaterThan(1000);
    for (const e of events) {
      expect(e.raw).toMatchObject({ id: expect.any(String) });
      if (e.stream === "projects") {
        // OCSF has no class for projects here: they go out canonical, and the envelope says so.
        expect(e.profile).toBe("canonical");
        continue;
      }
      expect(e.profile).toBe("ocsf");
      expect(ocsfProblems(e.record)).toEqual([]);
      expect(JSON.parse(String(e.record.raw_data))).toEqual(e.raw);
    }
    const classes = new Set(events.filter((e) => e.profile === "ocsf").map((e) => e.record.class_uid));
    expect([...classes].sort()).toEqual([2002, 2003, 2004, 5023]);
  }, 120_000);

  it("a user map from the store shapes events; records of other kinds go out canonical", async () => {
    const definition = { name: "my-vulns", recordTypes: ["vulnerabilityFinding"], fields: { cve: { from: "cve.id" }, sev: { from: "severityLevel" }, status: { from: "status", values: { OPEN: "Active", RESOLVED: "Fixed", IGNORED: "Ignored" } } } };
    await new TransformMapRepository(store.db).save("my-vulns", JSON.stringify(definition), 0);
    const [summary] = await syncOnce({ streams: { vulnerabilityFindings: true, projects: true }, output: { profile: "map:my-vulns", severityLadder: { levels: { INFORMATIONAL: "P5", LOW: "P4", MEDIUM: "P3", HIGH: "P2", CRITICAL: "P1" } } } });
    expect(summary?.status).toBe("succeeded");
    const events = readJsonl(join(dir, "events"));
    const findings = events.filter((e) => e.stream === "vulnerabilityFindings");
    expect(findings.length).toBe(sim.tenant.vulnerabilityFindings.size());
    for (const e of findings) {
      expect(e.profile).toBe("map:my-vulns");
      expect(Object.keys(e.record).sort()).toEqual(["cve", "sev", "status"]);
      expect(["Active", "Fixed", "Ignored"]).toContain(e.record.status);
      expect(["P1", "P2", "P3", "P4", "P5", null]).toContain(e.record.sev);
    }
    expect(events.filter((e) => e.stream === "projects").every((e) => e.profile === "canonical")).toBe(true);
  }, 120_000);

  it("a connector naming a map nobody saved fails its run with an error that says what to do", async () => {
    const [summary] = await syncOnce({ streams: { projects: true }, output: { profile: "map:nope" } });
    expect(summary?.status).toBe("failed");
    expect(summary?.error?.message).toMatch(/no transform map named nope.*wizbridge map save/);
  });

  it("a map expression that runs past its budget on a real record dead-letters that record; the sync goes on", async () => {
    // Cheap on the sample record the validator tries, pathological (seconds) on everything else. The budget
    // leaves room for a slow shared machine: the sample run must pass it, the others must not.
    const slow = "record.id = '5f0c3c1e-0000-4000-8000-000000000003' ? 1 : $count($map([1..3000000], function($v) { $v }))";
    const definition = { name: "slow", recordTypes: ["vulnerabilityFinding"], expressionBudgetMs: 50, fields: { cve: { from: "cve.id" }, n: { expr: slow, type: "number" } } };
    await new TransformMapRepository(store.db).save("slow", JSON.stringify(definition), 0);
    const [summary] = await syncOnce({ concurrency: 1, streams: { vulnerabilityFindings: { pageSize: 20, budget: { pages: 1 } }, projects: true }, output: { profile: "map:slow" } });
    expect(summary?.streams, JSON.stringify(summary)).toContainEqual(expect.objectContaining({ stream: "vulnerabilityFindings", status: "budget" }));
    const dead = await new DeadLetterRepository(store.db).list({ sinkId: NORMALISER_DEAD_LETTER_SINK });
    const findings = summary?.streams.find((s) => s.stream === "vulnerabilityFindings");
    expect(findings?.records).toBeGreaterThan(0);
    expect(dead).toHaveLength(findings?.records ?? -1);
    expect(dead[0]?.reason).toMatch(/transform map map:slow could not map this record: the expression ran past its 50 ms budget twice/);
    expect(readJsonl(join(dir, "events")).filter((e) => e.stream === "projects")).toHaveLength(sim.tenant.projects.size());
  }, 120_000);

  it("config errors name the key", () => {
    expect(() => simConfig(sim, dir, { output: { profile: "splunk" } })).toThrow(ConfigError);
    try {
      simConfig(sim, dir, { output: { profile: "splunk", severityLadder: { levels: { LOW: "x" } } } });
    } catch (error) {
      expect(String(error)).toContain("connectors[0].output.profile");
      expect(String(error)).toContain("connectors[0].output.severityLadder");
    }
  });

  it("a record missing a required field goes to the dead-letter table with the reason, in the page's transaction", async () => {
    const profile = await resolveOutputProfile({ profile: "ecs" }, { loadUserMap: async () => undefined });
    const good = sim.tenant.vulnerabilityFindings.get(0);
    const bad = JSON.parse(JSON.stringify(sim.tenant.vulnerabilityFindings.get(1))) as Record<string, unknown>;
    delete bad.name;
    const records = [good, bad].map((raw) => pageRecordOf("vulnerabilityFindings", "updatedAt", raw));
    const built = await upsertEventsOf({ connectorId: "c1", stream: "vulnerabilityFindings", portalOrigin: "https://app.wiz.io", observedAt: "2026-01-01T00:00:00.000Z", profile }, records);
    expect(built.events).toHaveLength(1);
    expect(built.events[0]).toMatchObject({ profile: "ecs", record: { event: { kind: "alert", category: ["vulnerability"] }, vulnerability: { id: good.name } } });
    expect(built.rejected).toHaveLength(1);
    await store.pages.commit(
      {
        connectorId: "c1",
        stream: "vulnerabilityFindings",
        events: built.events.map((e) => ({ connectorId: "c1", stream: "vulnerabilityFindings", eventId: e.id, payload: JSON.stringify(e) })),
        rejected: built.rejected.map((r) => ({ eventId: r.record.eventId, payload: JSON.stringify(r.record.raw), reason: r.reason })),
        keys: [],
        checkpoint: { connectorId: "c1", stream: "vulnerabilityFindings", sliceId: 0, endCursor: null, highWaterUs: null, pages: 1, records: 2, totalEstimate: null, done: true },
      },
      0,
    );
    const dead = await new DeadLetterRepository(store.db).list({ connectorId: "c1" });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ sinkId: NORMALISER_DEAD_LETTER_SINK, stream: "vulnerabilityFindings", eventId: records[1]?.eventId });
    expect(dead[0]?.reason).toMatch(/has no name, which every vulnerabilityFinding must have/);
    expect(JSON.parse(dead[0]?.payload ?? "{}")).toEqual(bad);
    expect(await new OutboxRepository(store.db).count()).toBe(1);
  });
});
