import { cellText, type ReportCell, type WorkflowReport } from "./workflow-report.js";

/**
 * The report's tables as one RFC 4180 CSV: a `table` column says which table a row is from, the other
 * columns are the union of the tables' columns, and a link cell adds a `<column> url` column, so a
 * spreadsheet gets every row of every table with one header.
 */
export function renderCsvReport(report: WorkflowReport): string {
  const columns: string[] = [];
  const add = (name: string): void => {
    if (!columns.includes(name)) columns.push(name);
  };
  for (const table of report.tables) {
    table.columns.forEach((column, i) => {
      add(column);
      if (table.rows.some((row) => isLink(row[i] ?? null))) add(`${column} url`);
    });
  }
  const lines = [["table", ...columns].map(csvField).join(",")];
  for (const table of report.tables) {
    for (const row of table.rows) {
      const values = new Map<string, string>();
      table.columns.forEach((column, i) => {
        const cell = row[i] ?? null;
        values.set(column, cellText(cell));
        if (isLink(cell)) values.set(`${column} url`, cell.href);
      });
      lines.push([table.title, ...columns.map((c) => values.get(c) ?? "")].map(csvField).join(","));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

function isLink(cell: ReportCell): cell is { text: string; href: string } {
  return cell !== null && typeof cell === "object";
}

// A leading = + - @ would run as a formula in a spreadsheet: Wiz text is not trusted to be harmless.
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
