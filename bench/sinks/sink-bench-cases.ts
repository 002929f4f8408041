import type { SinkBenchCase } from "./sink-bench-case.js";

/** The sinks `npm run bench:sinks` measures, in report order. */
export const SINK_BENCH_CASES: readonly SinkBenchCase[] = [];
