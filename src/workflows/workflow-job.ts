import type { Logger } from "pino";
import type { StoreDb } from "../store/store-database.js";
import { WorkflowHandledRepository } from "../store/workflow-handled.repository.js";
import type { WizClient } from "../wiz/wiz-client.js";
import { findWorkflow } from "./workflow-catalogue.js";
import type { WorkflowJob } from "./workflow-config.js";
import type { WorkflowResources } from "./workflow-resources.js";
import { runWorkflow, WorkflowInputError, type WorkflowRunResult } from "./workflow-runner.js";
import { wizCallOf } from "./wiz-call-client.js";

/** What a configured job runs with: a client per connector, the store, the notifiers and actions. */
export interface WorkflowJobDeps {
  clientFor(connectorId: string): Pick<WizClient, "run">;
  portalOriginOf(connectorId: string): string;
  /** The store of the ledger; required by threat-response and forensics. */
  db?: StoreDb;
  resources: WorkflowResources;
  logger: Logger;
  now: () => number;
  signal?: AbortSignal;
}

/** Runs one job of the config file (on its schedule, or by hand with `wizbridge workflow job <id>`). */
export async function runWorkflowJob(job: WorkflowJob, deps: WorkflowJobDeps, overrides: { dryRun?: boolean } = {}): Promise<WorkflowRunResult> {
  const definition = findWorkflow(job.workflow);
  if (!definition) throw new WorkflowInputError(`job ${job.id}: there is no workflow "${job.workflow}".`);
  const dryRun = overrides.dryRun ?? job.dryRun;
  if (definition.usesStore && !deps.db) throw new WorkflowInputError(`job ${job.id}: ${definition.name} keeps a ledger in the store; run it with the config's store.`);
  return runWorkflow(
    definition,
    { parameters: job.parameters, notify: job.notify, format: job.report.format, ...(job.report.out ? { out: job.report.out } : {}) },
    {
      // A workflow that changes Wiz by design may do so unless it runs dry; the read-only ones never can.
      call: wizCallOf(deps.clientFor(job.connector), { allowMutations: definition.mutating && !dryRun, ...(deps.signal ? { signal: deps.signal } : {}) }),
      portalOrigin: deps.portalOriginOf(job.connector),
      now: deps.now,
      dryRun,
      ...(deps.db && definition.usesStore ? { handled: new WorkflowHandledRepository(deps.db, deps.now) } : {}),
      actions: deps.resources.actions,
      logger: deps.logger.child({ workflow: definition.name, job: job.id }),
    },
    deps.resources.notifiers,
  );
}

/** One line for logs and the CLI's stderr: the report's first summary lines and the deliveries. */
export function describeRun(jobId: string, result: WorkflowRunResult): string {
  const sent = result.deliveries.map((d) => `${d.notifier}${d.recipients ? ` (${d.recipients.join(", ")})` : ""}: ${d.ok ? "sent" : d.detail}`);
  return `workflow job ${jobId} (${result.workflow}): ${result.report.summary.join(" ")}${result.outFile ? ` Report: ${result.outFile}.` : ""}${sent.length ? ` Notifications: ${sent.join("; ")}.` : ""}`;
}
