/**
 * The engine's own ceiling: the pull (HTTP client, parse, normalise, serialise, outbox commit, dispatcher,
 * JSONL sink with fsync) run against recorded pages served back at no cost worth counting, so records/s and
 * CPU per record are the engine's alone, with no simulator sharing the machine. One slice (a replay cannot
 * honour slice filters), no rate limit, no injected latency: records/s is what one walk can take.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { request } from "undici";
import { openStore } from "../src/store/store-database.js";
import { buildSyncConfig } from "../src/sync/config-loader.js";
import { WizFilterValidator } from "../src/sync/filter-validator.js";
import { vulnerabilityFindingsStream } from "../src/sync/streams/vulnerability-findings.stream.js";
import { SyncEngine } from "../src/sync/sync-engine.js";
import { loadWizSchema } from "../src/sync/wiz-schema-file.js";
import { startListeningScript, stopChild } from "./listening-process.js";

export interface ReplaySource {
  graphqlUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
}

export interface EngineCeiling {
  /** Pages in the recorded file (null when the caller did not say). */
  pagesRecorded: number | null;
  records: number;
  recordsPerSecond: number;
  engineCpuMicrosPerRecord: number;
  engineSystemCpuMicrosPerRecord: number;
}

/** Records `pages` pages of vulnerability findings from `source` (ascending), then replays them `rounds` times through a fresh engine. */
export async function measureEngineCeiling(source: ReplaySource, options: { pages: number; rounds: number; pageSize: number }): Promise<EngineCeiling> {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-bench-replay-"));
  try {
    const recordedFile = join(dir, "pages.json");
    const pagesRecorded = await recordPagesToFile(source, options.pages, options.pageSize, recordedFile);
    return await replayRecordedPages(recordedFile, { rounds: options.rounds, pageSize: options.pageSize, audience: source.audience, pagesRecorded });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Replays a file of recorded pages (see recordPages) `rounds` times through a fresh engine in this process,
 * with a fresh store and JSONL sink: the same input every time, so before/after runs (and instruction
 * counts under valgrind) compare the engine alone.
 */
export async function replayRecordedPages(recordedFile: string, options: { rounds: number; pageSize: number; audience: string; pagesRecorded?: number }): Promise<EngineCeiling> {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-bench-replay-"));
  const script = fileURLToPath(new URL("./replay-server.main.js", import.meta.url));
  const { child, url } = await startListeningScript(script, [recordedFile, String(options.rounds)]);
  try {
    const config = buildSyncConfig(
      {
        dataDir: dir,
        delivery: { batchSize: options.pageSize },
        connectors: [
          {
            id: "replay",
            connection: { clientId: "replay", clientSecret: "replay-secret", endpoint: `${url}/graphql`, tokenUrl: `${url}/oauth/token`, audience: options.audience, allowNonWizHosts: true },
            rateLimit: { requestsPerSecond: 10_000, maxConcurrency: 1 },
            concurrency: 1,
            outboxLimit: 200_000,
            sinks: ["events"],
            streams: { vulnerabilityFindings: { pageSize: options.pageSize } },
          },
        ],
        sinks: { events: { type: "jsonl", directory: join(dir, "events") } },
      },
      { baseDir: dir, validator: new WizFilterValidator(loadWizSchema()), source: "bench-replay", env: {} },
    );
    const store = await openStore(config.storePath);
    const engine = new SyncEngine({ config, store, logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }, pino.destination(2)) });
    try {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const [summary] = await engine.runOnce();
      await engine.drain(600_000);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const records = summary?.streams[0]?.records ?? 0;
      const per = (micros: number): number => Math.round((micros / Math.max(1, records)) * 100) / 100;
      return {
        pagesRecorded: options.pagesRecorded ?? null,
        records,
        recordsPerSecond: Math.round(records / seconds),
        engineCpuMicrosPerRecord: per(cpu.user + cpu.system),
        engineSystemCpuMicrosPerRecord: per(cpu.system),
      };
    } finally {
      await engine.close();
      await store.close();
    }
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records pages into `file`; returns how many. The pages are not kept in this process's heap for the replay. */
export async function recordPagesToFile(source: ReplaySource, pages: number, pageSize: number, file: string): Promise<number> {
  const recorded = await recordPages(source, pages, pageSize);
  writeFileSync(file, JSON.stringify(recorded));
  return recorded.counts.length;
}

/** Recorded pages as bench/replay-server.main.ts serves them: each page's `nodes` as JSON text, and the newest node. */
export interface RecordedPages {
  nodes: string[];
  counts: number[];
  newest: string;
}

/** The first `pages` pages of the stream's ascending walk, as the replay server serves them. */
export async function recordPages(source: ReplaySource, pages: number, pageSize: number): Promise<RecordedPages> {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: source.clientId, client_secret: source.clientSecret, audience: source.audience });
  const tokenAnswer = await request(source.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
  const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };
  const out: RecordedPages = { nodes: [], counts: [], newest: "null" };
  let after: string | null = null;
  for (let k = 0; k < pages; k++) {
    const answer = await request(source.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: vulnerabilityFindingsStream.document,
        operationName: vulnerabilityFindingsStream.operationName,
        variables: { first: pageSize, after, filterBy: {}, orderBy: vulnerabilityFindingsStream.order?.ascending },
      }),
    });
    if (answer.statusCode !== 200) {
      // The simulator enforces its rate limit: wait and ask again.
      await answer.body.dump();
      await new Promise((r) => setTimeout(r, 1000));
      k -= 1;
      continue;
    }
    const { data } = (await answer.body.json()) as { data: { connection: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
    const { nodes, pageInfo } = data.connection;
    out.nodes.push(JSON.stringify(nodes));
    out.counts.push(nodes.length);
    if (nodes.length > 0) out.newest = JSON.stringify(nodes[nodes.length - 1]);
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  return out;
}
