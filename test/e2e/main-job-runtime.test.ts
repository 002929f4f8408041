import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import type { Simulator } from "../../src/sim/index.js";
import { openSyncSession, syncOnce, type SyncSession } from "../../src/sync/sync-session.js";
import { INGEST_TOKEN, runtimeFixture, startRuntimeSimulator, waitForStates } from "../support/runtime-harness.js";
import { RUNTIME_RESOURCES } from "../support/runtime-tenant.js";
import { readJsonl, silentLogger, simConfig, tempDir } from "../sync/sync-fixtures.js";

/**
 * The main job's two halves in one process, as `wizbridge start` runs them: a sensor alert pushed to
 * /ingest lands in Wiz as a THREAT_DETECTION issue on the right resource, and the pull brings that issue
 * back to the sinks.
 */
describe("the main job: push and pull on one tenant", () => {
  let sim: Simulator;
  let session: SyncSession;
  let server: MainJobServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startRuntimeSimulator();
    dir = tempDir("wizbridge-main-job-");
    const config = simConfig(sim, dir, { streams: { threats: { schedule: "once" } } }, { runtime: { sources: { falco: { auth: { type: "bearer", token: INGEST_TOKEN } } }, batchWindowMs: 100 } });
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await session.close();
    await sim.close();
  });

  it("a Falco alert posted to /ingest/falco becomes a Wiz threat on its pod, which the pull then delivers", async () => {
    const response = await fetch(`${server.http.url}/ingest/falco`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify(runtimeFixture("falco-json-output-read-sensitive-file-k8s.json")),
    });
    expect(response.status).toBe(202);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(1);
    const states = await waitForStates(session.store, ids, ["linked"]);
    expect(states.get(ids[0] ?? "")?.state, JSON.stringify([...states])).toBe("linked");

    const unauthorised = await fetch(`${server.http.url}/ingest/falco`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unauthorised.status).toBe(401);

    await syncOnce(session, { connectors: ["sim"], streams: ["threats"], drainTimeoutMs: 30_000 });
    const threats = readJsonl(`${dir}/events`).filter((e: WizEvent) => e.stream === "threats");
    const onPod = threats.filter((e) => JSON.stringify(e.raw).includes(RUNTIME_RESOURCES.falcoK8sPod.id));
    expect(onPod.length, `threat issues delivered: ${threats.length}`).toBeGreaterThan(0);
  });
});
