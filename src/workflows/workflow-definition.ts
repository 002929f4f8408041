import type { Logger } from "pino";
import type { z } from "zod";
import type { WorkflowHandledRepository } from "../store/workflow-handled.repository.js";
import type { ResponseAction } from "./actions/response-action.js";
import type { Notification } from "./notify/notification.js";
import type { WorkflowReport } from "./report/workflow-report.js";
import type { CallWiz } from "./wiz-call.js";

/** What a workflow runs with; everything is injected so a test runs it against the simulator with a fake clock. */
export interface WorkflowContext {
  /** Every Wiz call, as an OPERATIONS.md request envelope. */
  call: CallWiz;
  /** The tenant's portal (https://app.wiz.io), for deep links. */
  portalOrigin: string;
  /** Epoch ms. */
  now: () => number;
  /** Show what would happen; run no action, change nothing in Wiz or in the store. */
  dryRun: boolean;
  /** The handled ledger (threat-response, forensics); absent when the workflow needs none. */
  handled?: WorkflowHandledRepository;
  /** Response actions by name (`workflows.actions`), for threat-response's routes. */
  actions: ReadonlyMap<string, ResponseAction>;
  logger: Logger;
}

/** A workflow's result: the report (printed, written, mailed) and what to send to the notifiers (possibly nothing). */
export interface WorkflowOutcome {
  report: WorkflowReport;
  notifications: Notification[];
}

/** One workflow of OPERATIONS.md's last section, as a command and a schedulable job. */
export interface WorkflowDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Its parameters (a job's `parameters:`, the command's flags); strict, with defaults. */
  parameters: P;
  /** True when it changes Wiz (an issue status, a forensics copy) unless run dry. */
  mutating: boolean;
  /** True when it keeps a ledger in the store (threat-response, forensics). */
  usesStore: boolean;
  run(parameters: z.output<P>, context: WorkflowContext): Promise<WorkflowOutcome>;
}

/** Keeps a definition's parameter type attached to its run function. */
export function defineWorkflow<P extends z.ZodType>(definition: WorkflowDefinition<P>): WorkflowDefinition<P> {
  return Object.freeze(definition);
}

/** The usual notification of a report: its title, summary and digest items, to every configured channel. */
export function notificationOf(report: WorkflowReport, items: Notification["items"]): Notification {
  return { title: report.title, summary: report.summary, items, report };
}

/** Counts as "1 issue" / "3 issues". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
