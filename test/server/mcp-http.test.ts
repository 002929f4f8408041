import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/wiz/index.js";
import { startApiHarness, type ApiHarness } from "./api-harness.js";

async function connect(h: ApiHarness, headers: Record<string, string>, query = ""): Promise<Client> {
  const client = new Client({ name: "wizbridge-test", version: "0.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.server.http.url}/mcp${query}`), { requestInit: { headers } }));
  return client;
}

function textOf(result: Awaited<ReturnType<Client["callTool"]>>): string {
  const content = result.content as Array<{ type: string; text?: string }>;
  return content.map((c) => c.text ?? "").join("");
}

describe("MCP over Streamable HTTP at /mcp: the same tools as `wizbridge mcp`, per token role", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("a viewer's MCP client lists the read-only tools and calls one on the tenant; mutating tools are refused with how to get them", async () => {
    const client = await connect(h, h.bearer.viewer);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(OPERATIONS.filter((op) => !op.mutating).map((op) => `${op.resource}_${op.name}`).sort());
      const result = await client.callTool({ name: "issue_list", arguments: { filterBy: { status: ["OPEN"] }, first: 2 } });
      expect(result.isError, textOf(result)).toBeFalsy();
      const page = JSON.parse(textOf(result)) as { nodes: Array<{ status: string }> };
      expect(page.nodes.length).toBeGreaterThan(0);
      expect(page.nodes.every((n) => n.status === "OPEN")).toBe(true);
      h.sim.requests.clear();
      const refused = await client.callTool({ name: "issue_createNote", arguments: { input: { issueId: "00000000-0000-4000-8000-000000000000", text: "no" } } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/admin tokens only/);
      expect(h.sim.requests.list({ rootField: "createIssueNote" })).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it("an admin's client gets the mutating tools too", async () => {
    const client = await connect(h, h.bearer.admin, "?connector=sim");
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toHaveLength(OPERATIONS.length);
      expect(names).toContain("issue_createNote");
    } finally {
      await client.close();
    }
  });

  it("every request needs the bearer token; GET and DELETE answer 405 (stateless); a bad message is 400 naming the field", async () => {
    const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "0" } } };
    const accept = { accept: "application/json, text/event-stream" };
    const anonymous = await fetch(`${h.server.http.url}/mcp`, { method: "POST", headers: { ...accept, "content-type": "application/json" }, body: JSON.stringify(initialize) });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${h.server.http.url}/mcp`, { method: "POST", headers: { ...accept, "content-type": "application/json", authorization: "Bearer wzb_nope" }, body: JSON.stringify(initialize) });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${h.server.http.url}/mcp`, { method: "POST", headers: { ...accept, "content-type": "application/json", ...h.bearer.viewer }, body: JSON.stringify(initialize) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe("wizbridge");
    // Stateless: a lone tools/list (as the README's curl sends it) is answered without an initialize first.
    const list = await fetch(`${h.server.http.url}/mcp`, { method: "POST", headers: { ...accept, "content-type": "application/json", ...h.bearer.viewer }, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }) });
    expect(((await list.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
    for (const method of ["GET", "DELETE"]) {
      const answer = await fetch(`${h.server.http.url}/mcp`, { method, headers: { ...accept, ...h.bearer.viewer } });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get("allow")).toBe("POST");
    }
    const bad = await fetch(`${h.server.http.url}/mcp`, { method: "POST", headers: { ...accept, "content-type": "application/json", ...h.bearer.viewer }, body: JSON.stringify({ ...initialize, jsonrpc: "1.0" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^body\.jsonrpc/);
    const unknownConnector = await fetch(`${h.server.http.url}/mcp?connector=nope`, { method: "POST", headers: { ...accept, "content-type": "application/json", ...h.bearer.viewer }, body: JSON.stringify(initialize) });
    expect(unknownConnector.status).toBe(404);
  });
});
