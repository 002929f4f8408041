import { renderCsvReport } from "./csv-report.js";
import { renderHtmlReport } from "./html-report.js";
import { renderJsonReport } from "./json-report.js";
import { renderMarkdownReport } from "./markdown-report.js";
import type { WorkflowReport } from "./workflow-report.js";

export const REPORT_FORMATS = ["markdown", "json", "csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report in the format a user asked for (`--format`, or a job's `report.format`). */
export function renderReport(report: WorkflowReport, format: ReportFormat): string {
  switch (format) {
    case "markdown":
      return renderMarkdownReport(report);
    case "json":
      return renderJsonReport(report);
    case "csv":
      return renderCsvReport(report);
    case "html":
      return renderHtmlReport(report);
  }
}
