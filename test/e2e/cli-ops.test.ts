import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { ALL_SCOPES } from "../../src/sim/oauth/service-accounts.js";
import { DEFAULT_FEATURES } from "../../src/wiz/connection-check.js";
import { SimSession } from "../support/sim-session.js";

// The built CLI, as a user runs it (`npm test` builds it first).
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface IssueNode {
  id: string;
  status: string;
  severity: string;
}

describe("wizbridge <resource> <operation> against the simulator (built CLI)", () => {
  let sim: Simulator;
  let dir: string;
  let limited: { clientId: string; clientSecret: string };
  const runs: CliRun[] = [];
  const secrets: string[] = [];

  /** Runs the CLI with credentials in env vars (never on the command line) and the simulator's endpoint flags. */
  const cli = async (args: string[], options: { env?: Record<string, string>; stdin?: string; connection?: boolean } = {}): Promise<CliRun> => {
    const connection = options.connection === false ? [] : ["--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts"];
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: dir, WIZBRIDGE_CONFIG: join(dir, "no-profiles.yaml"), WIZ_CLIENT_ID: sim.clientId, WIZ_CLIENT_SECRET: sim.clientSecret, ...options.env };
    const child = spawn(process.execPath, [CLI, ...args, ...connection], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin.end(options.stdin ?? "");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const run = { code, stdout, stderr };
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wizbridge-cli-ops-"));
    sim = await startSimulator({
      seed: 7,
      size: "tiny",
      rateLimit: { requestsPerSecond: 0 },
      serviceAccounts: [
        { name: "full", scopes: ALL_SCOPES },
        { name: "r", scopes: ["read:issues"] },
      ],
    });
    const account = sim.serviceAccounts.find((a) => a.name === "r");
    if (!account) throw new Error("no limited account");
    limited = { clientId: account.clientId, clientSecret: account.clientSecret };
    secrets.push(sim.clientSecret, limited.clientSecret);
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.requests.clear();
  });

  /** The requests the CLI sent (the test's own cross-check queries carry another user agent). */
  const cliRequests = (rootField: string) => sim.requests.list({ rootField }).filter((r) => r.userAgent?.startsWith("wizbridge/"));
  const openIssueCount = async (): Promise<number> => {
    const data = await new SimSession(sim).data<{ issuesV2: { totalCount: number } }>("{ issuesV2(filterBy: {status: [OPEN]}, first: 1) { totalCount } }");
    return data.issuesV2.totalCount;
  };

  it("issue list --status OPEN --output json returns the tenant's open issues and sends the filter as a variable", async () => {
    const run = await cli(["issue", "list", "--status", "OPEN", "--first", "20", "--output", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as { nodes: IssueNode[]; totalCount: number; pageInfo: { hasNextPage: boolean } };
    const total = await openIssueCount();
    expect(page.totalCount).toBe(total);
    expect(page.nodes).toHaveLength(Math.min(20, total));
    expect(page.nodes.every((n) => n.status === "OPEN")).toBe(true);
    const sent = cliRequests("issuesV2");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables).toMatchObject({ filterBy: { status: ["OPEN"] }, first: 20 });
  });

  it("--all follows every page: the record count equals the filtered total", async () => {
    const run = await cli(["issue", "list", "--status", "open", "--first", "25", "--all", "--output", "json"]);
    expect(run.code).toBe(0);
    const nodes = JSON.parse(run.stdout) as IssueNode[];
    const total = await openIssueCount();
    expect(nodes).toHaveLength(total);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(total);
    expect(nodes.every((n) => n.status === "OPEN")).toBe(true);
    expect(cliRequests("issuesV2")).toHaveLength(Math.ceil(total / 25));
    // stderr is not a terminal here, so no progress line.
    expect(run.stderr).toBe("");
  });

  it("--all --limit stops after that many records", async () => {
    const run = await cli(["issue", "list", "--all", "--limit", "30", "--output", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(30);
    expect(cliRequests("issuesV2")[0]?.variables).toMatchObject({ first: 30 });
  });

  it("--output table prints the main columns", async () => {
    const run = await cli(["issue", "list", "--severity", "HIGH,CRITICAL", "--limit", "5", "--output", "table"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+SEVERITY\s+ENTITY_SNAPSHOT\s+SOURCE_RULE\s+CREATED_AT$/);
    expect(lines[1]).toMatch(/^-+\s+-+/);
    expect(lines.slice(2)).toHaveLength(5);
    for (const line of lines.slice(2)) expect(line).toMatch(/^[0-9a-f-]{36}\s+\S+\s+\S+\s+(HIGH|CRITICAL)\s/);
  });

  it("reads the input from --json-input - (stdin), with flags overriding its fields", async () => {
    const run = await cli(["issue", "list", "--json-input", "-", "--first", "3", "--output", "json"], { stdin: JSON.stringify({ filterBy: { status: ["RESOLVED"] }, first: 50 }) });
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as { nodes: IssueNode[] };
    expect(page.nodes).toHaveLength(3);
    expect(page.nodes.every((n) => n.status === "RESOLVED")).toBe(true);
  });

  it("a mutating operation runs and prints what Wiz changed", async () => {
    const list = await cli(["issue", "list", "--first", "1", "--output", "json"]);
    const issueId = (JSON.parse(list.stdout) as { nodes: IssueNode[] }).nodes[0]?.id ?? "";
    const run = await cli(["issue", "create-note", "--issue-id", issueId, "--text", "triaged from the CLI", "--output", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: expect.any(String), text: "triaged from the CLI", serviceAccount: { name: "full" } });
    expect(run.stderr).toMatch(/^issue create-note: applied in Wiz/);
    expect(cliRequests("createIssueNote")[0]?.variables).toEqual({ input: { issueId, text: "triaged from the CLI" } });
  });

  it("subcommands take the documented parameters through --input, and flags fill the same shapes", async () => {
    const list = await cli(["issue", "list", "--status", "OPEN", "--type", "TOXIC_COMBINATION", "--first", "2", "--output", "json"]);
    const [first, second] = (JSON.parse(list.stdout) as { nodes: IssueNode[] }).nodes;
    const byInput = await cli(["issue", "update", "--input", JSON.stringify({ issueId: first?.id, patch: { status: "IN_PROGRESS", note: "from --input" } }), "--output", "json"]);
    expect(byInput.code, byInput.stderr).toBe(0);
    const byFlags = await cli(["issue", "update", "--issue-id", second?.id ?? "", "--status", "IN_PROGRESS", "--note", "from flags", "--output", "json"]);
    expect(byFlags.code, byFlags.stderr).toBe(0);
    expect(cliRequests("updateIssue").map((r) => r.variables)).toEqual([
      { issueId: first?.id, patch: { status: "IN_PROGRESS", note: "from --input" } },
      { issueId: second?.id, patch: { status: "IN_PROGRESS", note: "from flags" } },
    ]);
    const get = await cli(["issue", "get", "--id", first?.id ?? "", "--output", "json"]);
    expect(get.code, get.stderr).toBe(0);
    // filterBy.id takes one id or a list of one; the flag fills the list form.
    expect(cliRequests("issuesV2").at(-1)?.variables).toEqual({ filterBy: { id: [first?.id] } });
  });

  it("run FILE takes a JSON array of envelopes and prints one JSON line per request", async () => {
    const file = join(dir, "requests.json");
    writeFileSync(
      file,
      JSON.stringify([
        { integration_service: "wiz", resource: "issue", operation: "severityCounts", parameters: { filterBy: { status: ["OPEN"] } } },
        { resource: "project", operation: "list", parameters: { first: 2 } },
      ]),
    );
    const run = await cli(["run", file]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { index: number; resource: string; operation: string; ok: boolean; result: unknown });
    expect(lines.map((l) => [l.index, l.resource, l.operation, l.ok])).toEqual([
      [0, "issue", "severityCounts", true],
      [1, "project", "list", true],
    ]);
    expect(lines[0]?.result).toMatchObject({ totalCount: await openIssueCount() });
    expect(cliRequests("projects")[0]?.variables).toEqual({ filterBy: { includeArchived: false }, first: 2 });
    const missing = await cli(["run", join(dir, "no-such-requests.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the file cannot be read: no such file/);
  });

  it("a malformed --json-input file exits 2, naming the file and position, and sends nothing", async () => {
    const file = join(dir, "bad-input.json");
    writeFileSync(file, '{\n  "filterBy": { "status": ["OPEN" "RESOLVED"] }\n}\n');
    const run = await cli(["issue", "list", "--json-input", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--json-input ${file} is not valid JSON`);
    expect(run.stderr).toMatch(/expected , or \] at line 2, column 35/);
    expect(run.stdout).toBe("");
    expect(sim.requests.list()).toHaveLength(0);
  });

  it("an unknown enum value or a page size over the cap exits 2 before any request", async () => {
    const severity = await cli(["issue", "list", "--severity", "SEVERE"]);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/--severity: "SEVERE" is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/);
    const first = await cli(["issue", "list", "--first", "501"]);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/first.*at most 500/);
    const unknown = await cli(["issue", "list", "--colour", "red"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--colour'/);
    expect(sim.requests.list()).toHaveLength(0);
  });

  it("a wrong secret exits 3 with what to do, and never echoes the secret", async () => {
    const wrong = "wrong-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    secrets.push(wrong);
    const run = await cli(["issue", "list"], { env: { WIZ_CLIENT_SECRET: wrong } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/refused the client credentials/);
    expect(run.stderr).toMatch(/what to do: copy the client id and secret again/);
  });

  it("a service account without the scope exits 4 naming the scope", async () => {
    const run = await cli(["vulnerability-finding", "list"], { env: { WIZ_CLIENT_ID: limited.clientId, WIZ_CLIENT_SECRET: limited.clientSecret } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/read:vulnerabilities/);
    expect(run.stderr).toMatch(/Service Accounts/);
    // The camelCase resource name works too.
    const alias = await cli(["vulnerabilityFinding", "list"], { env: { WIZ_CLIENT_ID: limited.clientId, WIZ_CLIENT_SECRET: limited.clientSecret } });
    expect(alias.code).toBe(4);
  });

  it("takes credentials from a profile file (--profile), flags and env vars winning over it", async () => {
    const profiles = join(dir, "profiles.yaml");
    writeFileSync(profiles, `sim:\n  clientId: ${sim.clientId}\n  clientSecret: ${sim.clientSecret}\n  endpoint: ${sim.graphqlUrl}\n  tokenUrl: ${sim.tokenUrl}\n  allowNonWizHosts: true\n`);
    const run = await cli(["issue", "list", "--profile", "sim", "--first", "2", "--output", "json"], { connection: false, env: { WIZBRIDGE_CONFIG: profiles, WIZ_CLIENT_ID: "", WIZ_CLIENT_SECRET: "" } });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { nodes: unknown[] }).nodes).toHaveLength(2);
    const envWins = await cli(["issue", "list", "--profile", "sim"], { connection: false, env: { WIZBRIDGE_CONFIG: profiles, WIZ_CLIENT_ID: limited.clientId, WIZ_CLIENT_SECRET: "not-the-secret-for-this-account" } });
    expect(envWins.code).toBe(3);
    const missing = await cli(["issue", "list", "--profile", "prod"], { connection: false, env: { WIZBRIDGE_CONFIG: profiles } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no profile "prod" .*it has: sim/);
  });

  it("--verbose logs the connection without the secret", async () => {
    const run = await cli(["issue", "list", "--first", "1", "--verbose", "--output", "json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/connection: \{"endpoint":"http:\/\/127\.0\.0\.1/);
    expect(run.stderr).toMatch(/wiz request answered/);
  });

  it("--help documents the flags and the exit codes", async () => {
    const run = await cli(["issue", "list", "--help"], { connection: false });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--status <values>/);
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 {2}success/);
    expect(run.stdout).toMatch(/ {2}4 {2}permission/);
    expect(run.stdout).toMatch(/Wiz scope needed: read:issues/);
  });

  it("test-connection passes every check against the simulator", async () => {
    const run = await cli(["test-connection"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS {2}network/);
    expect(run.stdout).toMatch(/SKIP {2}tls .*plain http/);
    expect(run.stdout).toMatch(/PASS {2}authentication/);
    // One authorization and one data check per pull stream (DEFAULT_FEATURES).
    expect(run.stdout.match(/PASS {2}authorization/g)).toHaveLength(DEFAULT_FEATURES.length);
    expect(run.stdout.match(/PASS {2}data/g)).toHaveLength(DEFAULT_FEATURES.length);
    expect(run.stdout).not.toMatch(/FAIL/);
  });

  it("test-connection --config checks a connector's connection and its streams' features; a missing --connector is named", async () => {
    const config = join(dir, "two-connectors.yaml");
    const connector = (id: string, streams: string) =>
      [`  - id: ${id}`, `    connection: {clientId: ${sim.clientId}, clientSecret: "\${WIZ_CLIENT_SECRET}", endpoint: ${sim.graphqlUrl}, tokenUrl: ${sim.tokenUrl}, allowNonWizHosts: true}`, "    sinks: [out]", `    streams: {${streams}}`].join("\n");
    writeFileSync(config, ["connectors:", connector("a", "issues: true, projects: true, threats: true"), connector("b", "issues: true"), "sinks:", "  out: {type: stdout}"].join("\n"));
    const run = await cli(["test-connection", "--config", config, "--connector", "a"], { connection: false });
    expect(run.code, run.stderr).toBe(0);
    // issues, projects and threats: every stream of connector a has a probe now.
    expect(run.stdout.match(/PASS {2}data/g)).toHaveLength(3);
    expect(run.stderr).not.toMatch(/no probe of its own/);
    const ambiguous = await cli(["test-connection", "--config", config], { connection: false });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/has 2 connectors[\s\S]*--connector <id>: a, b/);
  });

  it("test-connection fails, exits non-zero and names the scope to grant for a scope-limited account", async () => {
    const run = await cli(["test-connection", "--output", "json"], { env: { WIZ_CLIENT_ID: limited.clientId, WIZ_CLIENT_SECRET: limited.clientSecret } });
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: Array<{ check: string; subject: string; status: string; fix?: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.check === "authorization" && c.subject === "issues")?.status).toBe("pass");
    const vulns = report.checks.find((c) => c.check === "authorization" && c.subject === "vulnerabilityFindings");
    expect(vulns).toMatchObject({ status: "fail", fix: expect.stringMatching(/grant read:vulnerabilities/) });
    const text = await cli(["test-connection"], { env: { WIZ_CLIENT_ID: limited.clientId, WIZ_CLIENT_SECRET: limited.clientSecret } });
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/FAIL {2}authorization +detections +.*\n +fix: grant read:detections/);
  });

  it("never prints a client secret, in any run above", () => {
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) for (const secret of secrets) expect(`${run.stdout}\n${run.stderr}`).not.toContain(secret);
  });
});
