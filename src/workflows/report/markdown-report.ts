import { SEVERITY_ORDER, type ReportCell, type WorkflowReport } from "./workflow-report.js";

/** The report as GitHub-flavoured Markdown: readable as text, renders in chat tools and tickets. */
export function renderMarkdownReport(report: WorkflowReport): string {
  const lines = [`# ${escapeText(report.title)}`, "", `_${report.workflow}, ${report.generatedAt}_`, ""];
  for (const line of report.summary) lines.push(`- ${escapeText(line)}`);
  if (report.severityCounts) {
    lines.push("", "| Severity | Count |", "|---|---:|");
    for (const severity of SEVERITY_ORDER) lines.push(`| ${severity} | ${report.severityCounts[severity]} |`);
  }
  for (const table of report.tables) {
    lines.push("", `## ${escapeText(table.title)}`, "");
    if (table.rows.length > 0) {
      lines.push(`| ${table.columns.map(escapeCell).join(" | ")} |`, `|${table.columns.map(() => "---").join("|")}|`);
      for (const row of table.rows) lines.push(`| ${row.map(markdownCell).join(" | ")} |`);
    }
    if (table.note) lines.push("", `_${escapeText(table.note)}_`);
  }
  return `${lines.join("\n")}\n`;
}

function markdownCell(cell: ReportCell): string {
  if (cell !== null && typeof cell === "object") {
    // Only web links become links; parentheses and spaces would end a Markdown link early.
    if (!/^https?:\/\//i.test(cell.href)) return escapeCell(cell.text);
    return `[${escapeCell(cell.text)}](${cell.href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)})`;
  }
  return escapeCell(cell === null ? "" : String(cell));
}

// A pipe or newline would break the table; other markup in Wiz text is shown as written.
function escapeCell(text: string): string {
  return escapeText(text).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function escapeText(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;"));
}
