import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/workflows/report/render-report.js";
import type { WorkflowReport } from "../../src/workflows/report/workflow-report.js";

const report: WorkflowReport = {
  workflow: "asset-sweep",
  title: "Wiz asset risk: <script>alert(1)</script>",
  generatedAt: "2026-01-01T07:00:00.000Z",
  summary: ["3 issues | 1 finding"],
  severityCounts: { CRITICAL: 2, HIGH: 1, MEDIUM: 0, LOW: 0, INFORMATIONAL: 4 },
  tables: [
    {
      title: "Issues",
      columns: ["Issue", "Severity"],
      rows: [
        [{ text: "Bucket | public", href: "https://app.wiz.io/issues#~(issue~'i-1)" }, "CRITICAL"],
        [{ text: "Sneaky", href: "javascript:alert(1)" }, "HIGH"],
      ],
    },
    { title: "Vulnerability findings", columns: ["Vulnerability", "Package", "Score"], rows: [["CVE-2024-1", '=HYPERLINK("x"),"quoted"', 9.8]], note: "1 more not shown." },
  ],
  data: { resourceId: "r-1" },
};

describe("report renderers", () => {
  it("HTML is one self-contained page: inline style and SVG chart, nothing fetched, no script, Wiz text escaped", () => {
    const html = renderReport(report, "html");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // The chart: one bar per severity with its count, and a title for screen readers.
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="severity-chart" role="img"');
    expect(html).toMatch(/<title id="severity-chart-title">Issues by severity: CRITICAL 2, HIGH 1, MEDIUM 0, LOW 0, INFORMATIONAL 4 \(total 7\)<\/title>/);
    expect(html.match(/<g data-severity=/g)).toHaveLength(5);
    // Only web links are clickable.
    expect(html).toContain(`<a href="https://app.wiz.io/issues#~(issue~&#39;i-1)">Bucket | public</a>`);
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<td class="num">9.8</td>');
  });

  it("Markdown keeps tables intact when Wiz text holds pipes", () => {
    const md = renderReport(report, "markdown");
    expect(md).toContain("# Wiz asset risk: &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(md).toContain("| CRITICAL | 2 |");
    expect(md).toContain("| [Bucket \\| public](https://app.wiz.io/issues#~%28issue~'i-1%29) | CRITICAL |");
    expect(md).toContain("| Sneaky | HIGH |");
    expect(md).toContain("_1 more not shown._");
  });

  it("CSV: one header over every table, link columns, RFC 4180 quoting and no spreadsheet formulas", () => {
    const csv = renderReport(report, "csv");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("table,Issue,Issue url,Severity,Vulnerability,Package,Score");
    expect(lines[1]).toBe("Issues,Bucket | public,https://app.wiz.io/issues#~(issue~'i-1),CRITICAL,,,");
    expect(lines[3]).toBe(`Vulnerability findings,,,,CVE-2024-1,"'=HYPERLINK(""x""),""quoted""",9.8`);
  });

  it("JSON carries the summary, the tables and the structured data", () => {
    const parsed = JSON.parse(renderReport(report, "json")) as WorkflowReport;
    expect(parsed).toEqual(report);
  });
});
