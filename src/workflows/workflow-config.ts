import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { actionConfigSchema, type ActionConfig } from "./actions/action-config.js";
import { notifierConfigSchema, type NotifierConfig } from "./notify/notifier-config.js";
import { REPORT_FORMATS, type ReportFormat } from "./report/render-report.js";
import { findWorkflow, WORKFLOW_NAMES } from "./workflow-catalogue.js";
import { parseWorkflowSchedule, type WorkflowSchedule } from "./workflow-schedule.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const nameKey = z.string().regex(NAME, "names are letters, digits, '.', '_' or '-'");

const jobSchema = z.strictObject({
  id: nameKey,
  workflow: z.enum(WORKFLOW_NAMES),
  /** The connector whose Wiz tenant the job runs against; may be left out when there is one. */
  connector: z.string().min(1).optional(),
  /** Cron (UTC) or interval; without one the job only runs by hand (`wizbridge workflow job <id>`). */
  schedule: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  parameters: z.record(z.string(), z.unknown()).default({}),
  notify: z.array(z.string().min(1)).default([]),
  report: z.strictObject({ format: z.enum(REPORT_FORMATS).default("markdown"), out: z.string().min(1).optional() }).optional(),
  /** Run the job as a dry run every time (try a threat-response route before letting it act). */
  dryRun: z.boolean().default(false),
});

/** The `workflows:` section of the config file, as written. */
export const workflowsConfigSchema = z.strictObject({
  notifiers: z.record(nameKey, notifierConfigSchema).default({}),
  actions: z.record(nameKey, actionConfigSchema).default({}),
  jobs: z.array(jobSchema).default([]),
});

export const WORKFLOW_CONFIG_KEYS = Object.keys(workflowsConfigSchema.shape);
export const WORKFLOW_JOB_KEYS = Object.keys(jobSchema.shape);

/** A job after checking: its connector named, its schedule parsed, its parameters valid for its workflow. */
export interface WorkflowJob {
  id: string;
  workflow: string;
  connector: string;
  schedule?: WorkflowSchedule;
  enabled: boolean;
  /** As written (the workflow parses them again when it runs, with its defaults). */
  parameters: Record<string, unknown>;
  notify: string[];
  report: { format: ReportFormat; out?: string };
  dryRun: boolean;
}

export interface WorkflowsConfig {
  notifiers: Record<string, NotifierConfig>;
  actions: Record<string, ActionConfig>;
  jobs: WorkflowJob[];
}

export interface WorkflowConfigProblem {
  path: string;
  message: string;
}

/**
 * Checks what the schema cannot: job ids unique, connectors and notifiers that exist, schedules that parse,
 * parameters valid for the job's workflow, threat-response routes naming defined actions. Relative paths
 * (report.out, an smtp caFile, an action's cwd) resolve against the config file's directory.
 */
export function resolveWorkflowsConfig(
  file: z.output<typeof workflowsConfigSchema>,
  context: { connectorIds: readonly string[]; baseDir: string },
  problems: WorkflowConfigProblem[],
): WorkflowsConfig {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(context.baseDir, p));
  const notifiers = Object.fromEntries(
    Object.entries(file.notifiers).map(([name, spec]) => [name, spec.type === "smtp" && spec.caFile ? { ...spec, caFile: at(spec.caFile) } : spec]),
  ) as Record<string, NotifierConfig>;
  const actions = Object.fromEntries(
    Object.entries(file.actions).map(([name, spec]) => [name, spec.type === "command" && spec.cwd ? { ...spec, cwd: at(spec.cwd) } : spec]),
  ) as Record<string, ActionConfig>;
  const jobs: WorkflowJob[] = [];
  const seen = new Set<string>();
  file.jobs.forEach((job, i) => {
    const base = `workflows.jobs[${i}]`;
    if (seen.has(job.id)) problems.push({ path: `${base}.id`, message: `"${job.id}" is used by another job; give each job its own id.` });
    seen.add(job.id);
    const connector = job.connector ?? (context.connectorIds.length === 1 ? context.connectorIds[0] : undefined);
    if (connector === undefined) problems.push({ path: `${base}.connector`, message: `name the connector whose Wiz tenant the job uses (one of: ${context.connectorIds.join(", ")}).` });
    else if (!context.connectorIds.includes(connector)) problems.push({ path: `${base}.connector`, message: `no connector "${connector}"; use one of: ${context.connectorIds.join(", ")}.` });
    let schedule: WorkflowSchedule | undefined;
    if (job.schedule !== undefined) {
      try {
        schedule = parseWorkflowSchedule(job.schedule);
      } catch (error) {
        problems.push({ path: `${base}.schedule`, message: error instanceof Error ? error.message : String(error) });
      }
    }
    job.notify.forEach((name, j) => {
      if (!(name in notifiers)) {
        const known = Object.keys(notifiers);
        problems.push({ path: `${base}.notify[${j}]`, message: `no notifier "${name}" under workflows.notifiers${known.length ? `; defined: ${known.join(", ")}` : "; define it there (slack, teams, webhook or smtp)"}.` });
      }
    });
    const definition = findWorkflow(job.workflow);
    const parsed = definition?.parameters.safeParse(job.parameters);
    if (definition && parsed && !parsed.success) {
      const known = Object.keys((definition.parameters as unknown as { shape: Record<string, unknown> }).shape).join(", ");
      for (const issue of parsed.error.issues) {
        const path = `${base}.parameters${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
        if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
          for (const key of issue.keys) problems.push({ path: `${path}.${key}`, message: `is not a parameter of ${job.workflow}; its parameters are ${known}.` });
        } else {
          problems.push({ path, message: `${issue.message.replace(/^Invalid input: /, "")}.` });
        }
      }
    }
    if (job.workflow === "threat-response" && parsed?.success) {
      const routes = (parsed.data as { routes: Record<string, string> }).routes;
      for (const [platform, action] of Object.entries(routes)) {
        if (!(action in actions)) {
          const known = Object.keys(actions);
          problems.push({ path: `${base}.parameters.routes.${platform}`, message: `no action "${action}" under workflows.actions${known.length ? `; defined: ${known.join(", ")}` : "; define it there (type command or webhook)"}.` });
        }
      }
    }
    if (connector === undefined) return;
    jobs.push({
      id: job.id,
      workflow: job.workflow,
      connector,
      ...(schedule ? { schedule } : {}),
      enabled: job.enabled,
      parameters: job.parameters,
      notify: job.notify,
      report: { format: job.report?.format ?? "markdown", ...(job.report?.out ? { out: at(job.report.out) } : {}) },
      dryRun: job.dryRun,
    });
  });
  return { notifiers, actions, jobs };
}
