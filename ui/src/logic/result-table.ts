/** A result shown as a table: column names and rows of display strings. */
export interface ResultTable {
  columns: string[];
  rows: string[][];
}

const MAX_COLUMNS = 12;

/** The list inside an operation's result (an array, or a page's `nodes`), or undefined when it is not a list. */
export function rowsOf(result: unknown): unknown[] | undefined {
  if (Array.isArray(result)) return result;
  if (result && typeof result === "object") {
    const nodes = (result as { nodes?: unknown }).nodes;
    if (Array.isArray(nodes)) return nodes;
  }
  return undefined;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * An operation's result as a table: a list's rows with the union of their keys as columns, or a single object
 * as key/value rows. Nested values are shown as JSON; the JSON view shows everything.
 */
export function resultTable(result: unknown): ResultTable {
  const rows = rowsOf(result);
  if (rows) {
    const columns: string[] = [];
    for (const row of rows) {
      if (row && typeof row === "object" && !Array.isArray(row)) for (const key of Object.keys(row)) if (!columns.includes(key) && columns.length < MAX_COLUMNS) columns.push(key);
    }
    if (columns.length === 0) return { columns: ["value"], rows: rows.map((r) => [cell(r)]) };
    return { columns, rows: rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c]))) };
  }
  if (result && typeof result === "object") return { columns: ["field", "value"], rows: Object.entries(result).map(([k, v]) => [k, cell(v)]) };
  return { columns: ["value"], rows: [[cell(result)]] };
}
