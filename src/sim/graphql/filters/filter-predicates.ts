import { parseWizTimestamp } from "../../clock.js";
import { wizError } from "../wiz-graphql-error.js";

export type Predicate = (index: number) => boolean;

/** A compiled filter: the predicate plus a canonical key naming it, for list caches. */
export interface CompiledFilter {
  matches: Predicate;
  key: string;
}

export interface DateFilterInput {
  after?: string | null;
  before?: string | null;
  equals?: string | null;
  inLast?: { amount?: number | null; unit?: string | null } | null;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  DurationFilterValueUnitMinutes: 60_000,
  DurationFilterValueUnitHours: 3_600_000,
  DurationFilterValueUnitDays: 86_400_000,
};

export function parseTimestamp(value: string, field: string): number {
  // Keeps microseconds: Wiz timestamps carry them and an incremental cursor must compare exactly.
  const ms = parseWizTimestamp(value);
  if (Number.isNaN(ms)) {
    throw wizError("BAD_USER_INPUT", `${field}: ${JSON.stringify(value)} is not an RFC3339 date-time; send e.g. "2026-01-01T00:00:00Z".`, { field });
  }
  return ms;
}

/**
 * `{after, before}` are exclusive bounds, `inLast` counts back from simulator time; a null (NaN) timestamp
 * never matches a range. Returns undefined when the input sets no bound.
 */
export function dateRange(column: Float64Array, input: DateFilterInput | null | undefined, now: number, field: string): Predicate | undefined {
  if (!input) return undefined;
  let after = input.after ? parseTimestamp(input.after, `${field}.after`) : -Infinity;
  const before = input.before ? parseTimestamp(input.before, `${field}.before`) : Infinity;
  const equals = input.equals ? parseTimestamp(input.equals, `${field}.equals`) : undefined;
  if (input.inLast) {
    const { amount, unit } = input.inLast;
    const unitMs = UNIT_MS[unit ?? ""];
    if (!unitMs || amount === null || amount === undefined || !(amount > 0)) {
      throw wizError("BAD_USER_INPUT", `${field}.inLast needs a positive amount and a unit (DurationFilterValueUnitDays, ...Hours or ...Minutes).`, { field });
    }
    after = Math.max(after, now - amount * unitMs);
  }
  if (after >= before) {
    throw wizError("BAD_USER_INPUT", `${field}: after (${input.after}) must be earlier than before (${input.before}).`, { field });
  }
  if (equals !== undefined) return (i) => column[i] === equals;
  if (after === -Infinity && before === Infinity) return undefined;
  return (i) => {
    const v = column[i] as number;
    return v > after && v < before;
  };
}

/** Matches a Uint8 enum column against allowed names. */
export function enumIn(column: Uint8Array | Uint16Array, values: readonly string[] | null | undefined, names: readonly string[]): Predicate | undefined {
  if (!values || values.length === 0) return undefined;
  const allowed = new Uint8Array(Math.max(names.length, 1));
  for (const value of values) {
    const at = names.indexOf(value);
    if (at >= 0) allowed[at] = 1;
  }
  return (i) => allowed[column[i] as number] === 1;
}

/** Matches an index column (resource, project, ...) against a set of referenced indexes. */
export function refIn(column: ArrayLike<number>, indexes: ReadonlySet<number> | undefined): Predicate | undefined {
  if (!indexes) return undefined;
  return (i) => indexes.has(column[i] as number);
}

/** Matches records whose own index is in the set (an id filter). */
export function indexIn(indexes: ReadonlySet<number> | undefined): Predicate | undefined {
  return indexes ? (i) => indexes.has(i) : undefined;
}

/** Resolves ids to indexes; unknown ids simply match nothing (as an id filter on Wiz does). */
export function indexesOf(ids: readonly string[] | null | undefined, indexOf: (id: string) => number | undefined): Set<number> | undefined {
  if (!ids || ids.length === 0) return undefined;
  const set = new Set<number>();
  for (const id of ids) {
    const at = indexOf(id);
    if (at !== undefined) set.add(at);
  }
  return set;
}

export function allOf(predicates: ReadonlyArray<Predicate | undefined>): Predicate {
  const list = predicates.filter((p): p is Predicate => p !== undefined);
  if (list.length === 0) return () => true;
  if (list.length === 1) return list[0] as Predicate;
  return (i) => {
    for (const p of list) if (!p(i)) return false;
    return true;
  };
}

/** A stable text key for any filter input (object keys sorted). */
export function canonicalKey(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(",")}]`;
  if (typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${canonicalKey((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Wraps filters Wiz sends as `{equals: [...]}` (detections, cloudResourcesV2). */
export function equalsList<T>(wrapper: { equals?: readonly T[] | null } | null | undefined): readonly T[] | undefined {
  return wrapper?.equals ?? undefined;
}
