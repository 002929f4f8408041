import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { ALL_SCOPES } from "../../src/sim/oauth/service-accounts.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import { CredentialRepository } from "../../src/store/credential.repository.js";
import { ManagedConnectorRepository } from "../../src/store/managed-connector.repository.js";
import { RunRepository } from "../../src/store/run.repository.js";
import { SecretBox } from "../../src/store/secret-box.js";
import { StreamStateRepository } from "../../src/store/stream-state.repository.js";
import type { SyncConfig } from "../../src/sync/sync-config.js";
import { openSyncSession, type SyncSession } from "../../src/sync/sync-session.js";
import { connectorStatuses } from "../../src/sync/connector-status.js";
import { readJsonl, simConfig, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";
import { until } from "../support/until.js";
import { roleBearers } from "./api-harness.js";

const SENTINEL = "SENTINEL-api-connector-secret-6f1d2c9b8a7e";

/** Every byte of the store (the database file and its write-ahead log). */
function storeBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith("wizbridge.db")).map((f) => readFileSync(join(dir, f))));
}

describe("the connectors API: create, test, replace, enable/disable, run history, restart and disconnect", () => {
  let sim: Simulator;
  let dir: string;
  let config: SyncConfig;
  let session: SyncSession;
  let server: MainJobServer;
  let stop: AbortController;
  let running: Promise<void>;
  const bearer: Record<"viewer" | "operator" | "admin", { authorization: string }> = {} as never;
  const responses: string[] = [];
  // Every log line at debug level, to prove the secret never reaches the logs.
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString("utf8")), done()) }));

  async function start(masterKey?: SecretBox): Promise<void> {
    session = await openSyncSession(config, logger);
    server = await startMainJobServer({ config, session, logger, host: "127.0.0.1", port: 0, env: {}, ...(masterKey ? { masterKey } : {}) });
    stop = new AbortController();
    running = session.engine.runScheduled(stop.signal);
  }
  async function shutdown(): Promise<void> {
    stop.abort();
    await running;
    await server.close();
    await session.close();
  }

  const inject = async (method: "GET" | "POST" | "PUT" | "DELETE", url: string, headers: Record<string, string> = {}, payload?: unknown) => {
    const response = await server.http.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { "content-type": "application/json" }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
    responses.push(response.body);
    return response;
  };

  const apiAccount = () => {
    const account = sim.serviceAccounts.find((a) => a.name === "api");
    if (!account) throw new Error("no api account");
    return account;
  };
  const entry = (extra: Record<string, unknown> = {}) => ({
    id: "api1",
    connection: { clientId: apiAccount().clientId, clientSecret: SENTINEL, endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true },
    rateLimit: { requestsPerSecond: 0, maxConcurrency: 4 },
    sinks: ["events"],
    streams: { issues: { schedule: "once" }, projects: { schedule: "once" } },
    ...extra,
  });
  const apiEvents = () => readJsonl(join(dir, "events")).filter((e) => e.connector === "api1");

  beforeAll(async () => {
    sim = await startTestSimulator({ serviceAccounts: [{ name: "config", scopes: ALL_SCOPES }, { name: "api", scopes: ALL_SCOPES, clientSecret: SENTINEL }] });
    dir = tempDir("wizbridge-connectors-api-");
    config = simConfig(sim, dir, { streams: { projects: { schedule: "once" } } });
    await start();
    Object.assign(bearer, await roleBearers(session.store.db));
  }, 120_000);
  afterAll(async () => {
    await shutdown();
    await sim.close();
  });

  it("refuses without a token (401), with a lower role (403) and answers 404 for unknown ids", async () => {
    const routes = [
      ["POST", "/api/connectors", "admin"],
      ["PUT", "/api/connectors/sim", "admin"],
      ["DELETE", "/api/connectors/sim", "admin"],
      ["POST", "/api/connectors/sim/enable", "admin"],
      ["POST", "/api/connectors/sim/disable", "admin"],
      ["POST", "/api/connectors/test", "operator"],
      ["POST", "/api/connectors/sim/test", "operator"],
      ["GET", "/api/connectors/sim/runs", "viewer"],
    ] as const;
    for (const [method, url, role] of routes) {
      expect((await inject(method, url, {}, method === "GET" ? undefined : {})).statusCode, `${method} ${url} without a token`).toBe(401);
      const lower = role === "admin" ? bearer.operator : role === "operator" ? bearer.viewer : undefined;
      if (lower) {
        const denied = await inject(method, url, lower, method === "GET" ? undefined : {});
        expect(denied.statusCode, `${method} ${url} with a lower role`).toBe(403);
        expect(denied.json().message).toContain(`needs the ${role} role`);
      }
    }
    for (const [method, url] of [
      ["GET", "/api/connectors/nope/runs"],
      ["PUT", "/api/connectors/nope"],
      ["DELETE", "/api/connectors/nope"],
      ["POST", "/api/connectors/nope/enable"],
      ["POST", "/api/connectors/nope/test"],
    ] as const) {
      const missing = await inject(method, url, bearer.admin, method === "PUT" ? {} : undefined);
      expect(missing.statusCode, `${method} ${url}`).toBe(404);
      expect(missing.json().message).toContain('No connector "nope". Known: sim');
    }
  });

  it("a bad body is 400 naming the field, validated like the config file's connector entry", async () => {
    const unknownStream = await inject("POST", "/api/connectors", bearer.admin, entry({ streams: { issuez: true } }));
    expect(unknownStream.statusCode).toBe(400);
    expect(unknownStream.json().message).toMatch(/^body\.streams/);
    const noClient = await inject("POST", "/api/connectors", bearer.admin, entry({ connection: { clientSecret: SENTINEL, endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, allowNonWizHosts: true } }));
    expect(noClient.statusCode).toBe(400);
    expect(noClient.json().message).toMatch(/^body\.connection/);
    expect(noClient.json().message).toContain("clientId");
    const noSink = await inject("POST", "/api/connectors", bearer.admin, entry({ sinks: ["nowhere"] }));
    expect(noSink.statusCode).toBe(400);
    expect(noSink.json().issues[0]).toMatchObject({ path: "body.sinks[0]", message: expect.stringContaining('no sink named "nowhere"') });
    const badSchedule = await inject("POST", "/api/connectors", bearer.admin, entry({ streams: { issues: { schedule: "sometimes" } } }));
    expect(badSchedule.statusCode).toBe(400);
    expect(badSchedule.json().issues[0].path).toBe("body.streams.issues.schedule");
    const taken = await inject("POST", "/api/connectors", bearer.admin, entry({ id: "sim" }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toContain("in the config file");
    expect(await new ManagedConnectorRepository(session.store.db).list()).toEqual([]);
  });

  it("create: 201, stored without the secret, scheduled, and its records reach the sink", async () => {
    const created = await inject("POST", "/api/connectors", bearer.admin, entry());
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: "api1", source: "api", readOnly: false, enabled: true, definition: { connection: { clientSecret: { set: true } } } });
    await until(() => apiEvents().filter((e) => e.stream === "projects").length === sim.tenant.projects.size() && apiEvents().filter((e) => e.stream === "issues").length === sim.tenant.issues.size(), "the API connector's records reached the sink");
    const list = await inject("GET", "/api/connectors", bearer.viewer);
    expect(list.json().connectors.map((c: { id: string; source: string }) => [c.id, c.source])).toEqual([
      ["api1", "api"],
      ["sim", "config"],
    ]);
    // `status` and /metrics read the store: the API connector is there like a config one.
    expect((await connectorStatuses(session.store.db)).map((c) => c.id)).toContain("api1");
    expect((await inject("GET", "/metrics", bearer.viewer)).body).toContain('wizbridge_connector_healthy{connector="api1"} 1');
    const paths = Object.keys((await inject("GET", "/api/openapi.json", bearer.viewer)).json().paths);
    expect(paths).toEqual(expect.arrayContaining(["/api/connectors/{id}/runs", "/api/connectors/{id}/enable", "/api/connectors/test", "/api/connectors/{id}/test"]));
    const again = await inject("POST", "/api/connectors", bearer.admin, entry());
    expect(again.statusCode).toBe(409);
    const stored = await new ManagedConnectorRepository(session.store.db).get("api1");
    expect(JSON.stringify(stored?.definition)).not.toContain(SENTINEL);
  });

  it("test connection: the five checks for a saved connector, and for one not saved yet (with the fix when it fails)", async () => {
    const saved = await inject("POST", "/api/connectors/api1/test", bearer.operator);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().ok).toBe(true);
    expect(saved.json().checks.map((c: { check: string }) => c.check)).toEqual(expect.arrayContaining(["network", "tls", "authentication", "authorization", "data"]));
    expect(saved.json().checks.filter((c: { check: string }) => c.check === "data").map((c: { subject: string }) => c.subject)).toEqual(["issues", "projects"]);
    const wrong = await inject("POST", "/api/connectors/test", bearer.operator, { connection: { ...entry().connection, clientSecret: "not-the-secret-at-all" }, streams: ["issues"], rateLimit: { requestsPerSecond: 0 } });
    expect(wrong.statusCode).toBe(200);
    const auth = wrong.json().checks.find((c: { check: string }) => c.check === "authentication");
    expect(wrong.json().ok).toBe(false);
    expect(auth).toMatchObject({ status: "fail", fix: expect.any(String) });
    const bad = await inject("POST", "/api/connectors/test", bearer.operator, { streams: ["issues"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^body\.connection/);
  });

  it("run history: newest first with per-stream counts; limit is validated", async () => {
    const runs = await inject("GET", "/api/connectors/api1/runs?limit=5", bearer.viewer);
    expect(runs.statusCode).toBe(200);
    const [latest] = runs.json().runs;
    expect(latest).toMatchObject({ status: "succeeded", trigger: "schedule" });
    expect(latest.streams.find((s: { stream: string }) => s.stream === "projects")).toMatchObject({ status: "succeeded", records: sim.tenant.projects.size() });
    const bad = await inject("GET", "/api/connectors/api1/runs?limit=0", bearer.viewer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^query\.limit/);
  });

  it("replace keeps an omitted secret; config connectors are read-only; disable stops it and enable brings it back", async () => {
    const readOnly = await inject("PUT", "/api/connectors/sim", bearer.admin, entry({ id: "sim" }));
    expect(readOnly.statusCode).toBe(409);
    expect(readOnly.json().message).toContain("config file");
    expect((await inject("POST", "/api/connectors/sim/disable", bearer.admin)).statusCode).toBe(409);
    const { clientSecret: _omitted, ...connection } = entry().connection;
    const replaced = await inject("PUT", "/api/connectors/api1", bearer.admin, entry({ connection, streams: { issues: { schedule: "once" }, projects: { schedule: "once", pageSize: 5 } } }));
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ definition: { connection: { clientSecret: { set: true } } }, streamSettings: [{ stream: "issues" }, { stream: "projects", pageSize: 5 }] });
    // It restarted with the kept secret: a manual run authenticates and succeeds.
    const runs = new RunRepository(session.store.db);
    const before = (await runs.list("api1", 100)).length;
    expect((await inject("POST", "/api/connectors/api1/sync", bearer.operator, {})).statusCode).toBe(202);
    await until(async () => (await runs.list("api1", 100)).length > before && (await runs.list("api1", 1))[0]?.status === "succeeded", "the run after the replace succeeded");

    const disabled = await inject("POST", "/api/connectors/api1/disable", bearer.admin);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ enabled: false, state: "disabled" });
    expect((await inject("POST", "/api/connectors/api1/sync", bearer.operator, {})).statusCode).toBe(409);
    const enabled = await inject("POST", "/api/connectors/api1/enable", bearer.admin);
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().enabled).toBe(true);
    expect((await inject("POST", "/api/connectors/api1/sync", bearer.operator, {})).statusCode).toBe(202);
  });

  it("after a restart the API connector is back and resumes from its cursor (nothing exported twice)", async () => {
    await until(async () => (await new RunRepository(session.store.db).list("api1", 1))[0]?.status !== "running", "the manual run ended");
    const exported = apiEvents().length;
    const cursor = (await new StreamStateRepository(session.store.db).states("api1")).find((s) => s.stream === "issues");
    expect(cursor?.cursor_us).toEqual(expect.any(Number));
    const runsBefore = (await new RunRepository(session.store.db).list("api1", 1000)).length;
    await shutdown();
    await start();
    const detail = await inject("GET", "/api/connectors/api1", bearer.viewer);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ source: "api", enabled: true, definition: { connection: { clientSecret: { set: true } } } });
    const runs = new RunRepository(session.store.db);
    await until(async () => (await runs.list("api1", 1000)).length > runsBefore && (await runs.list("api1", 1))[0]?.status === "succeeded", "the first scheduled run after the restart");
    const [resumed] = await runs.list("api1", 1);
    expect((await runs.streams(resumed?.id ?? 0)).find((s) => s.stream === "issues")?.emitted).toBe(0);
    expect(apiEvents().length).toBe(exported);
  });

  it("a stored connector whose secret does not open shows Failed with the master-key fix; the others run; PUT with the secret heals it", async () => {
    await shutdown();
    await start(new SecretBox(SecretBox.generateKey(), { source: "a test key" }));
    const detail = await inject("GET", "/api/connectors/api1", bearer.viewer);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ state: "failed", healthy: false, startError: { message: expect.stringContaining("master key") } });
    expect(detail.json().error.fix).toMatch(/master key/);
    expect((await inject("GET", "/api/connectors/sim", bearer.viewer)).json().state).not.toBe("failed");
    const test = await inject("POST", "/api/connectors/api1/test", bearer.operator);
    expect(test.statusCode).toBe(503);
    const healed = await inject("PUT", "/api/connectors/api1", bearer.admin, entry());
    expect(healed.statusCode).toBe(200);
    expect(healed.json().startError).toBeUndefined();
    await until(async () => (await inject("GET", "/api/connectors/api1", bearer.viewer)).json().state !== "failed", "the healed connector ran");
  });

  it("disconnect stops it, deletes its credentials, cursors and outbox, and says how to revoke the account in Wiz", async () => {
    expect((await inject("DELETE", "/api/connectors/sim", bearer.admin)).statusCode).toBe(409);
    const gone = await inject("DELETE", "/api/connectors/api1", bearer.admin);
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toMatchObject({ disconnected: "api1", clientId: apiAccount().clientId, credentialsDeleted: 1 });
    expect(gone.json().revoke).toContain("Settings > Service Accounts");
    const credentials = new CredentialRepository(session.store.db, new SecretBox(SecretBox.generateKey()));
    expect(await credentials.fields("connector:api1")).toEqual([]);
    expect(await new StreamStateRepository(session.store.db).states("api1")).toEqual([]);
    expect(await new ManagedConnectorRepository(session.store.db).get("api1")).toBeUndefined();
    expect((await inject("GET", "/api/connectors/api1", bearer.viewer)).statusCode).toBe(404);
    expect((await inject("GET", "/api/connectors", bearer.viewer)).json().connectors.map((c: { id: string }) => c.id)).toEqual(["sim"]);
  });

  it("the secret never appears in any answer, in /metrics, in a log line, nor in the store file in clear", async () => {
    responses.push((await inject("GET", "/metrics", bearer.viewer)).body);
    for (const body of responses) expect(body).not.toContain(SENTINEL);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(SENTINEL);
    expect(storeBytes(dir).includes(Buffer.from(SENTINEL))).toBe(false);
  });
});
