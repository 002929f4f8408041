import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiHarness, type ApiHarness } from "./api-harness.js";

/**
 * One entry per API route (`METHOD /path` as registered): the URL with real ids, the URL with an unknown id
 * when the path has one, and, when the route takes a body, a valid and an invalid body with the field the 400
 * must name. A route without an entry fails the test: add its entry when you add a route.
 */
interface RouteCase {
  url: string;
  /** The path with an unknown id: 404, unless the route creates what the id names (PUT of a new map). */
  unknown?: string | { url: string; creates: true };
  /** `url` is used for the bad body unless the route refuses that id first (a read-only config connector: 409). */
  body?: { valid: unknown; invalid: unknown; field: string; url?: string };
  /** A request the route itself refuses to a viewer although its least role is viewer (a mutating Wiz operation). */
  viewerForbiddenBody?: unknown;
}

const apiConnector = { id: "every-route-api", connection: { clientId: "every-route", clientSecret: "every-route-secret", endpoint: "http://127.0.0.1:9/graphql", tokenUrl: "http://127.0.0.1:9/oauth/token", allowNonWizHosts: true }, sinks: ["events"], streams: { projects: true } };
const apiSink = { type: "jsonl", directory: "every-route-events" };
const mapBody = { recordTypes: ["asset"], fields: { id: { from: "id" } } };
const envelope = { resource: "issue", operation: "list", parameters: { first: 1 } };
const jsonRpc = { jsonrpc: "2.0", id: 1, method: "tools/list" };

