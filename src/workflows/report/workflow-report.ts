/**
 * What every workflow reports, in one shape the renderers (Markdown, JSON, CSV, HTML) and the notifiers
 * share, so a new workflow gets every output format and channel without writing any of them.
 */

/** A table cell: text or a number, or a link (an issue's portal page). */
export type ReportCell = string | number | null | { text: string; href: string };

export interface ReportTable {
  title: string;
  columns: string[];
  rows: ReportCell[][];
  /** Said under the table when rows were left out (a cap) or there are none. */
  note?: string;
}

/** Wiz's five severities, as severityCounts returns them. */
export interface SeverityTotals {
  CRITICAL: number;
  HIGH: number;
  MEDIUM: number;
  LOW: number;
  INFORMATIONAL: number;
}

export const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"] as const;

export interface WorkflowReport {
  workflow: string;
  title: string;
  /** ISO 8601. */
  generatedAt: string;
  /** What the workflow did, one line each ("3 detections acted on", "dry run: nothing changed"). */
  summary: string[];
  /** Drawn as the chart of the HTML page. */
  severityCounts?: SeverityTotals;
  tables: ReportTable[];
  /** The structured result, as the JSON format and the generic webhook carry it. */
  data: unknown;
}

export function cellText(cell: ReportCell): string {
  if (cell === null) return "";
  if (typeof cell === "object") return cell.text;
  return String(cell);
}

/** `{CRITICAL: 1, ...}` from severityCounts' `criticalSeverityCount`... fields (missing ones count 0). */
export function severityTotalsOf(counts: unknown): SeverityTotals {
  const c = (counts ?? {}) as Record<string, unknown>;
  const n = (key: string): number => (typeof c[key] === "number" ? (c[key] as number) : 0);
  return {
    CRITICAL: n("criticalSeverityCount"),
    HIGH: n("highSeverityCount"),
    MEDIUM: n("mediumSeverityCount"),
    LOW: n("lowSeverityCount"),
    INFORMATIONAL: n("informationalSeverityCount"),
  };
}
