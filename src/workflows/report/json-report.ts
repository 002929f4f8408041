import type { WorkflowReport } from "./workflow-report.js";

/** The report as JSON: the summary, the tables and the workflow's structured result, for scripts. */
export function renderJsonReport(report: WorkflowReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
