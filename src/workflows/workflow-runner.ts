import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Notifier } from "./notify/notification.js";
import { renderReport, type ReportFormat } from "./report/render-report.js";
import type { WorkflowReport } from "./report/workflow-report.js";
import type { WorkflowContext, WorkflowDefinition } from "./workflow-definition.js";

/** Parameters a workflow refused, before any Wiz call; the message names each field (exit code 2 on the CLI). */
export class WorkflowInputError extends Error {
  override readonly name = "WorkflowInputError";
}

export interface WorkflowRunSpec {
  parameters: unknown;
  /** Names of notifiers (already created, in `notifiers`). */
  notify: readonly string[];
  format: ReportFormat;
  /** Write the rendered report here (`{date}` and `{time}` are replaced, UTC); otherwise it is only returned. */
  out?: string;
}

export interface NotificationDelivery {
  notifier: string;
  title: string;
  recipients?: string[];
  ok: boolean;
  /** Why it failed, or why it was not sent (a dry run). */
  detail?: string;
}

/** What a run did: the report, where it was written and what each notifier made of it. */
export interface WorkflowRunResult {
  workflow: string;
  report: WorkflowReport;
  rendered: string;
  outFile?: string;
  deliveries: NotificationDelivery[];
}

/** `{date}` -> 2026-01-01 and `{time}` -> 070000 (UTC), so a scheduled job can keep one file per run. */
export function outPathFor(template: string, now: number): string {
  const iso = new Date(now).toISOString();
  return template.replaceAll("{date}", iso.slice(0, 10)).replaceAll("{time}", iso.slice(11, 19).replaceAll(":", ""));
}

/** The parameters checked against the workflow's schema; a WorkflowInputError lists every field at fault. */
export function parseWorkflowParameters(definition: WorkflowDefinition, raw: unknown): unknown {
  const parsed = definition.parameters.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const known = Object.keys((definition.parameters as unknown as { shape: Record<string, unknown> }).shape).join(", ");
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") return `${issue.keys.join(", ")}: not ${issue.keys.length > 1 ? "parameters" : "a parameter"} of ${definition.name} (its parameters are ${known})`;
    return `${path || "parameters"}: ${issue.message.replace(/^Invalid input: /, "")}`;
  });
  return fail(`${definition.name}: ${problems.join("; ")}. Nothing was sent to Wiz.`);
}

function fail(message: string): never {
  throw new WorkflowInputError(message);
}

/**
 * Runs one workflow: parameters checked, the workflow run, the report rendered (and written), then each
 * notification sent to each named notifier. A notifier that fails does not stop the others; a dry run
 * sends nothing and says so.
 */
export async function runWorkflow(definition: WorkflowDefinition, spec: WorkflowRunSpec, context: WorkflowContext, notifiers: ReadonlyMap<string, Notifier>): Promise<WorkflowRunResult> {
  const parameters = parseWorkflowParameters(definition, spec.parameters);
  const missing = spec.notify.filter((name) => !notifiers.has(name));
  if (missing.length > 0) fail(`no notifier ${missing.map((n) => `"${n}"`).join(", ")}; define ${missing.length > 1 ? "them" : "it"} under workflows.notifiers in the config file (defined: ${[...notifiers.keys()].join(", ") || "none"}).`);
  const outcome = await definition.run(parameters, context);
  const rendered = renderReport(outcome.report, spec.format);
  let outFile: string | undefined;
  if (spec.out) {
    outFile = outPathFor(spec.out, context.now());
    await mkdir(dirname(outFile), { recursive: true });
    await writeFile(outFile, rendered, "utf8");
  }
  const deliveries: NotificationDelivery[] = [];
  for (const notification of outcome.notifications) {
    for (const name of spec.notify) {
      const notifier = notifiers.get(name) as Notifier;
      // A digest for named recipients (a project's owners) goes by e-mail only.
      if (notification.recipients && notifier.type !== "smtp") continue;
      const base = { notifier: name, title: notification.title, ...(notification.recipients ? { recipients: notification.recipients } : {}) };
      if (context.dryRun) {
        deliveries.push({ ...base, ok: false, detail: "dry run: not sent" });
        continue;
      }
      try {
        await notifier.send(notification);
        deliveries.push({ ...base, ok: true });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        context.logger.warn({ workflow: definition.name, notifier: name }, detail);
        deliveries.push({ ...base, ok: false, detail });
      }
    }
  }
  return { workflow: definition.name, report: outcome.report, rendered, ...(outFile ? { outFile } : {}), deliveries };
}
