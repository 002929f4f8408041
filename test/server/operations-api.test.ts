import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/wiz/index.js";
import { startApiHarness, type ApiHarness } from "./api-harness.js";

interface IssueNode {
  id: string;
  status: string;
}

describe("/api/operations: the Wiz operation registry over HTTP", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("lists every operation with whether it changes data, its scopes and its parameters' JSON Schema", async () => {
    const answer = await h.inject("GET", "/api/operations", h.bearer.viewer);
    expect(answer.statusCode).toBe(200);
    const operations = answer.json().operations as Array<{ resource: string; operation: string; mutating: boolean; scopes: string[]; parameters: { type?: string } }>;
    expect(operations.map((o) => `${o.resource}.${o.operation}`)).toEqual(OPERATIONS.map((o) => `${o.resource}.${o.name}`));
    expect(operations.find((o) => o.resource === "issue" && o.operation === "list")).toMatchObject({ mutating: false, parameters: { type: "object", properties: { filterBy: expect.any(Object), first: expect.any(Object) } } });
    expect(operations.find((o) => o.resource === "issue" && o.operation === "createNote")?.mutating).toBe(true);
  });

  it("runs a read-only envelope for a viewer, on the default or the named connector", async () => {
    const envelope = { integration_service: "wiz", resource: "issue", operation: "list", parameters: { filterBy: { status: ["OPEN"] }, first: 3 } };
    const answer = await h.inject("POST", "/api/operations", h.bearer.viewer, envelope);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json() as { connector: string; operation: string; result: { nodes: IssueNode[]; pageInfo: { hasNextPage: boolean } } };
    expect(body).toMatchObject({ connector: "sim", operation: "issue.list" });
    expect(body.result.nodes.length).toBeGreaterThan(0);
    expect(body.result.nodes.length).toBeLessThanOrEqual(3);
    expect(body.result.nodes.every((n) => n.status === "OPEN")).toBe(true);
    expect((await h.inject("POST", "/api/operations?connector=sim", h.bearer.viewer, envelope)).statusCode).toBe(200);
    const unknown = await h.inject("POST", "/api/operations?connector=nope", h.bearer.viewer, envelope);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain("Known: sim");
  });

  it("a mutation needs an admin token: a viewer or operator gets 403 naming admin and nothing reaches Wiz; an admin runs it", async () => {
    const open = (await h.inject("POST", "/api/operations", h.bearer.viewer, { resource: "issue", operation: "list", parameters: { filterBy: { status: ["OPEN"] }, first: 1 } })).json() as { result: { nodes: IssueNode[] } };
    const issueId = open.result.nodes[0]?.id ?? "";
    const envelope = { resource: "issue", operation: "createNote", parameters: { input: { issueId, text: "from the operations API test" } } };
    h.sim.requests.clear();
    for (const role of ["viewer", "operator"] as const) {
      const denied = await h.inject("POST", "/api/operations", h.bearer[role], envelope);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().message).toMatch(/issue\.createNote changes data in Wiz and needs the admin role/);
    }
    expect(h.sim.requests.list({ rootField: "createIssueNote" })).toHaveLength(0);
    const done = await h.inject("POST", "/api/operations", h.bearer.admin, envelope);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ operation: "issue.createNote", result: { id: expect.any(String), text: "from the operations API test" } });
    expect(h.sim.requests.list({ rootField: "createIssueNote" })).toHaveLength(1);
  });

  it("a bad envelope or bad parameters are 400 naming the field; nothing is sent", async () => {
    h.sim.requests.clear();
    const resource = await h.inject("POST", "/api/operations", h.bearer.viewer, { resource: "issues", operation: "list" });
    expect(resource.statusCode).toBe(400);
    expect(resource.json().message).toMatch(/^body\.resource: .*There is no Wiz resource "issues"/);
    const operation = await h.inject("POST", "/api/operations", h.bearer.viewer, { resource: "issue", operation: "lst" });
    expect(operation.statusCode).toBe(400);
    expect(operation.json().message).toMatch(/^body\.operation: /);
    const extra = await h.inject("POST", "/api/operations", h.bearer.viewer, { resource: "issue", operation: "list", first: 3 });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toMatch(/first/);
    const parameter = await h.inject("POST", "/api/operations", h.bearer.viewer, { resource: "issue", operation: "list", parameters: { filterBy: { severity: ["URGENT"] } } });
    expect(parameter.statusCode).toBe(400);
    expect(parameter.json().message).toMatch(/^body\.parameters\.filterBy\.severity/);
    expect(h.sim.requests.list()).toHaveLength(0);
  });

  it("whoami names the token and its role", async () => {
    expect((await h.inject("GET", "/api/whoami", h.bearer.operator)).json()).toEqual({ name: "test operator", role: "operator" });
    expect((await h.inject("GET", "/api/whoami")).statusCode).toBe(401);
  });
});