const CASES: Record<string, RouteCase> = {
  "GET /api/connectors": { url: "/api/connectors" },
  "GET /api/connectors/:id": { url: "/api/connectors/sim", unknown: "/api/connectors/nope" },
  "POST /api/connectors/:id/sync": { url: "/api/connectors/sim/sync", unknown: "/api/connectors/nope/sync", body: { valid: {}, invalid: { streams: ["issuez"] }, field: "body.streams.0" } },
  "GET /api/connectors/:id/dead-letters": { url: "/api/connectors/sim/dead-letters", unknown: "/api/connectors/nope/dead-letters" },
  "POST /api/connectors/:id/sinks/:sink/replay": { url: "/api/connectors/sim/sinks/events/replay", unknown: "/api/connectors/sim/sinks/nope/replay" },
  "POST /api/connectors": { url: "/api/connectors", body: { valid: apiConnector, invalid: { ...apiConnector, id: "every-route-bad", sinks: "events" }, field: "body.sinks" } },
  "PUT /api/connectors/:id": { url: "/api/connectors/sim", unknown: "/api/connectors/nope", body: { valid: apiConnector, invalid: { ...apiConnector, sinks: "events" }, field: "body.sinks", url: `/api/connectors/${apiConnector.id}` } },
  "DELETE /api/connectors/:id": { url: "/api/connectors/sim", unknown: "/api/connectors/nope" },
  "POST /api/connectors/:id/enable": { url: "/api/connectors/sim/enable", unknown: "/api/connectors/nope/enable" },
  "POST /api/connectors/:id/disable": { url: "/api/connectors/sim/disable", unknown: "/api/connectors/nope/disable" },
  "POST /api/connectors/test": { url: "/api/connectors/test", body: { valid: { connection: apiConnector.connection, streams: ["projects"] }, invalid: { connection: "sim" }, field: "body.connection" } },
  "POST /api/connectors/:id/test": { url: "/api/connectors/sim/test", unknown: "/api/connectors/nope/test" },
  "GET /api/connectors/:id/runs": { url: "/api/connectors/sim/runs", unknown: "/api/connectors/nope/runs" },
  "GET /api/sinks": { url: "/api/sinks" },
  "GET /api/sinks/:id": { url: "/api/sinks/events", unknown: "/api/sinks/nope" },
  "POST /api/sinks": { url: "/api/sinks", body: { valid: { ...apiSink, id: "every-route-sink" }, invalid: { ...apiSink, id: "every-route-sink", type: "carrier-pigeon" }, field: "body.type" } },
  "PUT /api/sinks/:id": { url: "/api/sinks/events", unknown: "/api/sinks/nope", body: { valid: apiSink, invalid: { ...apiSink, type: "carrier-pigeon" }, field: "body.type", url: "/api/sinks/every-route-api-sink" } },
  "DELETE /api/sinks/:id": { url: "/api/sinks/events", unknown: "/api/sinks/nope" },
  "POST /api/sinks/:id/test": { url: "/api/sinks/events/test", unknown: "/api/sinks/nope/test" },
  "GET /api/sinks/:id/health": { url: "/api/sinks/events/health", unknown: "/api/sinks/nope/health" },
  "GET /api/openapi.json": { url: "/api/openapi.json" },
  "GET /api/whoami": { url: "/api/whoami" },
  "GET /api/maps": { url: "/api/maps" },
  "GET /api/maps/:name": { url: "/api/maps/vm-asset", unknown: "/api/maps/nope" },
  "POST /api/maps/:name/clone": { url: "/api/maps/vm-asset/clone", unknown: "/api/maps/nope/clone", body: { valid: { as: "every-route-copy" }, invalid: { as: "Not A Name" }, field: "body.as" } },
  "PUT /api/maps/:name": { url: "/api/maps/every-route", unknown: { url: "/api/maps/every-route-new", creates: true }, body: { valid: mapBody, invalid: { ...mapBody, recordTypes: "asset" }, field: "body.recordTypes" } },
  "POST /api/maps/test": { url: "/api/maps/test", body: { valid: { map: "vm-asset" }, invalid: { map: "vm-asset", ladder: "five-tier" }, field: "body.ladder" } },
  "GET /api/runtime/alerts": { url: "/api/runtime/alerts" },
  "GET /api/runtime/summary": { url: "/api/runtime/summary" },
  "GET /api/runtime/alerts/:id": { url: "/api/runtime/alerts/x", unknown: "/api/runtime/alerts/nope" },
  "GET /api/operations": { url: "/api/operations" },
  "POST /api/operations": {
    url: "/api/operations",
    body: { valid: envelope, invalid: { ...envelope, parameters: [] }, field: "body.parameters" },
    viewerForbiddenBody: { resource: "issue", operation: "createNote", parameters: { input: { issueId: "00000000-0000-4000-8000-000000000000", text: "x" } } },
  },
  "POST /mcp": { url: "/mcp", body: { valid: jsonRpc, invalid: { ...jsonRpc, jsonrpc: 1 }, field: "body.jsonrpc" } },
  "GET /mcp": { url: "/mcp" },
  "DELETE /mcp": { url: "/mcp" },
};

