import { describe, expect, it } from "vitest";
import { ListCache, readPage, type ListSource } from "./connection.js";

// A reference computed the plain way: filter, sort by (value, index), slice.
function referenceOrder(values: number[], keep: (i: number) => boolean, direction: 1 | -1 | 0): number[] {
  const indexes = values.map((_, i) => i).filter(keep);
  if (direction === 0) return indexes;
  return indexes.sort((a, b) => ((values[a] as number) - (values[b] as number)) * direction || a - b);
}

function walk(source: ListSource, first: number, cache = new ListCache()): number[] {
  const seen: number[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = readPage(source, { first, after, rootField: "test", cap: 500, defaultFirst: 50 }, cache);
    seen.push(...page.indexes);
    if (!page.hasNextPage) return seen;
    after = page.endCursor;
  }
  throw new Error("did not terminate");
}

describe("keyset pagination", () => {
  const values = Array.from({ length: 1_003 }, (_, i) => (i * 7919) % 101); // many ties
  const keep = (i: number) => i % 3 !== 0;

  for (const [label, direction] of [
    ["index order", 0],
    ["ascending", 1],
    ["descending", -1],
  ] as const) {
    it(`pages through every match exactly once in ${label}`, () => {
      const source: ListSource = {
        size: values.length,
        matches: keep,
        sortKeys: direction === 0 ? undefined : [{ value: (i) => values[i] as number, direction }],
        cacheKey: label,
        version: 1,
      };
      for (const first of [1, 7, 50, 500]) expect(walk(source, first)).toEqual(referenceOrder(values, keep, direction));
    });
  }

  it("neither repeats nor skips unchanged records when a record changes between pages", () => {
    const live = [...values];
    const cache = new ListCache();
    const source = (version: number): ListSource => ({ size: live.length, matches: () => true, sortKeys: [{ value: (i) => live[i] as number, direction: 1 }], cacheKey: "k", version });
    const first = readPage(source(1), { first: 100, rootField: "t", cap: 500, defaultFirst: 50 }, cache);
    // Move an already-read record to the end of the order (as an update to updatedAt does).
    const moved = first.indexes[0] as number;
    live[moved] = 1_000;
    const rest: number[] = [];
    let after = first.endCursor;
    for (let version = 2; ; version += 1) {
      const page = readPage(source(version), { first: 100, after, rootField: "t", cap: 500, defaultFirst: 50 }, cache);
      rest.push(...page.indexes);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    const all = [...first.indexes, ...rest];
    expect(new Set(all).size).toBe(values.length); // every record seen
    expect(all.filter((i) => i === moved)).toHaveLength(2); // the changed one is seen again, after its change
  });

  it("refuses a page larger than the cap and a forged cursor", () => {
    const source: ListSource = { size: 10, matches: () => true, cacheKey: "x", version: 1 };
    expect(() => readPage(source, { first: 501, rootField: "issuesV2", cap: 500, defaultFirst: 50 }, new ListCache())).toThrow(/first must be less than or equal to 500 for issuesV2/);
    expect(() => readPage(source, { first: 5, after: "not-a-cursor", rootField: "issuesV2", cap: 500, defaultFirst: 50 }, new ListCache())).toThrow(/Invalid cursor/);
  });

  it("keeps the caller's cursor on an empty page so polling resumes from it", () => {
    const source: ListSource = { size: 3, matches: () => true, cacheKey: "y", version: 1 };
    const page = readPage(source, { first: 3, rootField: "t", cap: 500, defaultFirst: 50 }, new ListCache());
    const empty = readPage(source, { first: 3, after: page.endCursor, rootField: "t", cap: 500, defaultFirst: 50 }, new ListCache());
    expect(empty).toMatchObject({ indexes: [], hasNextPage: false, endCursor: page.endCursor });
  });
});
