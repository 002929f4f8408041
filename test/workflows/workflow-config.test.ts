import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Simulator } from "../../src/sim/index.js";
import { ConfigError } from "../../src/sync/config-error.js";
import { buildSyncConfig, loadSyncConfigFile } from "../../src/sync/config-loader.js";
import { WizFilterValidator } from "../../src/sync/filter-validator.js";
import { openSyncSession } from "../../src/sync/sync-session.js";
import { loadWizSchema } from "../../src/sync/wiz-schema-file.js";
import { WORKFLOW_NAMES, WORKFLOWS } from "../../src/workflows/workflow-catalogue.js";
import type { WorkflowJob } from "../../src/workflows/workflow-config.js";
import type { WorkflowRunResult } from "../../src/workflows/workflow-runner.js";
import { runScheduledWorkflows } from "../../src/workflows/workflow-scheduler.js";
import { SimSession } from "../support/sim-session.js";
import { silentLogger, simConnection, startReceiver, startWorkflowSimulator, tempDir } from "./workflow-harness.js";

const validator = new WizFilterValidator(loadWizSchema());

/** A config file's content: one connector on the simulator, a JSONL sink, and the given workflows section. */
function configOf(sim: Simulator, dir: string, workflows: unknown): Record<string, unknown> {
  return {
    dataDir: join(dir, "data"),
    connectors: [{ id: "sim", connection: simConnection(sim), rateLimit: { requestsPerSecond: 0 }, sinks: ["events"], streams: { issues: { schedule: "1d" } } }],
    sinks: { events: { type: "jsonl", directory: join(dir, "events") } },
    workflows,
  };
}

describe("the workflows section of the config file", () => {
  let sim: Simulator;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    sim = await startWorkflowSimulator();
    dir = tempDir("wizbridge-workflow-config-");
  });
  afterAll(async () => {
    await sim.close();
    dir.cleanup();
  });

  it("offers every workflow of the catalogue as a job's workflow", () => {
    expect(WORKFLOWS.map((w) => w.name)).toEqual([...WORKFLOW_NAMES]);
  });

  it("names every mistake by its key: unknown notifier, action, connector, schedule, parameter and section key", () => {
    const raw = configOf(sim, dir.dir, {
      notifiers: { chat: { type: "slack", url: "https://hooks.slack.com/services/T/B/X" } },
      actions: { isolate: { type: "command", command: ["/opt/isolate.sh"] } },
      jobs: [
        { id: "triage", workflow: "triage-digest", schedule: "0 7 * *", notify: ["chatt"], parameters: { severity: ["CRITICAL"] } },
        { id: "respond", workflow: "threat-response", connector: "prod", parameters: { routes: { AWS: "isolat" } } },
        { id: "triage", workflow: "evidence", parameters: { issueId: "x" } },
      ],
      job: [],
    });
    const error = (() => {
      try {
        buildSyncConfig(raw, { baseDir: dir.dir, validator, source: "wizbridge.yaml" });
        return undefined;
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    // The section's keys are checked first, with a suggestion.
    expect(error?.problems).toEqual([{ path: "workflows.job", message: 'is not a known key; did you mean "jobs"? Known keys here: notifiers, actions, jobs.' }]);
    delete (raw.workflows as Record<string, unknown>).job;
    const second = (() => {
      try {
        buildSyncConfig(raw, { baseDir: dir.dir, validator, source: "wizbridge.yaml" });
        return undefined;
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(second?.problems).toEqual([
      { path: "workflows.jobs[0].schedule", message: '"0 7 * *" is not a schedule: use a cron expression in UTC ("0 7 * * *", "*/5 * * * *") or an interval (30s, 5m, 1h, 1d).' },
      { path: "workflows.jobs[0].notify[0]", message: 'no notifier "chatt" under workflows.notifiers; defined: chat.' },
      { path: "workflows.jobs[0].parameters.severity", message: "is not a parameter of triage-digest; its parameters are statuses, severities, project, limit, notifyWhenClear." },
      { path: "workflows.jobs[1].connector", message: 'no connector "prod"; use one of: sim.' },
      { path: "workflows.jobs[1].parameters.routes.AWS", message: 'no action "isolat" under workflows.actions; defined: isolate.' },
      { path: "workflows.jobs[2].id", message: '"triage" is used by another job; give each job its own id.' },
    ]);
  });

  it("a scheduled job fires on its cron inside the main job's session, on a driven clock, and posts its digest", async () => {
    const receiver = await startReceiver();
    const path = join(dir.dir, "wizbridge.yaml");
    writeFileSync(
      path,
      stringify(
        configOf(sim, dir.dir, {
          notifiers: { chat: { type: "slack", url: `${receiver.url}/services/T/B/secret` } },
          jobs: [
            { id: "morning", workflow: "triage-digest", schedule: "*/5 * * * *", notify: ["chat"], parameters: { notifyWhenClear: true }, report: { format: "html", out: "reports/triage-{date}-{time}.html" } },
            { id: "by-hand", workflow: "triage-digest" },
          ],
        }),
      ),
    );
    const config = loadSyncConfigFile(path, { validator, env: {} });
    expect(config.workflows?.jobs.map((j) => [j.id, j.connector, j.schedule?.source ?? null])).toEqual([
      ["morning", "sim", "*/5 * * * *"],
      ["by-hand", "sim", null],
    ]);
    const session = await openSyncSession(config, silentLogger);
    // The clock: 06:58:30; every sleep moves it forward at once, so the test waits for nothing.
    let now = Date.parse("2026-01-01T06:58:30.000Z");
    const slept: number[] = [];
    const stop = new AbortController();
    const runs: Array<{ at: string; outcome: WorkflowRunResult | Error; job: WorkflowJob }> = [];
    try {
      await runScheduledWorkflows({
        config,
        session,
        logger: silentLogger,
        signal: stop.signal,
        now: () => now,
        sleep: async (ms, signal) => {
          if (signal?.aborted) throw new Error("stopped");
          slept.push(ms);
          now += ms;
        },
        onRun: (job, outcome) => {
          runs.push({ at: new Date(now).toISOString(), outcome, job });
          if (runs.length === 2) stop.abort();
        },
      });
    } finally {
      await session.close();
    }
    // Not at start-up: at 07:00 and 07:05, the cron's minutes.
    expect(slept).toEqual([90_000, 300_000]);
    expect(runs.map((r) => [r.job.id, r.at])).toEqual([
      ["morning", "2026-01-01T07:00:00.000Z"],
      ["morning", "2026-01-01T07:05:00.000Z"],
    ]);
    const first = runs[0]?.outcome as WorkflowRunResult;
    expect(first).not.toBeInstanceOf(Error);
    expect(first.outFile).toBe(join(dir.dir, "reports", "triage-2026-01-01-070000.html"));
    expect(first.deliveries).toEqual([{ notifier: "chat", title: first.report.title, ok: true }]);
    expect(receiver.requests).toHaveLength(2);
    const counts = await new SimSession(sim).data<{ issuesV2: { criticalSeverityCount: number } }>("{ issuesV2(filterBy: {status: [OPEN, IN_PROGRESS]}) { criticalSeverityCount } }");
    expect(first.report.severityCounts?.CRITICAL).toBe(counts.issuesV2.criticalSeverityCount);
    await receiver.close();
  });
});
