import { severityChartSvg } from "./severity-chart-svg.js";
import type { ReportCell, WorkflowReport } from "./workflow-report.js";

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2937; max-width: 72rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
.meta { color: #6b7280; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }
th, td { border: 1px solid #d1d5db; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.num { text-align: right; }
.note { color: #6b7280; font-style: italic; }
`;

/**
 * The report as one self-contained HTML page: inline CSS, the severity chart as inline SVG, no script
 * and nothing fetched from elsewhere, so it can be mailed, archived or opened offline as it is.
 */
export function renderHtmlReport(report: WorkflowReport): string {
  const parts = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="meta">${escapeHtml(report.workflow)}, generated ${escapeHtml(report.generatedAt)}</p>`,
    `<ul class="summary">${report.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`,
  ];
  if (report.severityCounts) parts.push("<section><h2>Severity</h2>", severityChartSvg(report.severityCounts), "</section>");
  for (const table of report.tables) {
    parts.push(`<section><h2>${escapeHtml(table.title)}</h2>`);
    if (table.rows.length > 0) {
      parts.push("<table>", `<thead><tr>${table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>`, "<tbody>");
      for (const row of table.rows) parts.push(`<tr>${row.map(htmlCell).join("")}</tr>`);
      parts.push("</tbody></table>");
    }
    if (table.note) parts.push(`<p class="note">${escapeHtml(table.note)}</p>`);
    parts.push("</section>");
  }
  parts.push("</main>", "</body>", "</html>");
  return `${parts.join("\n")}\n`;
}

function htmlCell(cell: ReportCell): string {
  if (typeof cell === "number") return `<td class="num">${cell}</td>`;
  if (cell === null) return "<td></td>";
  if (typeof cell === "object") return `<td>${safeHref(cell.href) ? `<a href="${escapeHtml(cell.href)}">${escapeHtml(cell.text)}</a>` : escapeHtml(cell.text)}</td>`;
  return `<td>${escapeHtml(cell)}</td>`;
}

// Only web links: a javascript: URL in Wiz data must not become clickable.
function safeHref(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}
