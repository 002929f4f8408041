import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBareIngestServer } from "../../src/runtime/intake/bare-ingest-server.js";
import { tempDir } from "../sync/sync-fixtures.js";
import { genericAlert, INGEST_TOKEN, startApiHarness, type ApiHarness } from "./api-harness.js";

interface AlertRow {
  id: string;
  source: string;
  state: string;
}

describe("/api/runtime: alerts list with paging, summary, one alert's trail", () => {
  let h: ApiHarness;
  let ids: string[];
  beforeAll(async () => {
    h = await startApiHarness();
    const posted = await h.inject("POST", "/ingest/generic", { authorization: `Bearer ${INGEST_TOKEN}` }, Array.from({ length: 7 }, (_, i) => genericAlert(i)));
    expect(posted.statusCode).toBe(202);
    ids = posted.json().ids as string[];
    const falco = await h.inject("POST", "/ingest/falco", { authorization: `Bearer ${INGEST_TOKEN}` }, { output: "x", priority: "Warning", rule: "Terminal shell in container", time: "2026-01-01T00:00:00.000000000Z", output_fields: { "container.id": "abcdef123456" } });
    expect(falco.statusCode).toBe(202);
  });
  afterAll(async () => {
    await h.close();
  });

  it("pages through every alert with the cursor, newest first, none twice or missed; filters by source and state", async () => {
    const seen: AlertRow[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await h.inject("GET", `/api/runtime/alerts?limit=3${cursor ? `&cursor=${cursor}` : ""}`, h.bearer.viewer);
      expect(page.statusCode).toBe(200);
      const body = page.json() as { alerts: AlertRow[]; nextCursor: string | null };
      expect(body.alerts.length).toBeLessThanOrEqual(3);
      seen.push(...body.alerts);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((a) => a.id)).size).toBe(8);
    expect(seen.map((a) => a.id)).toEqual(expect.arrayContaining(ids));

    const generic = (await h.inject("GET", "/api/runtime/alerts?source=generic&limit=100", h.bearer.viewer)).json() as { alerts: AlertRow[]; nextCursor: string | null };
    expect(generic.alerts.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(generic.nextCursor).toBeNull();
    const first = generic.alerts[0] as AlertRow;
    const byState = (await h.inject("GET", `/api/runtime/alerts?state=${first.state}`, h.bearer.viewer)).json() as { alerts: AlertRow[] };
    expect(byState.alerts.every((a) => a.state === first.state)).toBe(true);

    const badCursor = await h.inject("GET", "/api/runtime/alerts?cursor=not-a-cursor", h.bearer.viewer);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().message).toMatch(/^query\.cursor/);
    const badState = await h.inject("GET", "/api/runtime/alerts?state=lost", h.bearer.viewer);
    expect(badState.statusCode).toBe(400);
    expect(badState.json().message).toMatch(/^query\.state/);
  });

  it("summary counts alerts per state and per minute of the window", async () => {
    const summary = await h.inject("GET", "/api/runtime/summary", h.bearer.viewer);
    expect(summary.statusCode).toBe(200);
    const body = summary.json() as { total: number; counts: Record<string, number>; windowMinutes: number; receivedInWindow: number; receivedPerMinute: Array<{ minute: string; count: number }> };
    expect(body.total).toBe(8);
    expect(Object.values(body.counts).reduce((a, b) => a + b, 0)).toBe(8);
    expect(Object.keys(body.counts)).toEqual(expect.arrayContaining(["received", "unresolved", "linked", "dead_lettered"]));
    expect(body.windowMinutes).toBe(15);
    expect(body.receivedPerMinute).toHaveLength(15);
    expect(body.receivedInWindow).toBe(8);
    const minutes = body.receivedPerMinute.map((m) => Date.parse(m.minute));
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    expect((await h.inject("GET", "/api/runtime/summary?minutes=0", h.bearer.viewer)).statusCode).toBe(400);
  });

  it("one alert's trail needs a viewer token; an unknown id is 404 with what to check", async () => {
    const id = ids[0] ?? "";
    expect((await h.inject("GET", `/api/runtime/alerts/${id}`)).statusCode).toBe(401);
    const one = await h.inject("GET", `/api/runtime/alerts/${id}`, h.bearer.viewer);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, source: "generic", sensor: "api-test" });
    const missing = await h.inject("GET", "/api/runtime/alerts/no-such-alert", h.bearer.viewer);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "not_found", fix: expect.stringContaining("wizbridge alerts list") });
  });

  it("the bare ingest server still serves the same alert route, without a token", async () => {
    const dir = tempDir("wizbridge-bare-");
    const bare = await startBareIngestServer(join(dir, "wizbridge.db"), { port: 0, token: "bare-ingest-token-0123456789" });
    try {
      const posted = await fetch(`${bare.url}/ingest/generic`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bare-ingest-token-0123456789" }, body: JSON.stringify(genericAlert(1)) });
      const [id] = ((await posted.json()) as { ids: string[] }).ids;
      const answer = await fetch(`${bare.url}/api/runtime/alerts/${id ?? ""}`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ id, source: "generic" });
      const missing = await fetch(`${bare.url}/api/runtime/alerts/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: "not_found", fix: expect.stringContaining("wizbridge alerts list") });
    } finally {
      await bare.close();
      await bare.store.close();
    }
  });
});
