import type { WizRecord } from "../../tenant/types.js";
import { readPage, type ListSource, type SortKey } from "../connection.js";
import type { CompiledFilter } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** What a connection reads: how many records there are and how to build one. */
export interface RecordSource {
  size(): number;
  get(index: number): WizRecord;
}

export interface ConnectionSpec {
  rootField: string;
  collection: RecordSource;
  filter: CompiledFilter;
  sortKeys?: readonly SortKey[];
  orderKey?: string;
  /** Extra lazily computed connection fields (severity counters...), given the list source. */
  extra?: (source: ListSource) => Record<string, () => unknown>;
  /** Page size when the client sends no `first`. */
  defaultFirst?: number;
}

/**
 * A Relay connection over a collection. `nodes`, `edges` and `totalCount` are getters, so graphql-js
 * only materialises records and counts what the query selects.
 */
export function listConnection(context: SimContext, args: ConnectionArgs, spec: ConnectionSpec): Record<string, unknown> {
  const source: ListSource = {
    size: spec.collection.size(),
    matches: spec.filter.matches,
    sortKeys: spec.sortKeys,
    cacheKey: `${spec.filter.key}|order:${spec.orderKey ?? "index"}`,
    version: context.tenant.version(),
  };
  const page = readPage(
    source,
    { first: args.first, after: args.after, rootField: spec.rootField, cap: context.pageCaps[spec.rootField] ?? 500, defaultFirst: spec.defaultFirst ?? 50 },
    context.lists,
  );
  let records: WizRecord[] | undefined;
  const nodes = (): WizRecord[] => {
    if (!records) {
      records = page.indexes.map((i) => spec.collection.get(i));
      context.nodes += records.length;
    }
    return records;
  };
  const repeat = context.repeatCursor && Boolean(args.after);
  const connection: Record<string, unknown> = {
    pageInfo: {
      hasNextPage: repeat ? true : page.hasNextPage,
      endCursor: repeat ? args.after : page.endCursor,
      startCursor: page.startCursor,
      hasPreviousPage: Boolean(args.after),
    },
  };
  const lazy: Record<string, () => unknown> = {
    nodes,
    edges: () => nodes().map((node, position) => ({ cursor: page.cursorOf(position), node })),
    totalCount: () => context.lists.count(source),
    ...spec.extra?.(source),
  };
  for (const [name, compute] of Object.entries(lazy)) Object.defineProperty(connection, name, { get: compute, enumerable: true });
  return connection;
}

/** A sort key over a numeric column. */
export function columnKey(column: ArrayLike<number>, direction: "ASC" | "DESC" | undefined): SortKey {
  return { value: (i) => column[i] as number, direction: direction === "DESC" ? -1 : 1 };
}
