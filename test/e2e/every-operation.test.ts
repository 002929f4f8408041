import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kebabCase } from "../../src/cli/operation-flags.js";
import type { RequestLogEntry } from "../../src/sim/http/request-log.js";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import type { WizRecord } from "../../src/sim/tenant/types.js";
import { operationId } from "../../src/wiz/operations/operation-definition.js";
import { findOperation, OPERATIONS } from "../../src/wiz/operations/registry.js";
import { simClient } from "../../src/wiz/sim-client.test-fixtures.js";
import { WizClient } from "../../src/wiz/wiz-client.js";
import { OPERATION_SAMPLES, SURFACES, type LooseSample, type SampleContext, type Surface } from "../support/operation-samples.js";

// Issue 4's "done when": every operation works against the simulator from the SDK, the built CLI and MCP,
// with assertions on the returned data and on the GraphQL sent. `npm test` builds dist first.
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

interface TextResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

const SAMPLES = OPERATION_SAMPLES as unknown as Readonly<Record<string, LooseSample | undefined>>;

/** One case per registry operation, in registry order; an operation without a sample fails its cases. */
const CASES = OPERATIONS.map((op) => ({ id: operationId(op), resource: op.resource as string, name: op.name as string }));

describe("every registry operation through the SDK, the CLI and MCP against one simulator", () => {
  let sim: Simulator;
  let dir: string;
  let client: WizClient;
  let mcp: Client;
  let mcpStderr = "";
  const claimed = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wizbridge-every-op-"));
    sim = await startSimulator({ seed: 41, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    client = new WizClient(simClient(sim));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "mcp", "--allow-mutations", "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts"],
      env: { PATH: process.env.PATH ?? "", HOME: dir, WIZBRIDGE_CONFIG: join(dir, "none.yaml"), WIZ_CLIENT_ID: sim.clientId, WIZ_CLIENT_SECRET: sim.clientSecret },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => (mcpStderr += chunk.toString("utf8")));
    mcp = new Client({ name: "wizbridge-every-operation", version: "1.0.0" });
    await mcp.connect(transport);
  });
  afterAll(async () => {
    await mcp?.close();
    await client?.close();
    await client?.core.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The built CLI with credentials in env vars and the simulator's endpoint flags; the JSON it printed. */
  const viaCli = async (resource: string, name: string, input: unknown): Promise<unknown> => {
    const args = [CLI, kebabCase(resource), kebabCase(name), "--input", JSON.stringify(input), "--output", "json", "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts"];
    const env = { PATH: process.env.PATH ?? "", HOME: dir, WIZBRIDGE_CONFIG: join(dir, "none.yaml"), WIZ_CLIENT_ID: sim.clientId, WIZ_CLIENT_SECRET: sim.clientSecret };
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`wizbridge ${kebabCase(resource)} ${kebabCase(name)} exited ${String(code)}: ${stderr}`);
    if (findOperation(resource, name)?.mutating) expect(stderr).toBe(`${kebabCase(resource)} ${kebabCase(name)}: applied in Wiz; the output is Wiz's answer (the changed state).\n`);
    else expect(stderr).toBe("");
    return JSON.parse(stdout) as unknown;
  };

  /** One tool call on the file's MCP session; the JSON of its text content. */
  const viaMcp = async (resource: string, name: string, input: unknown): Promise<unknown> => {
    const result = (await mcp.callTool({ name: `${resource}_${name}`, arguments: input as Record<string, unknown> })) as TextResult;
    const first = result.content[0];
    if (first?.type !== "text" || first.text === undefined) throw new Error(`no text content in ${JSON.stringify(result)}`);
    if (result.isError) throw new Error(`MCP tool ${resource}_${name} failed: ${first.text}`);
    return JSON.parse(first.text) as unknown;
  };

  const call = (surface: Surface, resource: string, name: string, input: unknown): Promise<unknown> => {
    if (surface === "cli") return viaCli(resource, name, input);
    if (surface === "mcp") return viaMcp(resource, name, input);
    return client.run(resource, name, input);
  };

  /** The first record matching `where` that no other case has claimed. */
  const claim = (collection: { size(): number; get(i: number): WizRecord }, what: string, where: (record: WizRecord) => boolean): WizRecord => {
    for (let i = 0; i < collection.size(); i += 1) {
      const record = collection.get(i);
      const key = `${what}:${String(record.id)}`;
      if (!claimed.has(key) && where(record)) {
        claimed.add(key);
        return record;
      }
    }
    throw new Error(`the tiny tenant has no unclaimed ${what} left`);
  };

  const contextFor = (surface: Surface): SampleContext => ({
    sim,
    surface,
    call: (resource, name, input) => call(surface, resource, name, input),
    claimIssue: (where) => claim(sim.tenant.issues, "issue", where),
    claimResource: (where) => claim(sim.tenant.cloudResources, "cloudResource", where),
  });

  const lastSeq = (): number => sim.requests.list().at(-1)?.seq ?? 0;

  it("the sample table covers exactly the registry's operations", () => {
    expect(Object.keys(OPERATION_SAMPLES).sort()).toEqual(OPERATIONS.map(operationId).sort());
  });

  it("the MCP session offers one tool per operation, mutating ones included", async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(OPERATIONS.map((op) => `${op.resource}_${op.name}`).sort());
  });

  describe.each(CASES.map((c) => [c.id, c] as const))("%s", (id, { resource, name }) => {
    it.each(SURFACES)("through the %s: returns the tenant's data and sends the expected GraphQL", async (surface) => {
      const sample = SAMPLES[id];
      if (!sample) throw new Error(`no sample for ${id} in test/support/operation-samples.ts`);
      const prepared = await sample.prepare(contextFor(surface));
      const before = lastSeq();

      const output = await call(surface, resource, name, prepared.input);

      const log: RequestLogEntry[] = sim.requests.list().filter((e) => e.seq > before);
      const graphql = log.filter((e) => e.path === "/graphql");
      expect(graphql.map((e) => ({ operationName: e.operationName, rootFields: e.rootFields }))).toEqual(
        sample.requests.map((r) => ({ operationName: r.operationName, rootFields: [r.rootField] })),
      );
      expect(graphql.map((e) => e.variables)).toEqual(prepared.variables);
      for (const entry of graphql) {
        expect(entry.status).toBe(200);
        expect(entry.errorCodes ?? []).toEqual([]);
      }
      // The CLI and MCP speak JSON; the SDK's answer must be the same data.
      prepared.check(surface === "sdk" ? (JSON.parse(JSON.stringify(output ?? null)) as unknown) : output, log);
    });
  });

  it("the MCP server logged every call and never the secret", () => {
    expect(mcpStderr).toMatch(/mcp tool call answered/);
    expect(mcpStderr).not.toContain(sim.clientSecret);
  });
});
