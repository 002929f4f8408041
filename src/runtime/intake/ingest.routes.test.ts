import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runtimeAlertSchema } from "../../model/runtime-alert.js";
import { openStore, type Store } from "../../store/store-database.js";
import { parseRuntimeConfig } from "../runtime-config.js";
import { hmacSignature } from "./ingest-auth.js";
import { registerIngestRoutes } from "./ingest.routes.js";
import { RuntimeIntake } from "./runtime-intake.service.js";

const TOKEN = "falco-token-0123456789abcdef";
const SECRET = "waf-hmac-secret-0123456789";
const fixtureText = (name: string): string => readFileSync(new URL(`../../../test/fixtures/runtime/${name}`, import.meta.url), "utf8");
const falco = JSON.parse(fixtureText("falco-json-output-read-sensitive-file-k8s.json")) as Record<string, unknown>;
const bearer = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

let store: Store;
let app: FastifyInstance;
let intake: RuntimeIntake;

async function storedIds(): Promise<string[]> {
  const rows = await store.db.selectFrom("runtime_alerts").select(["id", "alert_json", "state"]).orderBy("id").execute();
  for (const r of rows) {
    expect(r.state).toBe("received");
    expect(runtimeAlertSchema.safeParse(JSON.parse(r.alert_json)).success).toBe(true);
  }
  return rows.map((r) => r.id);
}

beforeEach(async () => {
  store = await openStore(":memory:");
  intake = new RuntimeIntake({ alerts: store.runtimeAlerts });
  app = Fastify();
  const config = parseRuntimeConfig({
    sources: {
      falco: { auth: { type: "bearer", token: TOKEN } },
      falcosidekick: { auth: { type: "bearer", token: TOKEN } },
      "aws-waf": { auth: { type: "hmac", secret: SECRET } },
      generic: { auth: { type: "none" } },
      tracee: { enabled: false, auth: { type: "none" } },
    },
    intake: { bodyLimitBytes: 1024 * 1024, maxRecordsPerRequest: 1000, maxDepth: 32 },
  });
  await registerIngestRoutes(app, { intake, config });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await intake.close();
  await store.close();
});

