import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
import {
  documentedRows,
  documentedValues,
  OPERATION_SAMPLES,
  PROSE_PATHS,
  proseParameters,
  setAt,
  SURFACES,
  valueAt,
  type LooseSample,
  type SampleContext,
  type Surface,
} from "../support/operation-samples.js";

// Issue 4's "done when": every operation works against the simulator from the SDK, the built CLI and MCP,
// with assertions on the returned data and on the GraphQL sent. `npm test` builds dist first.
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
// The operations contract workflow tools write requests against, read at test time (never copied in).
const OPERATIONS_MD = fileURLToPath(new URL("../../../shared/wiz-api/OPERATIONS.md", import.meta.url));

interface TextResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

const SAMPLES = OPERATION_SAMPLES as unknown as Readonly<Record<string, LooseSample | undefined>>;

/** One case per registry operation, in registry order; an operation without a sample fails its cases. */
const CASES = OPERATIONS.map((op) => ({ id: operationId(op), resource: op.resource as string, name: op.name as string }));

function all(collection: { size(): number; get(i: number): WizRecord }): WizRecord[] {
  return Array.from({ length: collection.size() }, (_, i) => collection.get(i));
}

function current(sim: Simulator, issueId: string): WizRecord {
  return sim.tenant.issues.get(sim.tenant.issues.indexOf(issueId) ?? -1);
}

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

  /** `wizbridge run -` with the requests on stdin; the exit code and the JSON line printed per request. */
  const viaRun = async (stdin: string, extra: string[] = []): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }> => {
    const args = [CLI, "run", "-", ...extra, "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts"];
    const env = { PATH: process.env.PATH ?? "", HOME: dir, WIZBRIDGE_CONFIG: join(dir, "none.yaml"), WIZ_CLIENT_ID: sim.clientId, WIZ_CLIENT_SECRET: sim.clientSecret };
    const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin.end(stdin);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stderr, lines: stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it("every request of OPERATIONS.md's tables runs unchanged through `wizbridge run`, each documented parameter reaching the GraphQL variables", async () => {
    const markdown = readFileSync(OPERATIONS_MD, "utf8");
    const rows = documentedRows(markdown);
    // The contract's 9 resources and 23 operations, each in the registry.
    expect(rows).toHaveLength(23);
    expect(new Set(rows.map((r) => r.resource)).size).toBe(9);
    for (const row of rows) expect(findOperation(row.resource, row.operation), `${row.resource}.${row.operation}`).toBeDefined();

    const values = documentedValues(sim);
    const prose = proseParameters(sim);
    const requests = [];
    for (const row of rows) {
      const id = `${row.resource}.${row.operation}`;
      const parameters: Record<string, unknown> = structuredClone(prose[id] ?? {});
      const paths: Array<[string, unknown]> = [];
      for (const documented of row.paths.filter((p) => p !== "after")) {
        const path = PROSE_PATHS[`${id}:${documented}`] ?? documented;
        if (path !== documented) continue; // given in proseParameters
        const key = `${id}:${path}` in values ? `${id}:${path}` : path;
        expect(key in values, `OPERATIONS.md documents ${path} for ${id}: give it a sample value in documentedValues`).toBe(true);
        setAt(parameters, path, values[key]);
        paths.push([path, values[key]]);
      }
      if (row.paths.includes("after")) {
        // A real cursor of the same query shape (Relay cursors carry the sort keys), from a first page of one.
        const shape = { ...(parameters.orderBy ? { orderBy: parameters.orderBy } : {}), ...(parameters.query ? { query: parameters.query, projectId: "*" } : {}) };
        const page = (await client.run(row.resource, row.operation, { ...shape, first: 1 })) as { pageInfo: { endCursor: string | null } };
        expect(page.pageInfo.endCursor).toBeTruthy();
        parameters.after = page.pageInfo.endCursor;
        paths.push(["after", parameters.after]);
      }
      requests.push({ id, envelope: { integration_service: "wiz", resource: row.resource, operation: row.operation, parameters }, paths });
    }

    // The one full envelope OPERATIONS.md shows; only its "<uuid>" placeholder is replaced, by a tenant issue.
    const example = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? "";
    const issueId = String(all(sim.tenant.issues).find((i) => i.type !== "THREAT_DETECTION" && i.status === "OPEN")?.id);
    const exampleEnvelope = JSON.parse(example.replace("<uuid>", issueId)) as Record<string, unknown>;
    expect(exampleEnvelope).toMatchObject({ integration_service: "wiz", resource: "issue", operation: "update" });

    const before = lastSeq();
    const ndjson = [...requests.map((r) => JSON.stringify(r.envelope)), JSON.stringify(exampleEnvelope)].join("\n");
    const run = await viaRun(ndjson);
    expect(run.stderr).toBe("");
    expect(run.lines.map((l) => [l.index, l.resource, l.operation, l.ok, l.ok ? undefined : l.error])).toEqual(
      [...requests.map((r) => r.envelope), exampleEnvelope].map((e, index) => [index, e.resource, e.operation, true, undefined]),
    );
    expect(run.code).toBe(0);

    // Each request's own GraphQL request carries every documented parameter, as given.
    let log = sim.requests.list().filter((e) => e.seq > before && e.path === "/graphql");
    for (const request of requests) {
      const op = findOperation(request.envelope.resource, request.envelope.operation);
      const name = /^\s*(?:query|mutation)\s+(\w+)/m.exec(op?.document ?? "")?.[1];
      const at = log.findIndex((e) => e.operationName === name);
      expect(at, `${request.id} sent ${String(name)}`).toBeGreaterThanOrEqual(0);
      const entry = log[at];
      log = log.slice(at + 1);
      for (const [path, value] of request.paths) expect(valueAt(entry?.variables, path), `${request.id}: ${path}`).toEqual(value);
    }
    expect(current(sim, issueId)).toMatchObject({ status: "IN_PROGRESS" });
  });

  it("run stops at the first failing request with its exit code, or goes on with --continue-on-error", async () => {
    const good = { resource: "issue", operation: "severityCounts", parameters: {} };
    const bad = { resource: "detection", operation: "list", parameters: { filterBy: { severity: ["HIGH"] } } };
    const batch = JSON.stringify([good, bad, good]);
    const stopped = await viaRun(batch);
    expect(stopped.code).toBe(2);
    expect(stopped.lines.map((l) => [l.index, l.ok])).toEqual([[0, true], [1, false]]);
    expect((stopped.lines[1]?.error as { message: string }).message).toContain('write {"equals": ["HIGH"]}');
    expect(stopped.stderr).toContain("request #1 failed; 1 later request was not run (--continue-on-error runs them)");
    const all = await viaRun(batch, ["--continue-on-error"]);
    expect(all.code).toBe(2);
    expect(all.lines.map((l) => [l.index, l.ok])).toEqual([[0, true], [1, false], [2, true]]);
    const unknown = await viaRun(JSON.stringify({ integration_service: "wiz", resource: "issue", operation: "close" }));
    expect(unknown.code).toBe(2);
    expect((unknown.lines[0]?.error as { message: string }).message).toContain('set "operation" to one of list, get, getEvidence, update, clearDueAt, createNote, deleteNote, groupedCount, severityCounts');
    const notFound = await viaRun(JSON.stringify({ resource: "detection", operation: "get", parameters: { id: "00000000-0000-4000-8000-000000000000" } }));
    expect(notFound.code).toBe(7);
    const malformed = await viaRun('{"resource": "issue",\n"operation": ');
    expect(malformed.code).toBe(2);
    expect(malformed.lines).toEqual([]);
    expect(malformed.stderr).toMatch(/neither one JSON document nor NDJSON: line 1 is not valid JSON/);
  });

  it("the MCP server logged every call and never the secret", () => {
    expect(mcpStderr).toMatch(/mcp tool call answered/);
    expect(mcpStderr).not.toContain(sim.clientSecret);
  });
});
