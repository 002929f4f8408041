import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { noteMarker } from "../../src/runtime/enricher/issue-enricher.js";
import type { AlertStatus } from "../../src/runtime/fold/delivery.repository.js";
import { WizClient } from "../../src/wiz/index.js";
import { simClient } from "../../src/wiz/sim-client.test-fixtures.js";
import { ApiTokenRepository } from "../../src/store/api-token.repository.js";
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
  let viewer: Record<string, string>;
  let server: MainJobServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startRuntimeSimulator();
    dir = tempDir("wizbridge-main-job-");
    const config = simConfig(sim, dir, { streams: { threats: { schedule: "once" } } }, { runtime: { sources: { falco: { auth: { type: "bearer", token: INGEST_TOKEN } } }, batchWindowMs: 100 } });
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
    viewer = { authorization: `Bearer ${(await new ApiTokenRepository(session.store.db).create("test viewer", "viewer")).secret}` };
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

    // The Wiz note links back to this server's alert page, which answers with the alert's whole story.
    expect((await fetch(`${server.http.url}/api/runtime/alerts/${ids[0] ?? ""}`)).status).toBe(401);
    const page = await fetch(`${server.http.url}/api/runtime/alerts/${ids[0] ?? ""}`, { headers: viewer });
    expect(page.status).toBe(200);
    const status = (await page.json()) as AlertStatus;
    expect(status).toMatchObject({ id: ids[0], state: "linked", source: "falco" });
    const event = status.event;
    expect(event?.issue?.id).toBeTruthy();
    const issues = await new WizClient(simClient(sim)).issue.list({ filterBy: { relatedEntity: { id: [event?.resource.graphId ?? ""] }, type: ["THREAT_DETECTION"] }, first: 50 });
    const note = issues.nodes.find((i) => i.id === event?.issue?.id)?.notes?.find((n) => n.text.includes(noteMarker(event?.id ?? "")));
    const link = `${server.http.url}/api/runtime/alerts/${encodeURIComponent(event?.id ?? "")}`;
    expect(note?.text).toContain(`Link: ${link}`);
    expect((await fetch(link, { headers: viewer })).status).toBe(200);
    const unknown = await fetch(`${server.http.url}/api/runtime/alerts/no-such-alert`, { headers: viewer });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "not_found", fix: expect.stringContaining("wizbridge alerts list") });

    const unauthorised = await fetch(`${server.http.url}/ingest/falco`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unauthorised.status).toBe(401);

    await syncOnce(session, { connectors: ["sim"], streams: ["threats"], drainTimeoutMs: 30_000 });
    const threats = readJsonl(`${dir}/events`).filter((e: WizEvent) => e.stream === "threats");
    const onPod = threats.filter((e) => JSON.stringify(e.raw).includes(RUNTIME_RESOURCES.falcoK8sPod.id));
    expect(onPod.length, `threat issues delivered: ${threats.length}`).toBeGreaterThan(0);
  });
});