describe("every API route: 401 without a token, 403 below its role, 404 for an unknown id, 400 naming the field of a bad body", () => {
  let h: ApiHarness;
  let routes: Array<{ method: string; url: string; role: string; body: boolean }>;
  let address = 0;
  // Each refused request from its own address, so the failed-login limit (per address) never answers 429 instead.
  const nextAddress = (): string => {
    address += 1;
    return `10.9.${Math.floor(address / 250)}.${(address % 250) + 1}`;
  };

  beforeAll(async () => {
    h = await startApiHarness();
    routes = h.server.openapi.list();
    // An API connector and sink, for the routes that refuse a config-file one before reading the body.
    const created = await h.inject("POST", "/api/connectors", h.bearer.admin, apiConnector);
    expect(created.statusCode, created.body).toBe(201);
    const sink = await h.inject("POST", "/api/sinks", h.bearer.admin, { ...apiSink, id: "every-route-api-sink" });
    expect(sink.statusCode, sink.body).toBe(201);
  });
  afterAll(async () => {
    await h.close();
  });

  it("the main job with a runtime section registers the routes of every area", () => {
    const tags = new Set(h.server.openapi.list().map((r) => r.tag));
    for (const tag of ["Connectors", "Sinks", "Maps", "Runtime", "Operations", "Meta"]) expect(tags, tag).toContain(tag);
  });

  it("every route has an entry in this test's table (add one with the route)", () => {
    const missing = routes.map((r) => `${r.method} ${r.url}`).filter((key) => !CASES[key]);
    expect(missing, `routes without an entry in CASES of test/server/every-route.test.ts: ${missing.join(", ")}`).toEqual([]);
    for (const r of routes) {
      const entry = CASES[`${r.method} ${r.url}`];
      if (r.body) expect(entry?.body, `${r.method} ${r.url} takes a body: give a valid and an invalid one`).toBeDefined();
      if (r.url.includes(":")) expect(entry?.unknown, `${r.method} ${r.url} has an id in its path: give a URL with an unknown id`).toBeDefined();
    }
  });

  it("the OpenAPI document lists every route with its operation", async () => {
    const document = (await h.inject("GET", "/api/openapi.json", h.bearer.viewer)).json() as { paths: Record<string, Record<string, unknown>> };
    for (const r of routes) expect(document.paths[r.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
  });

  it("no token: 401 saying how to get one", async () => {
    for (const r of routes) {
      if (r.role === "none") continue;
      const entry = CASES[`${r.method} ${r.url}`];
      if (!entry) continue;
      const answer = await h.inject(r.method as "GET", entry.url, {}, entry.body?.valid, nextAddress());
      expect(answer.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(answer.json().message, `${r.method} ${r.url}`).toMatch(/wizbridge token create/);
    }
  });

  it("a viewer on an operator or admin route: 403 naming the role", async () => {
    for (const r of routes) {
      const entry = CASES[`${r.method} ${r.url}`];
      if (!entry) continue;
      if (r.role === "operator" || r.role === "admin") {
        const answer = await h.inject(r.method as "GET", entry.url, h.bearer.viewer, entry.body?.valid);
        expect(answer.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(answer.json().message, `${r.method} ${r.url}`).toContain(`needs the ${r.role} role`);
      }
      if (entry.viewerForbiddenBody !== undefined) {
        const answer = await h.inject(r.method as "GET", entry.url, h.bearer.viewer, entry.viewerForbiddenBody);
        expect(answer.statusCode, `${r.method} ${r.url} (viewer asking for a mutation)`).toBe(403);
        expect(answer.json().message).toContain("admin role");
      }
    }
  });

  it("an unknown id: 404 (or created, for a PUT that creates)", async () => {
    for (const r of routes) {
      const entry = CASES[`${r.method} ${r.url}`];
      if (entry?.unknown === undefined) continue;
      const url = typeof entry.unknown === "string" ? entry.unknown : entry.unknown.url;
      const answer = await h.inject(r.method as "GET", url, h.bearer.admin, entry.body?.valid);
      if (typeof entry.unknown === "string") {
        expect(answer.statusCode, `${r.method} ${url}: ${answer.body}`).toBe(404);
        expect(answer.json().error, `${r.method} ${url}`).toBe("not_found");
      } else {
        expect(answer.statusCode, `${r.method} ${url}: ${answer.body}`).toBe(201);
      }
    }
  });

  it("a bad body: 400 whose message starts with the field", async () => {
    for (const r of routes) {
      const entry = CASES[`${r.method} ${r.url}`];
      if (!entry?.body) continue;
      const answer = await h.inject(r.method as "GET", entry.body.url ?? entry.url, h.bearer.admin, entry.body.invalid);
      expect(answer.statusCode, `${r.method} ${r.url}: ${answer.body}`).toBe(400);
      expect(answer.json().message, `${r.method} ${r.url}`).toMatch(new RegExp(`^${entry.body.field.replace(/\./g, "\\.")}\\b`));
    }
  });
});
