/** Columns people look for first in Wiz records, in this order; others follow as they appear. */
const PREFERRED_COLUMNS = [
  "id",
  "name",
  "title",
  "type",
  "status",
  "severity",
  "entitySnapshot.name",
  "vulnerableAsset.name",
  "primaryResource.name",
  "sourceRule.name",
  "cloudPlatform",
  "region",
  "createdAt",
  "updatedAt",
  "dueAt",
];
const MAX_CELL = 40;
const SAMPLE_ROWS = 50;

/** The main columns of a list: preferred fields present in the records, then other scalar fields, at most `max`. */
export function tableColumns(rows: readonly unknown[], max = 7): string[] {
  const present = new Set<string>();
  for (const row of rows.slice(0, SAMPLE_ROWS)) {
    if (!isRecord(row)) continue;
    for (const [key, value] of Object.entries(row)) {
      if (isScalar(value)) present.add(key);
      else if (isRecord(value) && isScalar(value.name)) present.add(`${key}.name`);
    }
  }
  const preferred = PREFERRED_COLUMNS.filter((column) => present.has(column));
  const others = [...present].filter((column) => !preferred.includes(column) && !column.includes("."));
  return [...preferred, ...others].slice(0, max);
}

/** Columns, their headers and widths; fixed by the first page so later pages line up under it. */
export interface TableLayout {
  columns: readonly string[];
  headers: readonly string[];
  widths: readonly number[];
}

export function tableLayout(rows: readonly unknown[], columns: readonly string[] = tableColumns(rows)): TableLayout {
  const headers = columns.map(columnHeader);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => cell(valueAt(row, columns[i] ?? "")).length)));
  return { columns, headers, widths };
}

/** A plain-text table with a header row; cells are cut at 40 characters so rows stay on one line. */
export function renderTable(rows: readonly unknown[], layout: TableLayout = tableLayout(rows)): string {
  if (rows.length === 0) return "(no records)";
  if (layout.columns.length === 0) return rows.map((row) => JSON.stringify(row)).join("\n");
  return [tableLine(layout.headers, layout), tableLine(layout.widths.map((w) => "-".repeat(w)), layout), renderTableRows(rows, layout)].join("\n");
}

/** Rows only, in a layout made earlier: the later pages of `--all`. */
export function renderTableRows(rows: readonly unknown[], layout: TableLayout): string {
  return rows.map((row) => tableLine(layout.columns.map((column, i) => cell(valueAt(row, column), layout.widths[i])), layout)).join("\n");
}

function tableLine(values: readonly string[], layout: TableLayout): string {
  return values
    .map((v, i) => v.padEnd(layout.widths[i] ?? 0))
    .join("  ")
    .trimEnd();
}

/** One object as `key  value` lines (a `get` result, a mutation's answer). */
export function renderRecord(record: unknown): string {
  if (!isRecord(record)) return cell(record, Infinity);
  const entries = Object.entries(record);
  if (entries.length === 0) return "(empty)";
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${key.padEnd(width)}  ${cell(value, 100)}`).join("\n");
}

/** `createdAt` -> `CREATED_AT`, `entitySnapshot.name` -> `ENTITY_SNAPSHOT`: the object stands for its name. */
function columnHeader(column: string): string {
  return column
    .replace(/\.name$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/\./g, "_")
    .toUpperCase();
}

function valueAt(row: unknown, column: string): unknown {
  let value: unknown = row;
  for (const key of column.split(".")) value = isRecord(value) ? value[key] : undefined;
  return value;
}

function cell(value: unknown, max = MAX_CELL): string {
  const text = formatValue(value).replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (isScalar(value)) return String(value);
  if (Array.isArray(value)) return value.every(isScalar) ? value.join(",") : value.map((item) => (isRecord(item) && isScalar(item.name) ? String(item.name) : JSON.stringify(item))).join(",");
  if (isRecord(value) && isScalar(value.name)) return String(value.name);
  return JSON.stringify(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
