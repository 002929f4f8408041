import { SEVERITY_ORDER, type SeverityTotals } from "./workflow-report.js";

/** Wiz's portal colours per severity, so the chart reads like the portal. */
const COLOURS: Readonly<Record<keyof SeverityTotals, string>> = {
  CRITICAL: "#b3261e",
  HIGH: "#e8590c",
  MEDIUM: "#f2b705",
  LOW: "#3b82f6",
  INFORMATIONAL: "#6b7280",
};

/**
 * A horizontal bar chart of the severity counts as inline SVG: no script, font or image to fetch, so
 * the HTML report stays one self-contained file that mail clients and offline readers show as is.
 */
export function severityChartSvg(totals: SeverityTotals): string {
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 120;
  const barSpace = 300;
  const width = labelWidth + barSpace + 70;
  const height = SEVERITY_ORDER.length * (barHeight + gap) + gap;
  const max = Math.max(1, ...SEVERITY_ORDER.map((s) => totals[s]));
  const total = SEVERITY_ORDER.reduce((sum, s) => sum + totals[s], 0);
  const bars = SEVERITY_ORDER.map((severity, i) => {
    const y = gap + i * (barHeight + gap);
    const count = totals[severity];
    const length = count === 0 ? 0 : Math.max(2, Math.round((count / max) * barSpace));
    return [
      `<g data-severity="${severity}">`,
      `<text x="${labelWidth - 8}" y="${y + barHeight / 2}" text-anchor="end" dominant-baseline="middle">${severity}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" rx="3" fill="${COLOURS[severity]}"><title>${severity}: ${count}</title></rect>`,
      `<text x="${labelWidth + length + 6}" y="${y + barHeight / 2}" dominant-baseline="middle">${count}</text>`,
      "</g>",
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="severity-chart" role="img" aria-labelledby="severity-chart-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<title id="severity-chart-title">Issues by severity: ${SEVERITY_ORDER.map((s) => `${s} ${totals[s]}`).join(", ")} (total ${total})</title>`,
    ...bars,
    "</svg>",
  ].join("\n");
}
