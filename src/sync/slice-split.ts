import type { Micros } from "../model/wiz-timestamp.js";

/** A slice as the runner tracks it: records with the change field in (lo, hi], walked ascending. */
export interface LiveSlice {
  id: number;
  lo: Micros | null;
  hi: Micros | null;
  filterLo: Micros | null;
  filterHi: Micros | null;
  scope: Record<string, unknown> | null;
  endCursor: string | null;
  highWater: Micros | null;
  pages: number;
  records: number;
  /** Records this slice's own filter matched at its first page, minus what was split off since. */
  totalEstimate: number | null;
  /** The guess given to a slice split off before its first page told the truth; used to correct the parent. */
  guessed: number | null;
  parentId: number | null;
  done: boolean;
  running: boolean;
  committing: boolean;
}

export interface SplitPlan {
  parent: LiveSlice;
  mid: Micros;
  childEstimate: number;
}

/**
 * When a worker has nothing to do, it takes the second half (by time) of the slice with the most records
 * left. Time halves are uneven when changes cluster (most findings change in the last day), so splitting
 * repeats until the work is spread; a slice is split only with at least two pages left on each side.
 */
export function chooseSplit(slices: readonly LiveSlice[], pageSize: number): SplitPlan | undefined {
  let best: { slice: LiveSlice; remaining: number; position: Micros; hi: Micros } | undefined;
  for (const slice of slices) {
    if (slice.done || !slice.running || slice.committing || slice.hi === null || slice.totalEstimate === null) continue;
    const position = slice.highWater ?? slice.lo;
    if (position === null || slice.hi - position < 2) continue;
    const remaining = slice.totalEstimate - slice.records;
    if (remaining < 4 * pageSize) continue;
    if (!best || remaining > best.remaining) best = { slice, remaining, position, hi: slice.hi };
  }
  if (!best) return undefined;
  const mid = best.position + Math.floor((best.hi - best.position) / 2);
  return { parent: best.slice, mid, childEstimate: Math.floor(best.remaining / 2) };
}
