import type { RunSummary } from "./connector-view";

/** One point of the records-per-stream chart: a run's start time and the records each stream pulled in it. */
export type ChartPoint = { run: number; at: string; label: string } & Record<string, number | string>;

/** Runs (newest first, as the API lists them) as chart points oldest first, and the streams seen, for one line each. */
export function recordsPerStreamSeries(runs: readonly RunSummary[]): { points: ChartPoint[]; streams: string[] } {
  const streams = new Set<string>();
  const points: ChartPoint[] = [];
  for (const run of [...runs].reverse()) {
    const point: ChartPoint = { run: run.id, at: run.startedAt, label: shortTime(run.startedAt) };
    for (const s of run.streams) {
      streams.add(s.stream);
      point[s.stream] = s.records;
    }
    points.push(point);
  }
  return { points, streams: [...streams].sort() };
}

/** `2026-01-02T03:04:05Z` -> `01-02 03:04:05` (UTC, as the API's timestamps are). */
export function shortTime(iso: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]}-${m[2]} ${m[3]}` : iso;
}