describe("POST /ingest/:source", () => {
  it("accepts one Falco alert, stores it before answering 202 with its id", async () => {
    const res = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify(falco) });
    expect(res.statusCode).toBe(202);
    const body = res.json<{ accepted: number; ids: string[] }>();
    expect(body.accepted).toBe(1);
    expect(await storedIds()).toEqual(body.ids);
    const row = await store.db.selectFrom("runtime_alerts").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: "falco", rule_id: "Read sensitive file untrusted", severity: "MEDIUM", state: "received" });
  });

  it("accepts PUT as falcosidekick may be configured to send", async () => {
    const res = await app.inject({ method: "PUT", url: "/ingest/falcosidekick", headers: bearer, payload: JSON.stringify(falco) });
    expect(res.statusCode).toBe(202);
  });

  it("accepts a JSON array and NDJSON; a bad record is reported by index and field, the others stored (207)", async () => {
    const bad = { ...falco, priority: "Loud" };
    const arr = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify([falco, bad, falco]) });
    expect(arr.statusCode).toBe(207);
    const a = arr.json<{ accepted: number; rejected: number; ids: string[]; errors: Array<{ index: number; field: string; error: string }> }>();
    expect(a).toMatchObject({ accepted: 2, rejected: 1 });
    expect(a.errors).toEqual([expect.objectContaining({ index: 1, field: "priority" })]);
    expect(a.errors[0]?.error).toContain("Loud");

    const ndjson = [JSON.stringify(falco), "{not json", JSON.stringify({ ...falco, time: 12 }), JSON.stringify(falco)].join("\n");
    const nd = await app.inject({ method: "POST", url: "/ingest/falco", headers: { ...bearer, "content-type": "application/x-ndjson" }, payload: ndjson });
    expect(nd.statusCode).toBe(207);
    const n = nd.json<{ accepted: number; errors: Array<{ index: number; field: string }> }>();
    expect(n.accepted).toBe(2);
    expect(n.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "$"],
      [2, "time"],
    ]);
    expect((await storedIds()).sort()).toEqual([...a.ids, ...nd.json<{ ids: string[] }>().ids].sort());
  });

  it("a single bad record: 422 naming the field, nothing stored", async () => {
    const res = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify({ ...falco, rule: 42 }) });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: Array<{ field: string }>; message: string; fix: string }>()).toMatchObject({ errors: [{ field: "rule" }] });
    expect(res.json<{ message: string }>().message).toContain("field rule");
    expect(await storedIds()).toEqual([]);
  });

  it("malformed JSON, wrong body types, empty bodies, unsupported media types: clear 4xx", async () => {
    const malformed = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: '{"rule": "x",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ error: string; message: string }>()).toMatchObject({ error: "malformed_body" });
    expect(malformed.json<{ message: string }>().message).toContain("not valid JSON");
    expect((await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: "42" })).statusCode).toBe(400);
    expect((await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: "" })).statusCode).toBe(400);
    const wrongArray = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: "[1, null]" });
    expect(wrongArray.statusCode).toBe(422);
    const xml = await app.inject({ method: "POST", url: "/ingest/falco", headers: { ...bearer, "content-type": "application/xml" }, payload: "<a/>" });
    expect(xml.statusCode).toBe(415);
    expect(await storedIds()).toEqual([]);
  });

  it("unknown source: 404 listing the known ones; a known but disabled source: 404 saying how to enable it", async () => {
    const res = await app.inject({ method: "POST", url: "/ingest/splunk", headers: bearer, payload: "{}" });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ knownSources: string[] }>().knownSources).toContain("falco");
    expect(res.json<{ fix: string }>().fix).toContain("guardduty");
    const disabled = await app.inject({ method: "POST", url: "/ingest/tracee", headers: bearer, payload: "{}" });
    expect(disabled.statusCode).toBe(404);
    expect(disabled.json<{ fix: string }>().fix).toContain("runtime.sources.tracee");
  });

  it("bearer auth: missing or wrong token -> 401 without echoing any token", async () => {
    const none = await app.inject({ method: "POST", url: "/ingest/falco", headers: { "content-type": "application/json" }, payload: JSON.stringify(falco) });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toContain("Bearer");
    const wrong = await app.inject({ method: "POST", url: "/ingest/falco", headers: { ...bearer, authorization: "Bearer not-the-right-token-123" }, payload: JSON.stringify(falco) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(TOKEN);
    expect(wrong.body).not.toContain("not-the-right-token-123");
    expect(await storedIds()).toEqual([]);
  });

  it("tokens and HMAC secrets never reach the receiver's logs, even at debug level", async () => {
    let logs = "";
    const logged = Fastify({ logger: { level: "trace", stream: { write: (line: string) => void (logs += line) } } });
    await registerIngestRoutes(logged, { intake, config: parseRuntimeConfig({ sources: { falco: { auth: { type: "bearer", token: TOKEN } }, "aws-waf": { auth: { type: "hmac", secret: SECRET } } } }) });
    await logged.ready();
    await logged.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify(falco) });
    await logged.inject({ method: "POST", url: "/ingest/falco", headers: { ...bearer, authorization: "Bearer wrong-token-abcdefghijkl" }, payload: "{}" });
    const body = fixtureText("aws-waf-log-block-sqli-header.json");
    const at = Math.floor(Date.now() / 1000);
    await logged.inject({ method: "POST", url: "/ingest/aws-waf", headers: { "content-type": "application/json", "x-wizbridge-timestamp": String(at), "x-wizbridge-signature": hmacSignature(SECRET, body, at) }, payload: body });
    await logged.close();
    expect(logs).toContain("/ingest/falco");
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain("wrong-token-abcdefghijkl");
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(hmacSignature(SECRET, body, at).slice(7));
  });

  it("HMAC auth over timestamp and raw body: right signature accepted once; tampered, replayed, stale or unsigned 401", async () => {
    const body = fixtureText("aws-waf-log-block-sqli-header.json");
    const at = Math.floor(Date.now() / 1000);
    const signed = (ts: number, text = body, signedText = body) => ({ "content-type": "application/json", "x-wizbridge-timestamp": String(ts), "x-wizbridge-signature": hmacSignature(SECRET, signedText, ts), _payload: text });
    const send = (h: ReturnType<typeof signed>) => {
      const { _payload, ...headers } = h;
      return app.inject({ method: "POST", url: "/ingest/aws-waf", headers, payload: _payload });
    };
    const first = signed(at);
    expect((await send(first)).statusCode).toBe(202);
    const replay = await send(first);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toMatch(/already received \(a replay\)/);
    const tampered = await send(signed(at + 1, body.replace("BLOCK", "COUNT"), body));
    expect(tampered.statusCode).toBe(401);
    expect(tampered.body).not.toContain(SECRET);
    const stale = await send(signed(at - 3600));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().message).toMatch(/outside the 300 s window/);
    const bodyOnly = await app.inject({ method: "POST", url: "/ingest/aws-waf", headers: { "content-type": "application/json", "x-wizbridge-signature": hmacSignature(SECRET, body) }, payload: body });
    expect(bodyOnly.statusCode).toBe(401);
    expect(bodyOnly.json().fix).toMatch(/requireTimestamp: false/);
    const missing = await app.inject({ method: "POST", url: "/ingest/aws-waf", headers: { "content-type": "application/json" }, payload: body });
    expect(missing.statusCode).toBe(401);
    expect((await storedIds()).length).toBe(1);
  });

  it("HMAC with requireTimestamp: false also takes a signature of the body alone (GitHub style)", async () => {
    const legacy = Fastify();
    await registerIngestRoutes(legacy, { intake, config: parseRuntimeConfig({ sources: { "aws-waf": { auth: { type: "hmac", secret: SECRET, requireTimestamp: false } } } }) });
    const body = fixtureText("aws-waf-log-block-sqli-header.json");
    const ok = await legacy.inject({ method: "POST", url: "/ingest/aws-waf", headers: { "content-type": "application/json", "x-wizbridge-signature": hmacSignature(SECRET, body) }, payload: body });
    expect(ok.statusCode).toBe(202);
    await legacy.close();
  });

  it("bodies over the limit (10 MB): 413 with a clear message; the server keeps serving", async () => {
    const big = JSON.stringify({ ...falco, output: "x".repeat(10 * 1024 * 1024) });
    const res = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: string; message: string; fix: string }>()).toMatchObject({ error: "body_too_large" });
    expect(res.json<{ fix: string }>().fix).toContain("bodyLimitBytes");
    const after = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify(falco) });
    expect(after.statusCode).toBe(202);
  });

  it("deep nesting and __proto__ keys: refused per record, nothing polluted, good records in the batch kept", async () => {
    const deep = `{"rule":"x","priority":"Warning","time":"2024-01-01T00:00:00Z","output_fields":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const deepRes = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: deep });
    expect(deepRes.statusCode).toBe(422);
    expect(deepRes.json<{ errors: Array<{ field: string; error: string }> }>().errors[0]?.error).toContain("nested deeper");
    const hostile = `{"__proto__":{"polluted":"yes"},${JSON.stringify(falco).slice(1)}`;
    const batch = `[${hostile},${JSON.stringify(falco)},{"constructor":{"prototype":{"polluted":"yes"}}}]`;
    const res = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: batch });
    expect(res.statusCode).toBe(207);
    expect(res.json<{ errors: Array<{ index: number; field: string }> }>().errors.map((e) => [e.index, e.field])).toEqual([
      [0, "$.__proto__"],
      [2, "$.constructor"],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await storedIds()).length).toBe(1);
  });

  it("generic alerts with auth none; every record of a 1,000-line NDJSON batch stored in few commits", async () => {
    const generic = { sensor: "Contrast Protect", ruleId: "sqli", title: "SQL injection", occurredAt: "2026-03-01T10:00:00Z", severity: "HIGH", attackClass: "sqli" };
    const lines = Array.from({ length: 1000 }, () => JSON.stringify(generic)).join("\n");
    const before = intake.commitCount;
    const res = await app.inject({ method: "POST", url: "/ingest/generic", headers: { "content-type": "application/x-ndjson" }, payload: lines });
    expect(res.statusCode).toBe(202);
    expect(res.json<{ accepted: number }>().accepted).toBe(1000);
    expect(intake.commitCount - before).toBe(1);
    expect((await storedIds()).length).toBe(1000);
  });

  it("a failing store: 503 saying nothing was accepted and to retry; no 2xx without a commit", async () => {
    await store.db.schema.dropTable("runtime_alerts").execute();
    const res = await app.inject({ method: "POST", url: "/ingest/falco", headers: bearer, payload: JSON.stringify(falco) });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ error: string; message: string; fix: string }>()).toMatchObject({ error: "store_unavailable" });
    expect(res.json<{ message: string }>().message).toContain("NOT accepted");
  });

  it("concurrent requests share group commits and every acknowledged id is stored", async () => {
    const before = intake.commitCount;
    const responses = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: "POST", url: "/ingest/falcosidekick", headers: bearer, payload: JSON.stringify(falco) })));
    const ids = responses.flatMap((r) => {
      expect(r.statusCode).toBe(202);
      return r.json<{ ids: string[] }>().ids;
    });
    expect(new Set(ids).size).toBe(50);
    expect((await storedIds()).sort()).toEqual([...ids].sort());
    expect(intake.commitCount - before).toBeLessThan(50);
  });
});
