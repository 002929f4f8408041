import type { Logger } from "pino";
import { portalOriginOf } from "../model/portal-links.js";
import type { StoreDb } from "../store/store-database.js";
import { abortableSleep, WizClient, WizClientCore, type ResolvedConnectionSettings, type Sleep } from "../wiz/index.js";
import type { WorkflowJob, WorkflowsConfig } from "./workflow-config.js";
import { describeRun, runWorkflowJob, type WorkflowJobDeps } from "./workflow-job.js";
import { createWorkflowResources } from "./workflow-resources.js";
import type { WorkflowRunResult } from "./workflow-runner.js";

export interface WorkflowSchedulerOptions {
  /** The loaded config: its `workflows` section and the connectors the jobs name. */
  config: {
    workflows?: WorkflowsConfig;
    connectors: ReadonlyArray<{ id: string; connection: ResolvedConnectionSettings; rateLimit: { requestsPerSecond: number; maxConcurrency: number } }>;
  };
  /** The main job's store and engine: jobs share the tenant's client (rate limiter, token cache) with the pull. */
  session: { store: { db: StoreDb }; engine: { clientFor(connectorId: string): unknown } };
  logger: Logger;
  signal: AbortSignal;
  /** Epoch ms; tests drive the clock. */
  now?: () => number;
  sleep?: Sleep;
  /** Told after each run (or failure), for tests and metrics. */
  onRun?: (job: WorkflowJob, outcome: WorkflowRunResult | Error) => void;
}

/**
 * Runs the config's scheduled workflow jobs until the signal aborts (inside `wizbridge start`). A job runs
 * when its cron or interval comes due, never at start-up and never twice at once; a run that fails is
 * logged and the job waits for its next time.
 */
export async function runScheduledWorkflows(options: WorkflowSchedulerOptions): Promise<void> {
  const jobs = (options.config.workflows?.jobs ?? []).filter((job) => job.enabled && job.schedule);
  if (jobs.length === 0) return;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const resources = createWorkflowResources(options.config.workflows, { now });
  const clients = new Map<string, WizClient>();
  const connectors = new Map(options.config.connectors.map((c) => [c.id, c]));
  const deps: WorkflowJobDeps = {
    clientFor: (id) => {
      let client = clients.get(id);
      if (!client) {
        const core = options.session.engine.clientFor(id);
        const connector = connectors.get(id);
        if (!connector) throw new Error(`workflow job: no connector "${id}" in the config.`);
        client = core instanceof WizClientCore ? new WizClient(core) : new WizClient(connector.connection, { rateLimit: connector.rateLimit, logger: options.logger });
        clients.set(id, client);
      }
      return client;
    },
    portalOriginOf: (id) => portalOriginOf(connectors.get(id)?.connection.endpoint ?? ""),
    db: options.session.store.db,
    resources,
    logger: options.logger,
    now,
    signal: options.signal,
  };
  options.logger.info({ jobs: jobs.map((j) => `${j.id} (${j.workflow}, ${j.schedule?.source})`) }, "workflow jobs scheduled");
  try {
    await Promise.all(jobs.map((job) => scheduleJob(job, deps, options, now, sleep)));
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
    await resources.close();
  }
}

async function scheduleJob(job: WorkflowJob, deps: WorkflowJobDeps, options: WorkflowSchedulerOptions, now: () => number, sleep: Sleep): Promise<void> {
  const schedule = job.schedule;
  if (!schedule) return;
  let after = now();
  while (!options.signal.aborted) {
    const due = schedule.next(after);
    try {
      await sleep(Math.max(0, due - now()), options.signal);
    } catch {
      return;
    }
    if (options.signal.aborted) return;
    try {
      const result = await runWorkflowJob(job, deps);
      options.logger.info({ job: job.id, workflow: job.workflow }, describeRun(job.id, result));
      options.onRun?.(job, result);
    } catch (error) {
      if (options.signal.aborted) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      options.logger.error({ job: job.id, workflow: job.workflow }, `workflow job ${job.id} failed: ${failure.message}; it runs again at its next scheduled time.`);
      options.onRun?.(job, failure);
    }
    // Runs missed while this one ran are skipped, not queued up.
    after = Math.max(due, now());
  }
}
