/**
 * Runtime intake bench (part of npm run bench:push; alone: `npm run build && node dist/bench/push-intake.bench.js`).
 * The receiver runs in its own process (dist/src/runtime/intake/ingest-server.main.js, SQLite in WAL,
 * group commit), as in production; this process only sends, over real HTTP on 127.0.0.1:
 *   sustained: closed loop, `connections` senders, one alert per request (falcosidekick style) and
 *              NDJSON batches; alerts/s acknowledged with 2xx (each ack = alert committed to SQLite);
 *   ack latency (measured first, steady state): open loop at a fixed rate (default 1,000 alerts/s, one alert per request), latency
 *              measured from each request's scheduled send time (no coordinated omission): p50/p99.
 * Finally checks the store holds every acknowledged alert.
 *
 * Env: BENCH_SECONDS (sustained phase, default 10), BENCH_RATE (1000), BENCH_RATE_SECONDS (10),
 * BENCH_CONNECTIONS (32), BENCH_BATCH (100).
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Pool } from "undici";
import { openStore } from "../src/store/store-database.js";
import { startListeningProcess } from "./listening-process.js";

export interface IntakeMeasureOptions {
  sustainedSeconds?: number;
  connections?: number;
  batchSize?: number;
  rate?: number;
  rateSeconds?: number;
  /** Keep the store directory (default: removed). */
  keepStore?: boolean;
}

export interface IntakeMeasurement {
  sustainedSingle: { alertsPerSecond: number; alerts: number; seconds: number; connections: number; errors: number };
  sustainedBatched: { alertsPerSecond: number; alerts: number; seconds: number; connections: number; batchSize: number; errors: number };
  ackLatency: { rate: number; seconds: number; requests: number; p50Ms: number; p99Ms: number; maxMs: number; errors: number; achievedRate: number };
  stored: { rows: number; acknowledged: number; missing: number };
}

const FIXTURES: ReadonlyArray<[string, string]> = [
  ["falco", "falco-json-output-read-sensitive-file-k8s.json"],
  ["falcosidekick", "falcosidekick-test-input-payload.json"],
  ["tetragon", "tetragon-process-exec-privileged-pod-nsenter.json"],
  ["tracee", "tracee-event-fileless-execution-k8s-pod.json"],
  ["kubearmor", "kubearmor-alert-matchedpolicy-block-process.json"],
  ["sysdig", "sysdig-secure-event-workload-runtime-detection-gke.json"],
  ["guardduty", "guardduty-runtime-finding-cgroups-release-agent-partial.json"],
  ["aws-waf", "aws-waf-log-block-sqli-header.json"],
  ["modsecurity", "modsecurity-v2-json-audit-sqli-blocked.json"],
];

function fixturesDir(): URL {
  // dist/bench/ -> repo root test/fixtures (bench is run from the build output)
  return new URL("../../test/fixtures/runtime/", import.meta.url);
}

function payloads(): Array<{ path: string; body: string }> {
  return FIXTURES.map(([source, file]) => ({ path: `/ingest/${source}`, body: JSON.stringify(JSON.parse(readFileSync(new URL(file, fixturesDir()), "utf8"))) }));
}

