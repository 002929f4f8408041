import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { CliIo } from "../../src/cli/cli-io.js";
import { registerWorkflowCommand } from "../../src/cli/workflow.command.js";
import type { Simulator } from "../../src/sim/index.js";
import { openStore } from "../../src/store/store-database.js";
import { WorkflowHandledRepository } from "../../src/store/workflow-handled.repository.js";
import type { WorkflowReport } from "../../src/workflows/report/workflow-report.js";
import { simConnection, startReceiver, startWorkflowSimulator, tempDir } from "./workflow-harness.js";

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `workflow` command in-process, with its output captured, as `wizbridge workflow ...` runs it. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run: CliRun = { code: 0, stdout: "", stderr: "" };
  const io: CliIo = {
    stdout: { write: (chunk: string) => ((run.stdout += chunk), true), once: () => undefined },
    stderr: { write: (chunk: string) => ((run.stderr += chunk), true), once: () => undefined },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    readStdin: async () => "",
    setExitCode: (code) => {
      run.code = code;
    },
  };
  const program = new Command("wizbridge").exitOverride();
  program.configureOutput({ writeOut: (s) => (run.stdout += s), writeErr: (s) => (run.stderr += s) });
  registerWorkflowCommand(program, io);
  try {
    await program.parseAsync(["node", "wizbridge", ...args]);
  } catch (error) {
    run.code = (error as { exitCode?: number }).exitCode ?? 1;
  }
  return run;
}

describe("wizbridge workflow (the command, against the simulator)", () => {
  let sim: Simulator;
  let dir: ReturnType<typeof tempDir>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let config: string;
  const slackSecretPath = "/services/T0/B0/cli-slack-secret-path";

  beforeAll(async () => {
    sim = await startWorkflowSimulator();
    dir = tempDir("wizbridge-workflow-cli-");
    receiver = await startReceiver();
    config = join(dir.dir, "wizbridge.yaml");
    writeFileSync(
      config,
      stringify({
        dataDir: join(dir.dir, "data"),
        connectors: [{ id: "sim", connection: { ...simConnection(sim), clientSecret: "${SIM_SECRET}" }, rateLimit: { requestsPerSecond: 0 }, sinks: ["events"], streams: { issues: true } }],
        sinks: { events: { type: "jsonl", directory: join(dir.dir, "events") } },
        workflows: {
          notifiers: { chat: { type: "slack", url: `${receiver.url}${slackSecretPath}` } },
          actions: { soar: { type: "webhook", url: `${receiver.url}/soar` } },
          jobs: [{ id: "respond", workflow: "threat-response", parameters: { minutes: 43200, severities: ["CRITICAL"], routes: { default: "soar" } }, notify: ["chat"] }],
        },
      }),
    );
  });
  afterAll(async () => {
    await receiver.close();
    await sim.close();
    dir.cleanup();
  });
  beforeEach(() => {
    sim.requests.clear();
  });

  const env = () => ({ SIM_SECRET: sim.clientSecret });

  it("triage-digest --format json prints the report; --notify posts the digest; the exit code is 0", async () => {
    const run = await cli(["workflow", "triage-digest", "--config", config, "--format", "json", "--notify", "chat", "--severity", "CRITICAL", "--severity", "HIGH", "--limit", "5"], env());
    expect(run.stderr).toMatch(/^workflow job triage-digest \(triage-digest\): \d+ issues OPEN or IN_PROGRESS: .* Notifications: chat: sent\.\n$/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as WorkflowReport;
    expect(report.workflow).toBe("triage-digest");
    expect((report.data as { issues: unknown[] }).issues).toHaveLength(5);
    expect(sim.requests.list({ rootField: "issuesV2" })[1]?.variables).toMatchObject({ filterBy: { severity: ["CRITICAL", "HIGH"] }, first: 5 });
    expect(receiver.requests.at(-1)?.path).toBe(slackSecretPath);
  });

  it("works without a config file from the connection flags and env vars, like the operation commands", async () => {
    const out = join(dir.dir, "project.csv");
    const run = await cli(["workflow", "project-report", "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--allow-non-wiz-hosts", "--format", "csv", "--out", out], {
      WIZ_CLIENT_ID: sim.clientId,
      WIZ_CLIENT_SECRET: sim.clientSecret,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`Report: ${out}.`);
    expect(readFileSync(out, "utf8").split("\r\n")[0]).toBe("table,Project,Project url,Business impact,CRITICAL,HIGH,MEDIUM,LOW,INFORMATIONAL,Owners,Security champions");
  });

  it("threat-response --dry-run from the command line: routes shown, nothing acted on, nothing sent, store untouched", async () => {
    const posts = receiver.requests.length;
    const run = await cli(["workflow", "threat-response", "--config", config, "--minutes", "43200", "--route", "default=soar", "--dry-run", "--notify", "chat"], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("# Wiz threat response (dry run):");
    expect(run.stdout).toContain("dry run: would run soar (POST http://127.0.0.1:");
    expect(run.stderr).toContain("chat: dry run: not sent");
    expect(receiver.requests.length).toBe(posts);
    expect(sim.requests.list({ rootField: "updateIssue" })).toEqual([]);
  });

  it("workflow job <id> runs the configured job; a second run acts on nothing (the store remembers)", async () => {
    const first = await cli(["workflow", "job", "respond", "--config", config], env());
    expect(first.code).toBe(0);
    const soar = receiver.requests.filter((r) => r.path === "/soar");
    expect(soar.length).toBeGreaterThan(0);
    expect(first.stderr).toContain(`${soar.length} acted on, 0 failed, 0 already handled`);
    const second = await cli(["workflow", "job", "respond", "--config", config], env());
    expect(second.stderr).toContain(`0 acted on, 0 failed, ${soar.length} already handled`);
    expect(receiver.requests.filter((r) => r.path === "/soar")).toHaveLength(soar.length);
    const store = await openStore(join(dir.dir, "data", "wizbridge.db"));
    try {
      expect(await new WorkflowHandledRepository(store.db).list("threat-response")).toHaveLength(soar.length);
    } finally {
      await store.close();
    }
  });

  it("refuses bad input with exit code 2 before any Wiz call, and never prints a secret", async () => {
    const unknown = await cli(["workflow", "triage-digest", "--config", config, "--params", '{"severity": ["CRITICAL"]}'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: triage-digest: severity: not a parameter of triage-digest (its parameters are statuses, severities, project, limit, notifyWhenClear). Nothing was sent to Wiz.");
    const route = await cli(["workflow", "threat-response", "--config", config, "--route", "AWS"], env());
    expect(route.code).toBe(2);
    expect(route.stderr).toContain("error: --route AWS is not PLATFORM=ACTION.");
    const notifier = await cli(["workflow", "evidence", "00000000-0000-4000-8000-000000000000", "--config", config, "--notify", "teams"], env());
    expect(notifier.code).toBe(2);
    expect(notifier.stderr).toContain('no notifier "teams"; define it under workflows.notifiers in the config file (defined: chat).');
    const missing = await cli(["workflow", "asset-sweep", "arn:aws:s3:::no-such-bucket", "--config", config], env());
    expect(missing.code).toBe(7);
    expect(missing.stderr).toContain("No Wiz cloud resource has the provider id arn:aws:s3:::no-such-bucket");
    expect(sim.requests.list({ rootField: "issuesV2" })).toEqual([]);
    for (const run of [unknown, route, notifier, missing]) {
      expect(run.stderr).not.toContain(sim.clientSecret);
      expect(run.stderr).not.toContain("cli-slack-secret-path");
    }
  });
});
