import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { ApiTokenRepository } from "../../src/store/api-token.repository.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import type { Simulator } from "../../src/sim/index.js";
import { OutboxRepository } from "../../src/store/outbox.repository.js";
import { openSyncSession, syncOnce, type SyncSession } from "../../src/sync/sync-session.js";
import { readJsonl, silentLogger, simConfig, startTestSimulator, tempDir } from "./sync-fixtures.js";

const TOKEN = "webhook-token-for-tests-0123456789";
const DETECTION_FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/runtime/wiz-defend-detection-webhook-payload-reference.json", import.meta.url), "utf8")) as Record<string, unknown>;

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("the Wiz webhook receiver", () => {
  let sim: Simulator;
  let dir: string;
  let session: SyncSession;
  let server: MainJobServer;

  beforeEach(async () => {
    sim = await startTestSimulator();
    dir = tempDir("wizbridge-webhook-");
    const config = simConfig(sim, dir, { streams: { issues: { schedule: "once" } }, webhook: { auth: { type: "bearer", token: TOKEN } } });
    const secondConnector = { ...config.connectors[0], id: "shared-secret", webhook: { auth: { type: "header" as const, name: "X-Wiz-Secret", value: "s3cret-header-value" } } };
    config.connectors.push(secondConnector as (typeof config.connectors)[number]);
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
  });
  afterEach(async () => {
    await server.close();
    await session.close();
    await sim.close();
  });

  const outbox = async (connector = "sim"): Promise<WizEvent[]> => (await new OutboxRepository(session.store.db).readAfter(connector, 0, 10_000)).map((r) => JSON.parse(r.payload) as WizEvent);
  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, connector = "sim") =>
    server.http.app.inject({ method: "POST", url: `/webhooks/wiz/${connector}`, headers: { "content-type": "application/json", ...headers }, payload: typeof body === "string" ? body : JSON.stringify(body) });

  it("takes the simulator's automation-rule webhooks into the outbox with the pull's event id for the same version", async () => {
    const url = server.webhookUrl("sim");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/wiz\/sim$/);
    sim.webhooks.addTarget({ url: url ?? "", events: ["issue.updated", "detection.created"], authHeader: { name: "Authorization", value: `Bearer ${TOKEN}` } });
    const issue = sim.tenant.issues.get(3);
    sim.webhooks.issueEvent("issue.updated", issue);
    await sim.webhooks.flush();
    expect(sim.webhooks.deliveries().at(-1)).toMatchObject({ status: "delivered" });
    const [pushed] = await outbox();
    expect(pushed).toMatchObject({ source: "wiz", kind: "upsert", connector: "sim", stream: "issues", via: "webhook", record: { id: issue.id, status: issue.status, severity: issue.severity } });
    expect((pushed?.raw as { trigger: { source: string } }).trigger.source).toBe("ISSUES");

    // The pull reads the same version of that issue: same event id, so a deduplicating sink keeps one.
    await syncOnce(session, { connectors: ["sim"], streams: ["issues"], drainTimeoutMs: 30_000 });
    const delivered = readJsonl(`${dir}/events`);
    const copies = delivered.filter((e) => e.record.id === issue.id);
    expect(copies.length).toBe(2);
    expect(new Set(copies.map((e) => e.id)).size).toBe(1);
    expect(server.webhooks.accepted()).toEqual([[{ connector: "sim", stream: "issues" }, 1]]);
  });

  it("takes a Wiz Defend detection webhook (the public sample body) as a detections event", async () => {
    const response = await post(DETECTION_FIXTURE);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: true, stream: "detections", recordId: DETECTION_FIXTURE.id });
    const [event] = await outbox();
    expect(event).toMatchObject({ stream: "detections", record: { id: DETECTION_FIXTURE.id, severity: "MEDIUM", title: "Timestomping technique was detected" } });
    expect(event?.raw).toEqual(DETECTION_FIXTURE);
  });

  it("refuses requests without the connector's secret, with a reason, and keeps nothing from them", async () => {
    const body = { trigger: { source: "ISSUES", type: "Created" }, issue: { id: "abc", type: "TOXIC_COMBINATION", status: "OPEN", severity: "HIGH", updated: "2026-01-01T00:00:00.000000Z" } };
    expect((await post(body, {})).statusCode).toBe(401);
    const wrong = await post(body, { authorization: "Bearer not-the-token-at-all" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toMatch(/wrong bearer token.*connectors\[\]\.webhook\.auth/);
    expect(wrong.body).not.toContain(TOKEN);
    expect((await post(body, { "x-wiz-secret": "nope" }, "shared-secret")).statusCode).toBe(401);
    expect((await post(body, { "x-wiz-secret": "s3cret-header-value" }, "shared-secret")).statusCode).toBe(200);
    expect(await outbox()).toHaveLength(0);
    expect(await outbox("shared-secret")).toHaveLength(1);
  });

  it("answers bad bodies and unknown connectors with a 4xx that says what to fix, and keeps serving", async () => {
    const missingId = await post({ trigger: { source: "ISSUES" }, issue: { id: "" } });
    expect(missingId.statusCode).toBe(400);
    expect(missingId.json().message).toMatch(/^issue\.id: must be a non-empty string/);
    // A template that drops a field every issue has: refused (Wiz retries), nothing committed.
    const noStatus = await post({ trigger: { source: "ISSUES" }, issue: { id: "i1", type: "TOXIC_COMBINATION", status: "" } });
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.json().message).toMatch(/status.*webhook template/);
    const otherSource = await post({ trigger: { source: "AUDIT_LOGS" } });
    expect(otherSource.statusCode).toBe(400);
    expect(otherSource.json().message).toMatch(/trigger\.source must be "ISSUES" or "DETECTIONS"/);
    expect((await post("{not json")).statusCode).toBe(400);
    expect((await post([1, 2, 3])).statusCode).toBe(400);
    const huge = await post({ trigger: { source: "ISSUES" }, issue: { id: "x", padding: "y".repeat(2 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    const unknown = await post({}, {}, "nobody");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/sim, shared-secret/);
    expect(await outbox()).toHaveLength(0);
    const fine = await post({ trigger: { source: "ISSUES", type: "Resolved" }, issue: { id: "still-serving", type: "CLOUD_CONFIGURATION", status: "RESOLVED", updated: "2026-01-02T00:00:00.000000Z" } });
    expect(fine.statusCode).toBe(200);
    await until(async () => ((await outbox()).length === 1 ? true : undefined), "the good webhook is committed");
  });

  it("serves /metrics and /healthz", async () => {
    await post({ trigger: { source: "ISSUES" }, issue: { id: "m1", type: "THREAT_DETECTION", status: "OPEN", updated: "2026-01-02T00:00:00.000000Z" } });
    expect((await server.http.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const token = await new ApiTokenRepository(session.store.db).create("prometheus", "viewer");
    const metrics = await server.http.app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${token.secret}` } });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/wizbridge_connector_state\{connector="sim",state="registered"\} [01]/);
    expect(metrics.body).toMatch(/wizbridge_webhook_events_total\{connector="sim",stream="issues"\} 1/);
    expect(metrics.body).toMatch(/wizbridge_outbox_pending\{connector="sim",sink="events"\} \d+/);
    expect(metrics.body).toMatch(/wizbridge_connector_healthy\{connector="sim"\} 1/);
    expect((await server.http.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
  });
});
