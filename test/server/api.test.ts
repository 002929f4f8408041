import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import { ApiTokenRepository } from "../../src/store/api-token.repository.js";
import { RunRepository } from "../../src/store/run.repository.js";
import { openSyncSession, type SyncSession } from "../../src/sync/sync-session.js";
import { silentLogger, simConfig, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";
import { until } from "../support/until.js";
import { roleBearers } from "./api-harness.js";

describe("the HTTP API: tokens, roles and the connector routes", () => {
  let sim: Simulator;
  let session: SyncSession;
  let server: MainJobServer;
  let stop: AbortController;
  let running: Promise<void>;
  const bearer: Record<"viewer" | "operator" | "admin", { authorization: string }> = {} as never;

  beforeAll(async () => {
    sim = await startTestSimulator();
    const dir = tempDir("wizbridge-api-");
    // Streams that run once, so the scheduler then sleeps: "sync now" must wake it.
    const config = simConfig(sim, dir, { streams: { issues: { schedule: "once" }, projects: { schedule: "once" } } });
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
    Object.assign(bearer, await roleBearers(session.store.db));
    stop = new AbortController();
    running = session.engine.runScheduled(stop.signal);
  });
  afterAll(async () => {
    stop.abort();
    await running;
    await server.close();
    await session.close();
    await sim.close();
  });

  const inject = (method: "GET" | "POST", url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    server.http.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { "content-type": "application/json" }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });

  it("every /api route and /metrics need a token (401 says how to get one); /healthz and /readyz stay open", async () => {
    for (const [method, url] of [
      ["GET", "/api/connectors"],
      ["GET", "/api/connectors/sim"],
      ["POST", "/api/connectors/sim/sync"],
      ["GET", "/api/connectors/sim/dead-letters"],
      ["POST", "/api/connectors/sim/sinks/events/replay"],
      ["GET", "/api/sinks"],
      ["GET", "/metrics"],
    ] as const) {
      const response = await inject(method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.headers["www-authenticate"]).toContain("Bearer");
      expect(response.json().message).toMatch(/wizbridge token create/);
    }
    expect((await inject("GET", "/api/connectors", { authorization: "Bearer wzb_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })).statusCode).toBe(401);
    expect((await inject("GET", "/healthz")).json()).toEqual({ status: "ok" });
    expect((await inject("GET", "/readyz")).json()).toEqual({ status: "ready" });
  });

  it("roles: a viewer reads but cannot sync or replay (403 names the role needed); an operator can", async () => {
    const list = await inject("GET", "/api/connectors", bearer.viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().connectors[0]).toMatchObject({ id: "sim", source: "config", enabled: true, sinks: expect.any(Array) });
    const denied = await inject("POST", "/api/connectors/sim/sync", bearer.viewer, {});
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toContain("needs the operator role");
    expect((await inject("POST", "/api/connectors/sim/sinks/events/replay", bearer.viewer)).statusCode).toBe(403);
    expect((await inject("POST", "/api/connectors/sim/sinks/events/replay", bearer.operator)).json()).toEqual({ replayed: 0 });
    expect((await inject("GET", "/metrics", bearer.viewer)).statusCode).toBe(200);
  });

  it("unknown ids are 404 with the known ones; a bad body is 400 naming the field", async () => {
    const missing = await inject("GET", "/api/connectors/nope", bearer.viewer);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('No connector "nope". Known: sim');
    expect((await inject("POST", "/api/connectors/nope/sync", bearer.operator, {})).statusCode).toBe(404);
    expect((await inject("POST", "/api/connectors/sim/sinks/nope/replay", bearer.operator)).statusCode).toBe(404);
    const bad = await inject("POST", "/api/connectors/sim/sync", bearer.operator, { streams: ["issuez"], fulll: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^body\.(streams\.0: must be a stream name|fulll)|^body: .*fulll/);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["body.streams.0"]));
    const unsynced = await inject("POST", "/api/connectors/sim/sync", bearer.operator, { streams: ["threats"] });
    expect(unsynced.statusCode).toBe(400);
    expect(unsynced.json().message).toContain("does not sync threats");
  });

  it("sync now wakes the connector's scheduler and runs the requested stream, between scheduled runs", async () => {
    const runs = new RunRepository(session.store.db);
    await until(async () => (await runs.list("sim", 10)).some((r) => r.status === "succeeded"), "the scheduled once-run finished");
    const before = (await runs.list("sim", 50)).length;
    const accepted = await inject("POST", "/api/connectors/sim/sync", bearer.operator, { streams: ["projects"] });
    expect(accepted.statusCode).toBe(202);
    await until(async () => (await runs.list("sim", 50)).length > before && (await runs.list("sim", 1))[0]?.status === "succeeded", "the manual run finished");
    const [latest] = await runs.list("sim", 1);
    expect(latest?.trigger).toBe("manual");
    expect((await runs.streams(latest?.id ?? 0)).map((s) => s.stream)).toEqual(["projects"]);
    const detail = await inject("GET", "/api/connectors/sim", bearer.viewer);
    expect(detail.json()).toMatchObject({ id: "sim", readOnly: true, sinkTargets: [{ sink: "events", target: expect.stringContaining("JSON Lines") }] });
    const sinks = await inject("GET", "/api/sinks", bearer.viewer);
    expect(sinks.json().sinks[0]).toMatchObject({ sink: "events", type: "jsonl", connectors: [{ connector: "sim", state: "closed", down: false }] });
  });

  it("a revoked token stops working; repeated failures from one address are slowed down with 429", async () => {
    const tokens = new ApiTokenRepository(session.store.db);
    const temp = await tokens.create("temporary", "viewer");
    expect((await inject("GET", "/api/sinks", { authorization: `Bearer ${temp.secret}` })).statusCode).toBe(200);
    await tokens.revoke(temp.id);
    expect((await inject("GET", "/api/sinks", { authorization: `Bearer ${temp.secret}` })).statusCode).toBe(401);
    let last = 0;
    for (let i = 0; i < 25; i += 1) last = (await inject("GET", "/api/sinks", { authorization: "Bearer guess" })).statusCode;
    expect(last).toBe(429);
  });
});
