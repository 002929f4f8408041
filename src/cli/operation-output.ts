import type { Page } from "../wiz/index.js";
import { writeOut, type CliIo } from "./cli-io.js";
import { PageProgress } from "./page-progress.js";
import { renderRecord, renderTable, renderTableRows, tableLayout, type TableLayout } from "./table-output.js";

export type OutputFormat = "json" | "table";

/** One result: pretty JSON, a table of its records (a list or a page's `nodes`), or one record's fields. */
export async function printResult(result: unknown, format: OutputFormat, limit: number | undefined, io: CliIo): Promise<void> {
  if (format === "json") {
    await writeOut(io.stdout, `${JSON.stringify(limitRows(result, limit), null, 2)}\n`);
    return;
  }
  const rows = rowsOf(result);
  const text = rows ? renderTable(limit === undefined ? rows : rows.slice(0, limit)) : renderRecord(result);
  await writeOut(io.stdout, `${text}\n`);
}

/**
 * Every page, written as it arrives (one page in memory): a JSON array with one record per line, or a
 * table whose columns come from the first page.
 */
export async function printAllPages(pages: AsyncIterable<Page<unknown>>, format: OutputFormat, limit: number | undefined, io: CliIo): Promise<void> {
  const progress = new PageProgress(io.stderr);
  let written = 0;
  let layout: TableLayout | undefined;
  if (format === "json") await writeOut(io.stdout, "[");
  try {
    for await (const page of pages) {
      const nodes = limit === undefined ? page.nodes : page.nodes.slice(0, limit - written);
      progress.clear();
      if (format === "json") {
        const chunk = nodes.map((node, i) => `${written + i === 0 ? "\n" : ",\n"}${JSON.stringify(node)}`).join("");
        if (chunk) await writeOut(io.stdout, chunk);
      } else if (nodes.length > 0) {
        const text = layout ? renderTableRows(nodes, layout) : renderTable(nodes, (layout = tableLayout(nodes)));
        await writeOut(io.stdout, `${text}\n`);
      }
      written += nodes.length;
      progress.page(nodes.length, page.totalCount);
      if (limit !== undefined && written >= limit) break;
    }
  } finally {
    progress.finish();
  }
  if (format === "json") await writeOut(io.stdout, written === 0 ? "]\n" : "\n]\n");
  else if (written === 0) await writeOut(io.stdout, "(no records)\n");
}

export function hintMorePages(result: unknown, io: CliIo): void {
  if (!isRecord(result) || !isRecord(result.pageInfo) || result.pageInfo.hasNextPage !== true) return;
  const rows = rowsOf(result)?.length ?? 0;
  const total = typeof result.totalCount === "number" ? ` of ${result.totalCount}` : "";
  io.stderr.write(`(${rows}${total} records shown; --all follows every page)\n`);
}

/** The records of a result: the result itself when it is a list, else its `nodes`. */
function rowsOf(result: unknown): unknown[] | undefined {
  if (Array.isArray(result)) return result;
  if (isRecord(result) && Array.isArray(result.nodes)) return result.nodes;
  return undefined;
}

function limitRows(result: unknown, limit: number | undefined): unknown {
  if (limit === undefined) return result;
  if (Array.isArray(result)) return result.slice(0, limit);
  if (isRecord(result) && Array.isArray(result.nodes)) return { ...result, nodes: result.nodes.slice(0, limit) };
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
