/**
 * The engine's CPU floor per record: the work no pull can skip, timed in isolation on real pages the
 * benchmark just synced — parse the response, normalise and build the events, serialise them, commit them
 * with the checkpoint (the real SqlitePageWriter), append them to a JSONL file (the real sink). No HTTP,
 * no scheduling, no dispatcher reads, no bookkeeping. It runs after the sync, so on a machine whose speed
 * drifts (shared hosts do, by a third within minutes here) compare it with the run's own figure loosely.
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { JsonlSink } from "../src/sinks/jsonl/jsonl.sink.js";
import { openStore } from "../src/store/store-database.js";
import { pageRecordOf, upsertEventsOf } from "../src/sync/page-events.js";

export interface EngineFloor {
  pages: number;
  pageSize: number;
  /** CPU (user + system) per record of each step, and their sum. */
  microsPerRecord: { parse: number; build: number; serialise: number; commit: number; sinkAppend: number; total: number };
}

/** Times `pages` rounds of the floor work on the first `pageSize` raw findings of a JSONL file of events. */
export async function measureEngineFloor(eventsFile: string, pageSize: number, pages = 100): Promise<EngineFloor> {
  const raws: unknown[] = [];
  const lines = createInterface({ input: createReadStream(eventsFile, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    const event = JSON.parse(line) as { kind: string; raw: unknown };
    if (event.kind === "upsert") raws.push(event.raw);
    if (raws.length === pageSize) break;
  }
  lines.close();
  // The page as Wiz sends it (bytes), so parsing includes decoding.
  const body = Buffer.from(JSON.stringify({ data: { vulnerabilityFindings: { nodes: raws, pageInfo: { hasNextPage: true, endCursor: "floor" }, totalCount: raws.length } } }));
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-bench-floor-"));
  const store = await openStore(join(dir, "store.db"));
  const sink = new JsonlSink({ id: "floor", directory: join(dir, "events") });
  const spent = { parse: 0, build: 0, serialise: 0, commit: 0, sinkAppend: 0 };
  const cpu = (): number => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  const context = { connectorId: "floor", stream: "vulnerabilityFindings" as const, portalOrigin: "https://app.wiz.io", observedAt: new Date().toISOString() };
  try {
    for (let page = 0; page < pages; page++) {
      let t = cpu();
      const parsed = JSON.parse(body.toString("utf8")) as { data: { vulnerabilityFindings: { nodes: Array<Record<string, unknown>> } } };
      spent.parse += cpu() - t;
      t = cpu();
      // A fresh id per round: the outbox and the JSONL file see new events every time, as in a full export.
      const records = parsed.data.vulnerabilityFindings.nodes.map((raw) => pageRecordOf("vulnerabilityFindings", "updatedAt", { ...raw, id: `${String(raw.id)}-${page}` }));
      const built = await upsertEventsOf(context, records);
      spent.build += cpu() - t;
      t = cpu();
      const events = built.events.map((e) => ({ connectorId: context.connectorId, stream: context.stream, eventId: e.id, payload: JSON.stringify(e) }));
      spent.serialise += cpu() - t;
      t = cpu();
      await store.pages.commit(
        {
          connectorId: context.connectorId,
          stream: context.stream,
          events,
          keys: [],
          checkpoint: { connectorId: context.connectorId, stream: context.stream, sliceId: 0, endCursor: "floor", highWaterUs: 0, pages: page + 1, records: 0, totalEstimate: null, done: false },
        },
        Date.now(),
      );
      spent.commit += cpu() - t;
      t = cpu();
      await sink.write(events.map((e, i) => ({ ...e, seq: page * pageSize + i + 1 })));
      spent.sinkAppend += cpu() - t;
    }
  } finally {
    await sink.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const per = (micros: number): number => Math.round((micros / (pages * raws.length)) * 100) / 100;
  const microsPerRecord = {
    parse: per(spent.parse),
    build: per(spent.build),
    serialise: per(spent.serialise),
    commit: per(spent.commit),
    sinkAppend: per(spent.sinkAppend),
    total: per(spent.parse + spent.build + spent.serialise + spent.commit + spent.sinkAppend),
  };
  return { pages, pageSize: raws.length, microsPerRecord };
}
