/**
 * `npm run bench:sinks`: events/s into each sink with acknowledgement on, 3.4 KB events, written the way
 * the dispatcher writes them (batches of BENCH_SINK_BATCH, BENCH_SINK_IN_FLIGHT at once), against the real
 * local servers (NATS, RabbitMQ, PostgreSQL) and the protocol servers of the others. Each sink runs in its
 * own process, so its peak RSS is its own (with its in-process protocol server where it has one); every
 * event must be at the destination afterwards.
 *
 *   BENCH_SINK_EVENTS=100000 BENCH_SINKS=nats,postgres npm run bench:sinks
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import type { SinkRecord } from "../src/sinks/sink.js";
import { SINK_BENCH_CASES } from "./sinks/sink-bench-cases.js";
import { childNodeArgs } from "./listening-process.js";

const TARGET_EVENTS_PER_SECOND = 20_000;
const EVENT_BYTES = 3_400;

interface CaseResult {
  sink: string;
  events?: number;
  eventsPerSecond?: number;
  seconds?: number;
  peakRssMB?: number;
  delivered?: number;
  skipped?: string;
  error?: string;
}

const ID_MARK = "@@ID@@";
const templates = new Map<string, string[]>();

/** The event's JSON cut around its ids, built once per stream and severity: the bench times the sink, not JSON.stringify. */
function template(stream: string, severity: string): string[] {
  const key = `${stream}/${severity}`;
  let parts = templates.get(key);
  if (parts) return parts;
  const event = {
    id: ID_MARK,
    source: "wiz",
    kind: "upsert",
    connector: "bench",
    stream,
    observedAt: "2026-06-01T00:00:00.000Z",
    profile: "canonical",
    record: {
      id: ID_MARK,
      name: "CVE-2026-10001",
      severity,
      status: "OPEN",
      resource: { id: "r-1", type: "VIRTUAL_MACHINE", cloudPlatform: "AWS", region: "us-east-1" },
      description: "x".repeat(900),
    },
    raw: { id: ID_MARK, detailedName: "openssl", version: "3.0.2", fixedVersion: "3.0.13", remediation: "y".repeat(1400), projects: [{ id: "p1", name: "Payments" }] },
  };
  let text = JSON.stringify(event);
  // Pad to the size the pull's events have on average.
  if (text.length < EVENT_BYTES) text = JSON.stringify({ ...event, record: { ...event.record, pad: "z".repeat(EVENT_BYTES - text.length - 10) } });
  parts = text.split(ID_MARK);
  templates.set(key, parts);
  return parts;
}

/** A WizEvent of about 3.4 KB shaped like a canonical vulnerability finding (the pull's most common record), with a unique id. */
export function benchEvent(i: number): SinkRecord {
  const streams = ["vulnerabilityFindings", "issues", "cloudResources"] as const;
  const stream = streams[i % 3] as string;
  const id = `bench-${String(i).padStart(9, "0")}`;
  const payload = template(stream, ["LOW", "MEDIUM", "HIGH", "CRITICAL"][i % 4] as string).join(id);
  return { seq: i + 1, eventId: id, connectorId: "bench", stream, payload };
}

async function runCase(name: string): Promise<CaseResult> {
  const benchCase = SINK_BENCH_CASES.find((c) => c.name.split(" ")[0] === name);
  if (!benchCase) return { sink: name, error: `no bench case named ${name}` };
  const reason = await benchCase.unavailable();
  if (reason) return { sink: benchCase.name, skipped: reason };
  const events = Number(process.env.BENCH_SINK_EVENTS ?? 100_000);
  const batchSize = Number(process.env.BENCH_SINK_BATCH ?? 500);
  const inFlight = Number(process.env.BENCH_SINK_IN_FLIGHT ?? 4);
  const logger = pino({ level: "warn" }, pino.destination({ fd: 2, sync: true }));
  const target = await benchCase.start(logger);
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  try {
    // Warm-up: connections, JIT, server-side creation of streams/indices.
    await target.sink.write(Array.from({ length: Math.min(batchSize, 100) }, (_, i) => benchEvent(events + i)));
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < events) {
        const from = next;
        next = Math.min(events, next + batchSize);
        const batch: SinkRecord[] = [];
        for (let i = from; i < next; i += 1) batch.push(benchEvent(i));
        await target.sink.write(batch);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const delivered = await target.delivered();
    return { sink: benchCase.name, events, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(events / seconds), peakRssMB: Math.round(peakRss / 1024 / 1024), delivered };
  } finally {
    clearInterval(sampler);
    await target.stop();
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf("--case");
  if (only >= 0) {
    const result = await runCase(process.argv[only + 1] ?? "");
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const wanted = (process.env.BENCH_SINKS ?? "").split(",").filter(Boolean);
  const names = SINK_BENCH_CASES.map((c) => c.name.split(" ")[0] as string).filter((n) => wanted.length === 0 || wanted.includes(n));
  const results: CaseResult[] = [];
  for (const name of names) {
    const child = spawnSync(process.execPath, ["--max-old-space-size=1024", ...childNodeArgs(), fileURLToPath(import.meta.url), "--case", name], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
    const line = child.stdout.trim().split("\n").pop() ?? "";
    let result: CaseResult;
    try {
      result = JSON.parse(line) as CaseResult;
    } catch {
      result = { sink: name, error: `the bench process exited ${String(child.status)} without a result` };
    }
    results.push(result);
    console.log(format(result));
  }
  console.log(JSON.stringify({ bench: "sinks", targetEventsPerSecond: TARGET_EVENTS_PER_SECOND, eventBytes: EVENT_BYTES, results }, null, 2));
  const measured = results.filter((r) => r.eventsPerSecond !== undefined);
  const below = measured.filter((r) => (r.eventsPerSecond ?? 0) < TARGET_EVENTS_PER_SECOND).map((r) => r.sink);
  const lost = measured.filter((r) => (r.delivered ?? 0) < (r.events ?? 0)).map((r) => r.sink);
  console.log(
    `\nbench:sinks  target >= ${TARGET_EVENTS_PER_SECOND} events/s per sink: ${measured.length - below.length} of ${measured.length} met${below.length ? ` (below: ${below.join(", ")})` : ""}; ` +
      `${lost.length === 0 ? "every event at its destination" : `EVENTS MISSING at ${lost.join(", ")}`}; ${results.filter((r) => r.skipped).length} skipped, ${results.filter((r) => r.error).length} failed`,
  );
  if (lost.length > 0 || results.some((r) => r.error)) process.exitCode = 1;
}

function format(r: CaseResult): string {
  if (r.skipped) return `${r.sink.padEnd(44)} skipped: ${r.skipped}`;
  if (r.error) return `${r.sink.padEnd(44)} FAILED: ${r.error}`;
  const verdict = (r.eventsPerSecond ?? 0) >= TARGET_EVENTS_PER_SECOND ? "meets" : "BELOW";
  return `${r.sink.padEnd(44)} ${String(r.eventsPerSecond).padStart(7)} events/s (${verdict} ${TARGET_EVENTS_PER_SECOND}), ${String(r.delivered)}/${String(r.events)} at the destination, peak RSS ${String(r.peakRssMB)} MB`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
