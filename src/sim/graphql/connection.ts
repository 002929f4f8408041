import { wizError } from "./wiz-graphql-error.js";

/** One ordering key over a column; ties always break on the record index so order is total and stable. */
export interface SortKey {
  value: (index: number) => number;
  direction: 1 | -1;
}

/** A filtered, ordered view over a collection; `cacheKey` names the filter and order (not the page). */
export interface ListSource {
  size: number;
  matches: (index: number) => boolean;
  /** Undefined: insertion (index) order. */
  sortKeys?: readonly SortKey[];
  cacheKey: string;
  version: number;
}

export interface PageRequest {
  first?: number | null;
  after?: string | null;
  rootField: string;
  cap: number;
  defaultFirst: number;
}

export interface Page {
  indexes: number[];
  hasNextPage: boolean;
  endCursor: string | null;
  startCursor: string | null;
  cursorOf: (position: number) => string;
}

interface DecodedCursor {
  keys: number[];
  index: number;
}

/**
 * Matched-index lists per (filter, order, tenant version). A sync asks for the same filter page after
 * page, so ordering and counting a large tenant happens once per change, not once per page.
 */
export class ListCache {
  private readonly sorted = new Map<string, Int32Array>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = 64) {}

  sortedMatches(source: ListSource): Int32Array {
    const key = `${source.version}|${source.cacheKey}`;
    const hit = this.sorted.get(key);
    if (hit) return hit;
    const matched: number[] = [];
    for (let i = 0; i < source.size; i += 1) if (source.matches(i)) matched.push(i);
    const list = Int32Array.from(matched);
    const keys = source.sortKeys ?? [];
    list.sort((a, b) => compareIndexes(keys, a, b));
    remember(this.sorted, key, list, this.capacity);
    return list;
  }

  count(source: ListSource): number {
    const key = `${source.version}|${source.cacheKey}`;
    const hit = this.counts.get(key);
    if (hit !== undefined) return hit;
    let n = 0;
    for (let i = 0; i < source.size; i += 1) if (source.matches(i)) n += 1;
    remember(this.counts, key, n, this.capacity * 16);
    return n;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

function compareIndexes(keys: readonly SortKey[], a: number, b: number): number {
  for (const key of keys) {
    const va = key.value(a);
    const vb = key.value(b);
    if (va !== vb) return compareNumbers(va, vb) * key.direction;
  }
  return a - b;
}

// NaN (a null timestamp) sorts last in ascending order, as SQL NULLS LAST.
function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : 1;
}

function compareToCursor(keys: readonly SortKey[], index: number, cursor: DecodedCursor): number {
  for (let k = 0; k < keys.length; k += 1) {
    const key = keys[k] as SortKey;
    const v = key.value(index);
    const c = cursor.keys[k] ?? NaN;
    if (v !== c && !(Number.isNaN(v) && Number.isNaN(c))) return compareNumbers(v, c) * key.direction;
  }
  return index - cursor.index;
}

export function encodeCursor(keys: readonly SortKey[] | undefined, index: number): string {
  const values = (keys ?? []).map((k) => k.value(index));
  return Buffer.from(JSON.stringify({ v: values.map((x) => (Number.isNaN(x) ? null : x)), i: index })).toString("base64");
}

function decodeCursor(cursor: string, keyCount: number, rootField: string): DecodedCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { v?: unknown; i?: unknown };
    if (typeof parsed.i === "number" && Number.isInteger(parsed.i) && Array.isArray(parsed.v) && parsed.v.length === keyCount) {
      return { index: parsed.i, keys: parsed.v.map((x) => (typeof x === "number" ? x : NaN)) };
    }
  } catch {
    // fall through to the error below
  }
  throw wizError(
    "BAD_USER_INPUT",
    `Invalid cursor for ${rootField}: pass the pageInfo.endCursor of the previous page unchanged, with the same filterBy and orderBy.`,
  );
}

/** Validates `first` against the query's page cap (Wiz refuses larger pages rather than clamping them). */
export function pageSize(request: PageRequest): number {
  const first = request.first ?? request.defaultFirst;
  if (!Number.isInteger(first) || first < 0) {
    throw wizError("BAD_USER_INPUT", `first must be a non-negative integer for ${request.rootField}, got ${first}.`, { argument: "first" });
  }
  if (first > request.cap) {
    throw wizError(
      "BAD_USER_INPUT",
      `first must be less than or equal to ${request.cap} for ${request.rootField} (got ${first}); request at most ${request.cap} per page and follow pageInfo.endCursor.`,
      { argument: "first", maximum: request.cap },
    );
  }
  return first;
}

/** Reads one page: keyset pagination ("search after" the cursor's keys), so changes between pages never repeat or skip unchanged records. */
export function readPage(source: ListSource, request: PageRequest, cache: ListCache): Page {
  const first = pageSize(request);
  const keys = source.sortKeys;
  const cursor = request.after ? decodeCursor(request.after, keys?.length ?? 0, request.rootField) : undefined;
  const indexes: number[] = [];
  let hasNextPage = false;
  if (!keys || keys.length === 0) {
    for (let i = cursor ? cursor.index + 1 : 0; i < source.size; i += 1) {
      if (!source.matches(i)) continue;
      if (indexes.length === first) {
        hasNextPage = true;
        break;
      }
      indexes.push(i);
    }
  } else {
    const list = cache.sortedMatches(source);
    let lo = 0;
    if (cursor) {
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareToCursor(keys, list[mid] as number, cursor) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let p = lo; p < list.length && indexes.length < first; p += 1) indexes.push(list[p] as number);
    hasNextPage = lo + indexes.length < list.length;
  }
  const cursorOf = (position: number): string => encodeCursor(keys, indexes[position] as number);
  const last = indexes.length - 1;
  return {
    indexes,
    hasNextPage,
    // An empty page keeps the caller's cursor, so it can poll again from the same place.
    endCursor: last >= 0 ? cursorOf(last) : (request.after ?? null),
    startCursor: indexes.length > 0 ? cursorOf(0) : null,
    cursorOf,
  };
}
