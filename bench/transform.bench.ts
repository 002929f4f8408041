/**
 * npm run bench:transform — records/s per core through the transform layer, on 200,000 mixed raw records
 * paged from a simulator (medium tenant: findings, issues, threats, resources, configuration findings,
 * detections, audit entries, projects, repositories) with the pull engine's own stream queries:
 *   raw -> canonical, raw -> canonical -> OCSF (incl. raw_data), raw -> canonical -> ECS,
 *   raw -> canonical -> built-in map (vm-vulnerability / vm-asset).
 * Timing runs on the main thread only (one core), best of BENCH_PASSES passes after a warm-up pass.
 * Target: >= 50,000 records/s raw -> canonical -> OCSF, so transforms are never a sync's bottleneck.
 *
 * Env: BENCH_RECORDS (200000), BENCH_PASSES (3), BENCH_SIZE (medium).
 */
import { pino } from "pino";
import type { StreamName } from "../src/model/stream-name.js";
import { connectionOf } from "../src/sync/stream-definition.js";
import { STREAM_CATALOGUE } from "../src/sync/streams/stream-catalogue.js";
import { toEcs } from "../src/transform/ecs/ecs-mapper.js";
import { BUILT_IN_MAPS } from "../src/transform/maps/built-in-maps.js";
import { compileTransformMap, type CompiledMap } from "../src/transform/maps/map-evaluator.js";
import { validateTransformMap } from "../src/transform/maps/map-validator.js";
import { loadRawSchema } from "../src/transform/maps/source-paths.js";
import { STREAM_NORMALISERS } from "../src/transform/normalisers/stream-normaliser.js";
import { toOcsf } from "../src/transform/ocsf/ocsf-mapper.js";
import { FOUR_TIER_LADDER } from "../src/transform/severity/severity-ladder.js";
import { WizClientCore } from "../src/wiz/index.js";
import { startSimulatorProcess } from "./simulator-process.js";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const SIZE = process.env.BENCH_SIZE ?? "medium";

type Sample = { stream: StreamName; raw: Record<string, unknown> };

async function pageRecords(): Promise<Sample[]> {
  const { info, stop } = await startSimulatorProcess(["--size", SIZE, "--rate-limit", "0"]);
  try {
    const client = new WizClientCore({
      settings: { clientId: info.clientId, clientSecret: info.clientSecret, endpoint: info.graphqlUrl, tokenUrl: info.tokenUrl, audience: info.audience, allowNonWizHosts: true },
      rateLimit: { requestsPerSecond: 0, maxConcurrency: 8 },
      logger: pino({ level: "silent" }),
    });
    const perStream = await Promise.all(
      Object.values(STREAM_CATALOGUE).map(async (def) => {
        const out: Sample[] = [];
        const pages = client.paginate<Record<string, unknown>>(def.document, { filterBy: def.fixedFilter({}) }, connectionOf, { pageSize: def.pageSizeCap, pageSizeCap: def.pageSizeCap, operationName: def.operationName });
        for await (const page of pages) for (const raw of page.nodes) out.push({ stream: def.name, raw });
        return out;
      }),
    );
    // The tenant's own mix, as a sync sees it: pages of one stream (500 records), the pages shuffled (seeded),
    // repeated if the tenant holds fewer records than asked for.
    const pagesOf: Sample[][] = perStream.flatMap((list) => Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, (i + 1) * 500)));
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let i = pagesOf.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [pagesOf[i], pagesOf[j]] = [pagesOf[j] as Sample[], pagesOf[i] as Sample[]];
    }
    const all = pagesOf.flat();
    const mixed: Sample[] = [];
    for (let i = 0; mixed.length < RECORDS && all.length > 0; i += 1) mixed.push(all[i % all.length] as Sample);
    return mixed;
  } finally {
    await stop();
  }
}

function time(label: string, records: readonly Sample[], run: (s: Sample) => unknown): { label: string; recordsPerSecond: number; bestMs: number } {
  let sink = 0;
  for (const s of records) if (run(s)) sink += 1; // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < PASSES; pass += 1) {
    const started = performance.now();
    for (const s of records) if (run(s)) sink += 1;
    best = Math.min(best, performance.now() - started);
  }
  if (sink === 0) throw new Error("nothing was produced");
  return { label, recordsPerSecond: Math.round(records.length / (best / 1000)), bestMs: Math.round(best) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const records = await pageRecords();
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.stream] = (counts[r.stream] ?? 0) + 1;
  process.stdout.write(`paged ${records.length} raw records in ${Math.round((performance.now() - started) / 1000)} s: ${JSON.stringify(counts)}\n`);
  const context = { portalOrigin: "https://app.wiz.io", ladder: FOUR_TIER_LADDER };
  const observedAt = new Date().toISOString();
  const observedAtMs = Date.parse(observedAt);
  const rawSchema = loadRawSchema();
  const maps: CompiledMap[] = await Promise.all(Object.values(BUILT_IN_MAPS).map(async (m) => compileTransformMap(await validateTransformMap(m, { rawSchema }))));
  const mapFor = new Map(maps.flatMap((m) => m.map.recordTypes.map((t) => [t, m] as const)));
  const results = [
    time("raw -> canonical", records, (s) => STREAM_NORMALISERS[s.stream](s.raw, context)),
    time("raw -> canonical -> OCSF", records, (s) => toOcsf(STREAM_NORMALISERS[s.stream](s.raw, context), { observedAtMs, raw: s.raw }) ?? true),
    time("raw_data alone (JSON.stringify of the node)", records, (s) => JSON.stringify(s.raw)),
    time("raw -> canonical -> ECS", records, (s) => toEcs(STREAM_NORMALISERS[s.stream](s.raw, context), { observedAt, raw: s.raw })),
    time("raw -> canonical -> built-in map", records, (s) => {
      const record = STREAM_NORMALISERS[s.stream](s.raw, context);
      return mapFor.get(record.recordType)?.applySync(record, s.raw) ?? record;
    }),
  ];
  for (const r of results) process.stdout.write(`${r.label.padEnd(44)} ${String(r.recordsPerSecond).padStart(10)} records/s per core  (${records.length} records in ${r.bestMs} ms, best of ${PASSES})\n`);
  const ocsf = results.find((r) => r.label === "raw -> canonical -> OCSF")?.recordsPerSecond ?? 0;
  process.stdout.write(`target raw -> canonical -> OCSF >= 50,000 records/s: ${ocsf >= 50_000 ? "met" : "NOT met"}\n`);
  process.stdout.write(`${JSON.stringify({ bench: "transform", records: records.length, mix: counts, results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:transform failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
