import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import { CredentialRepository } from "../../src/store/credential.repository.js";
import { ManagedSinkRepository } from "../../src/store/managed-sink.repository.js";
import { SecretBox } from "../../src/store/secret-box.js";
import type { SyncConfig } from "../../src/sync/sync-config.js";
import { openSyncSession, type SyncSession } from "../../src/sync/sync-session.js";
import { connectionOf, silentLogger, simConfig, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";
import { until } from "../support/until.js";
import { roleBearers } from "./api-harness.js";

const TOKEN = "SENTINEL-sink-bearer-token-3b8e1f0c";
const HEADER_SECRET = "SENTINEL-sink-header-value-9d2a7c41";

/** A webhook receiver on a free port that keeps every request's headers and events. */
async function startReceiver(): Promise<{ server: Server; url: string; requests: Array<{ headers: IncomingHttpHeaders; events: Array<{ connector: string; stream: string }> }> }> {
  const requests: Array<{ headers: IncomingHttpHeaders; events: Array<{ connector: string; stream: string }> }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // json-array: one array per batch; ndjson: one event per line.
      const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean);
      const events = lines.flatMap((line) => [JSON.parse(line) as unknown].flat()) as Array<{ connector: string; stream: string }>;
      requests.push({ headers: req.headers, events });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wiz`, requests };
}

describe("the sinks API: create, read, test, health, replace and delete, with secrets sealed", () => {
  let sim: Simulator;
  let dir: string;
  let config: SyncConfig;
  let session: SyncSession;
  let server: MainJobServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let stop: AbortController;
  let running: Promise<void>;
  const bearer: Record<"viewer" | "operator" | "admin", { authorization: string }> = {} as never;
  const responses: string[] = [];

  const inject = async (method: "GET" | "POST" | "PUT" | "DELETE", url: string, headers: Record<string, string> = {}, payload?: unknown) => {
    const response = await server.http.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { "content-type": "application/json" }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
    responses.push(response.body);
    return response;
  };
  const siem = (extra: Record<string, unknown> = {}) => ({ id: "siem", type: "webhook", url: receiver.url, auth: { type: "bearer", token: TOKEN }, headers: { "X-Tenant-Key": HEADER_SECRET }, batch: { maxWaitMs: 0 }, ...extra });
  const received = (connector: string) => receiver.requests.flatMap((r) => r.events).filter((e) => e.connector === connector);

  async function start(): Promise<void> {
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0, env: {} });
    stop = new AbortController();
    running = session.engine.runScheduled(stop.signal);
  }
  async function shutdown(): Promise<void> {
    stop.abort();
    await running;
    await server.close();
    await session.close();
  }

  beforeAll(async () => {
    sim = await startTestSimulator();
    receiver = await startReceiver();
    dir = tempDir("wizbridge-sinks-api-");
    config = simConfig(sim, dir, { streams: { projects: { schedule: "once" } } });
    await start();
    Object.assign(bearer, await roleBearers(session.store.db));
  }, 120_000);
  afterAll(async () => {
    await shutdown();
    await sim.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });

  it("refuses without a token (401), with a lower role (403), and answers 404 for unknown ids", async () => {
    for (const [method, url, role] of [
      ["GET", "/api/sinks/events", "viewer"],
      ["GET", "/api/sinks/events/health", "viewer"],
      ["POST", "/api/sinks", "admin"],
      ["PUT", "/api/sinks/events", "admin"],
      ["DELETE", "/api/sinks/events", "admin"],
      ["POST", "/api/sinks/events/test", "operator"],
    ] as const) {
      const payload = method === "POST" || method === "PUT" ? {} : undefined;
      expect((await inject(method, url, {}, payload)).statusCode, `${method} ${url} without a token`).toBe(401);
      const lower = role === "admin" ? bearer.operator : role === "operator" ? bearer.viewer : undefined;
      if (lower) expect((await inject(method, url, lower, payload)).statusCode, `${method} ${url} with a lower role`).toBe(403);
    }
    for (const [method, url] of [
      ["GET", "/api/sinks/nope"],
      ["GET", "/api/sinks/nope/health"],
      ["PUT", "/api/sinks/nope"],
      ["DELETE", "/api/sinks/nope"],
      ["POST", "/api/sinks/nope/test"],
    ] as const) {
      const missing = await inject(method, url, bearer.admin, method === "PUT" ? { type: "jsonl", directory: "x" } : undefined);
      expect(missing.statusCode, `${method} ${url}`).toBe(404);
      expect(missing.json().message).toContain('No sink "nope". Known: events');
    }
  });

  it("a bad body is 400 naming the field, validated like the config file's sinks", async () => {
    const noUrl = await inject("POST", "/api/sinks", bearer.admin, { id: "x", type: "webhook" });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().message).toMatch(/^body\.url: is required/);
    const badType = await inject("POST", "/api/sinks", bearer.admin, { id: "x", type: "carrier-pigeon" });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().issues[0]).toMatchObject({ path: "body.type", message: expect.stringContaining("webhook") });
    const typo = await inject("POST", "/api/sinks", bearer.admin, { id: "x", type: "jsonl", directry: "x" });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().issues).toEqual(expect.arrayContaining([{ path: "body.directry", message: expect.stringContaining("is not a known key") }]));
    const noId = await inject("POST", "/api/sinks", bearer.admin, { type: "jsonl", directory: "x" });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().issues[0].path).toBe("body.id");
    const sameDirectory = await inject("POST", "/api/sinks", bearer.admin, { id: "copy", type: "jsonl", directory: "events" });
    expect(sameDirectory.statusCode).toBe(409);
    expect(sameDirectory.json().message).toContain('Sink "events" writes to');
    expect((await inject("POST", "/api/sinks", bearer.admin, { id: "events", type: "jsonl", directory: "other" })).statusCode).toBe(409);
    expect(await new ManagedSinkRepository(session.store.db).list()).toEqual([]);
  });

  it("create: 201 with secrets shown as set; a connector created through the API feeds it and the receiver gets its records with the secret", async () => {
    const created = await inject("POST", "/api/sinks", bearer.admin, siem());
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: "siem", source: "api", readOnly: false, type: "webhook", settings: { auth: { type: "bearer", token: { set: true } }, headers: { "X-Tenant-Key": { set: true } } }, health: "ok" });
    const connector = await inject("POST", "/api/connectors", bearer.admin, { id: "feeder", connection: connectionOf(sim), rateLimit: { requestsPerSecond: 0 }, sinks: ["siem"], streams: { projects: { schedule: "once" } } });
    expect(connector.statusCode).toBe(201);
    await until(() => received("feeder").length === sim.tenant.projects.size(), "the receiver got the connector's projects");
    expect(receiver.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}` && r.headers["x-tenant-key"] === HEADER_SECRET)).toBe(true);
    const one = await inject("GET", "/api/sinks/siem", bearer.viewer);
    expect(one.json()).toMatchObject({ connectors: ["feeder"], health: "ok", backlog: 0, delivery: [{ connector: "feeder", down: false, backlog: 0 }] });
    const list = await inject("GET", "/api/sinks", bearer.viewer);
    expect(list.json().sinks.map((s: { sink: string; source: string }) => [s.sink, s.source])).toEqual([
      ["events", "config"],
      ["siem", "api"],
    ]);
    const health = await inject("GET", "/api/sinks/siem/health", bearer.viewer);
    expect(health.json()).toMatchObject({ sink: "siem", health: "ok", backlog: 0 });
  });

  it("self-test writes one marked test event with the stored credentials", async () => {
    const before = receiver.requests.length;
    const test = await inject("POST", "/api/sinks/siem/test", bearer.operator);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ sink: "siem", ok: true });
    expect(receiver.requests.length).toBeGreaterThan(before);
    expect(receiver.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("after a restart the API sink is back with its secrets, and the API connector feeds it again", async () => {
    await shutdown();
    await start();
    const again = await inject("GET", "/api/sinks/siem", bearer.viewer);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ source: "api", connectors: ["feeder"], health: "ok" });
    const before = receiver.requests.length;
    expect((await inject("POST", "/api/sinks/siem/test", bearer.operator)).json().ok).toBe(true);
    expect(receiver.requests.slice(before).every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect((await inject("GET", "/api/connectors/feeder", bearer.viewer)).json()).toMatchObject({ source: "api", sinkTargets: [{ sink: "siem" }] });
  });

  it("replace keeps an omitted secret (and one sent back as {set: true}); config sinks are read-only; a fed sink cannot be deleted", async () => {
    const current = (await inject("GET", "/api/sinks/siem", bearer.viewer)).json();
    const { auth: _auth, ...withoutAuth } = siem();
    const replaced = await inject("PUT", "/api/sinks/siem", bearer.admin, { ...withoutAuth, auth: { type: "bearer" }, headers: current.settings.headers, format: "ndjson" });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().settings).toMatchObject({ format: "ndjson", auth: { token: { set: true } }, headers: { "X-Tenant-Key": { set: true } } });
    const test = await inject("POST", "/api/sinks/siem/test", bearer.operator);
    expect(test.json().ok).toBe(true);
    expect(receiver.requests.at(-1)?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, "x-tenant-key": HEADER_SECRET });
    expect((await inject("PUT", "/api/sinks/events", bearer.admin, { type: "jsonl", directory: "x" })).statusCode).toBe(409);
    expect((await inject("DELETE", "/api/sinks/events", bearer.admin)).json().message).toContain("config file");
    const fed = await inject("DELETE", "/api/sinks/siem", bearer.admin);
    expect(fed.statusCode).toBe(409);
    expect(fed.json().message).toContain("fed by feeder");
  });

  it("delete, once no connector feeds it, removes the sink and its stored credentials", async () => {
    expect((await inject("DELETE", "/api/connectors/feeder", bearer.admin)).statusCode).toBe(200);
    const deleted = await inject("DELETE", "/api/sinks/siem", bearer.admin);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: "siem", credentialsDeleted: 2 });
    expect(await new CredentialRepository(session.store.db, new SecretBox(SecretBox.generateKey())).fields("sink:siem")).toEqual([]);
    expect((await inject("GET", "/api/sinks/siem", bearer.viewer)).statusCode).toBe(404);
  });

  it("no secret appears in any answer nor in the store file in clear", async () => {
    for (const body of responses) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain(HEADER_SECRET);
    }
    const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith("wizbridge.db")).map((f) => readFileSync(join(dir, f))));
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from(HEADER_SECRET))).toBe(false);
  });
});