function startReceiver(storePath: string, token: string): Promise<{ child: ChildProcess; url: string }> {
  return startListeningProcess("runtime/intake/ingest-server.main.js", ["--store", storePath, "--token", token]);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

/** Measures the intake receiver; see the file comment. */
export async function measureIntake(options: IntakeMeasureOptions = {}): Promise<IntakeMeasurement> {
  const sustainedSeconds = options.sustainedSeconds ?? Number(process.env.BENCH_SECONDS ?? 10);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 32);
  const batchSize = options.batchSize ?? Number(process.env.BENCH_BATCH ?? 100);
  const rate = options.rate ?? Number(process.env.BENCH_RATE ?? 1000);
  const rateSeconds = options.rateSeconds ?? Number(process.env.BENCH_RATE_SECONDS ?? 10);
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-bench-intake-"));
  const storePath = join(dir, "wizbridge.db");
  const token = "bench-intake-token-0123456789";
  const receiver = await startReceiver(storePath, token);
  const pool = new Pool(receiver.url, { connections, pipelining: 1 });
  const bodies = payloads();
  const acked: string[] = [];
  const headers = (type: string): Record<string, string> => ({ authorization: `Bearer ${token}`, "content-type": type });

  async function post(path: string, body: string, type: string): Promise<{ ok: boolean; ids: string[] }> {
    const res = await pool.request({ method: "POST", path, headers: headers(type), body });
    const json = (await res.body.json()) as { ids?: string[] };
    return { ok: res.statusCode === 202, ids: json.ids ?? [] };
  }

  async function closedLoop(seconds: number, next: (i: number) => { path: string; body: string; type: string }): Promise<{ alerts: number; errors: number; seconds: number }> {
    const deadline = performance.now() + seconds * 1000;
    let alerts = 0;
    let errors = 0;
    let counter = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          const r = next(counter++);
          try {
            const out = await post(r.path, r.body, r.type);
            if (out.ok) {
              alerts += out.ids.length;
              for (const id of out.ids) acked.push(id);
            } else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
    return { alerts, errors, seconds: (performance.now() - started) / 1000 };
  }

  try {
    // warm-up: JIT, SQLite pages, connections
    await closedLoop(1, (i) => ({ ...bodies[i % bodies.length]!, type: "application/json" }));

    // The fixed-rate phase first, in a steady state: right after the closed-loop bursts (hundreds of MB
    // written in seconds) the kernel is still flushing dirty pages and checkpoint fsyncs stall for it.
    // Open loop: one request per 1/rate s, latency from the scheduled time.
    const latencies: number[] = [];
    let rateErrors = 0;
    const total = Math.round(rate * rateSeconds);
    const interval = 1000 / rate;
    const start = performance.now();
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const scheduled = start + i * interval;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const b = bodies[i % bodies.length]!;
      inFlight.push(
        post(b.path, b.body, "application/json").then(
          (out) => {
            latencies.push(performance.now() - scheduled);
            if (out.ok) for (const id of out.ids) acked.push(id);
            else rateErrors++;
          },
          () => {
            rateErrors++;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    const rateElapsed = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);

    const single = await closedLoop(sustainedSeconds, (i) => ({ ...bodies[i % bodies.length]!, type: "application/json" }));
    const batchedBodies = bodies.map((b) => ({ path: b.path, body: Array.from({ length: batchSize }, () => b.body).join("\n") }));
    const batched = await closedLoop(sustainedSeconds, (i) => ({ ...batchedBodies[i % batchedBodies.length]!, type: "application/x-ndjson" }));

    await pool.close();
    receiver.child.kill("SIGTERM");
    await once(receiver.child, "exit");
    const store = await openStore(storePath);
    const ids = new Set((await store.db.selectFrom("runtime_alerts").select("id").execute()).map((r) => r.id));
    await store.close();
    const missing = acked.filter((id) => !ids.has(id)).length;

    return {
      sustainedSingle: { alertsPerSecond: Math.round(single.alerts / single.seconds), alerts: single.alerts, seconds: round(single.seconds), connections, errors: single.errors },
      sustainedBatched: { alertsPerSecond: Math.round(batched.alerts / batched.seconds), alerts: batched.alerts, seconds: round(batched.seconds), connections, batchSize, errors: batched.errors },
      ackLatency: {
        rate,
        seconds: rateSeconds,
        requests: latencies.length,
        p50Ms: round(percentile(latencies, 50), 2),
        p99Ms: round(percentile(latencies, 99), 2),
        maxMs: round(latencies[latencies.length - 1] ?? 0, 2),
        errors: rateErrors,
        achievedRate: Math.round(latencies.length / rateElapsed),
      },
      stored: { rows: ids.size, acknowledged: acked.length, missing },
    };
  } finally {
    if (receiver.child.exitCode === null && receiver.child.signalCode === null) receiver.child.kill("SIGKILL");
    if (!options.keepStore) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = await measureIntake();
  console.log("runtime intake (receiver in its own process, SQLite WAL, group commit, 127.0.0.1)");
  console.log(`  sustained, 1 alert/request:   ${m.sustainedSingle.alertsPerSecond} alerts/s acknowledged (${m.sustainedSingle.alerts} in ${m.sustainedSingle.seconds} s, ${m.sustainedSingle.connections} connections, ${m.sustainedSingle.errors} errors)`);
  console.log(`  sustained, NDJSON x${m.sustainedBatched.batchSize}:      ${m.sustainedBatched.alertsPerSecond} alerts/s acknowledged (${m.sustainedBatched.alerts} in ${m.sustainedBatched.seconds} s, ${m.sustainedBatched.errors} errors)`);
  console.log(`  ack latency at ${m.ackLatency.rate}/s (open loop, ${m.ackLatency.requests} requests, achieved ${m.ackLatency.achievedRate}/s): p50 ${m.ackLatency.p50Ms} ms, p99 ${m.ackLatency.p99Ms} ms, max ${m.ackLatency.maxMs} ms, ${m.ackLatency.errors} errors`);
  console.log(`  durability: ${m.stored.acknowledged} acknowledged, ${m.stored.rows} rows in the store, ${m.stored.missing} acknowledged but missing`);
  console.log(JSON.stringify(m));
}
