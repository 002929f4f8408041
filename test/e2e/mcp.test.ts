import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";

const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

interface McpSession {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}

interface TextResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

describe("wizbridge mcp over stdio (built CLI)", () => {
  let sim: Simulator;
  let dir: string;
  const sessions: McpSession[] = [];

  /** Starts `wizbridge mcp` as a child process speaking MCP on stdin/stdout, credentials in its env. */
  const connect = async (extraArgs: string[] = []): Promise<McpSession> => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "mcp", "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts", ...extraArgs],
      env: { PATH: process.env.PATH ?? "", HOME: dir, WIZBRIDGE_CONFIG: join(dir, "none.yaml"), WIZ_CLIENT_ID: sim.clientId, WIZ_CLIENT_SECRET: sim.clientSecret, LOG_LEVEL: "info" },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const client = new Client({ name: "wizbridge-e2e", version: "1.0.0" });
    await client.connect(transport);
    const session = { client, stderr: () => stderr, close: () => client.close() };
    sessions.push(session);
    return session;
  };

  const text = (result: unknown): string => {
    const first = (result as TextResult).content[0];
    if (first?.type !== "text" || first.text === undefined) throw new Error(`no text content in ${JSON.stringify(result)}`);
    return first.text;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wizbridge-mcp-"));
    sim = await startSimulator({ seed: 7, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.requests.clear();
  });

  it("lists one read-only tool per read-only operation by default, with the zod input as JSON Schema", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain("issue_list");
    expect(names).toContain("vulnerabilityFinding_list");
    expect(names).not.toContain("issue_update");
    expect(names).not.toContain("issue_createNote");
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-zA-Z]+_[a-zA-Z]+$/);
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.inputSchema.type).toBe("object");
    }
    const list = tools.find((t) => t.name === "issue_list");
    expect(list?.description).toMatch(/issues/i);
    expect(list?.inputSchema.properties).toMatchObject({
      filterBy: { type: "object", properties: { status: { type: "array", items: { enum: ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"] } } } },
      first: { type: "integer", maximum: 500 },
    });
  });

  it("offers the mutating tools too with --allow-mutations", async () => {
    const { client } = await connect(["--allow-mutations"]);
    const { tools } = await client.listTools();
    const update = tools.find((t) => t.name === "issue_update");
    expect(update?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.filter((t) => t.annotations?.readOnlyHint === false).length).toBeGreaterThan(2);
  });

  it("issue_list with a filter returns the matching issues and sends the filter to Wiz", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "issue_list", arguments: { filterBy: { status: ["OPEN"], severity: ["CRITICAL", "HIGH"] }, first: 7 } });
    expect(result.isError).toBeFalsy();
    const page = JSON.parse(text(result)) as { nodes: Array<{ status: string; severity: string }>; totalCount: number; pageInfo: { hasNextPage: boolean } };
    expect(page.nodes.length).toBeGreaterThan(0);
    expect(page.nodes.length).toBeLessThanOrEqual(7);
    for (const node of page.nodes) {
      expect(node.status).toBe("OPEN");
      expect(["CRITICAL", "HIGH"]).toContain(node.severity);
    }
    const sent = sim.requests.list({ rootField: "issuesV2" });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables).toMatchObject({ filterBy: { status: ["OPEN"], severity: ["CRITICAL", "HIGH"] }, first: 7 });
  });

  it("bad input is a tool error naming the field, and nothing is sent", async () => {
    const { client } = await connect();
    const result = (await client.callTool({ name: "issue_list", arguments: { filterBy: { status: ["CLOSED"] } } })) as TextResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/filterBy\.status\[0\]/);
    expect(text(result)).toMatch(/nothing was sent to Wiz/);
    const tooBig = (await client.callTool({ name: "issue_list", arguments: { first: 5000 } })) as TextResult;
    expect(tooBig.isError).toBe(true);
    expect(text(tooBig)).toMatch(/first.*500/);
    expect(sim.requests.list()).toHaveLength(0);
  });

  it("a mutating tool is refused without --allow-mutations, saying how to enable it", async () => {
    const { client } = await connect();
    const result = (await client.callTool({ name: "issue_update", arguments: {} })) as TextResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/--allow-mutations/);
  });

  it("a Wiz error is a tool error with the typed error's message", async () => {
    const { client } = await connect();
    const result = (await client.callTool({ name: "issue_get", arguments: { filterBy: { id: "00000000-0000-4000-8000-000000000000" } } })) as TextResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^WizNotFoundError/);
  });

  it("tool arguments are the documented parameters: the input schemas carry Wiz's variable shapes", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const schemaOf = (name: string) => tools.find((t) => t.name === name)?.inputSchema as { properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; required?: string[] };
    expect(Object.keys(schemaOf("issue_get").properties)).toEqual(["filterBy"]);
    expect(Object.keys(schemaOf("graphSearch_run").properties)).toEqual(
      expect.arrayContaining(["query", "projectId", "first", "after", "fetchTotalCount", "quick", "fetchPublicExposurePaths", "fetchInternalExposurePaths", "fetchIssueAnalytics", "fetchLateralMovement", "fetchKubernetes"]),
    );
    expect(schemaOf("graphSearch_run").required).toEqual(expect.arrayContaining(["query", "projectId"]));
    // Detections take {equals} wrappers; the schema says so, and a bare list is refused with what to write.
    expect(schemaOf("detection_list").properties.filterBy?.properties?.severity).toMatchObject({ type: "object", required: ["equals"] });
    const bare = (await client.callTool({ name: "detection_list", arguments: { filterBy: { severity: ["HIGH"] } } })) as TextResult;
    expect(bare.isError).toBe(true);
    expect(text(bare)).toContain('write {"equals": ["HIGH"]}');
  });

  it("logs on stderr only, never the secret", () => {
    for (const session of sessions) {
      expect(session.stderr()).not.toContain(sim.clientSecret);
    }
    expect(sessions.some((s) => /mcp tool call answered/.test(s.stderr()))).toBe(true);
  });
});
