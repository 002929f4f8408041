/**
 * `npm run bench:push`: the push path end to end, every process as in production.
 *   1. intake (measureIntake): sustained alerts/s with durable acknowledgement; ack latency p50/p99 at
 *      1,000 alerts/s (receiver in its own process, real HTTP on 127.0.0.1);
 *   2. fold: 10,000 repeats of one detection sent to a worker (intake + delivery pipeline, its own
 *      process) against the simulator (realtime clock, 1 s processing): how many events reach Wiz;
 *   3. alert-to-confirmed: alerts at a steady rate, each timed from its 2xx to the moment the store
 *      shows it confirmed by Wiz (systemActivity SUCCESS), against the batch window + 5 s target.
 *
 * Env: BENCH_FOLD_REPEATS (10000), BENCH_LATENCY_RATE (200/s), BENCH_LATENCY_SECONDS (10),
 * BENCH_BATCH_WINDOW_MS (1000), BENCH_SKIP_INTAKE=1 to skip part 1; measureIntake's own BENCH_* too.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { openStore, type Store } from "../src/store/store-database.js";
import { measureIntake } from "./push-intake.bench.js";
import { startSimulator } from "../src/sim/index.js";
import { startListeningProcess } from "./listening-process.js";

const TOKEN = "bench-push-token-0123456789";
const FIXTURE = "falco-json-output-read-sensitive-file-k8s.json";
const POD_UID = "aadadjh763wiuh";

/** A small recorded tenant: the pod the Falco fixture names (by uid), and one resource of every type the resolver searches. */
function writeTenant(dir: string): void {
  const types = ["POD", "CONTAINER", "DEPLOYMENT", "DAEMON_SET", "STATEFUL_SET", "REPLICA_SET", "KUBERNETES_JOB", "KUBERNETES_CRON_JOB", "VIRTUAL_MACHINE", "KUBERNETES_CLUSTER", "ENDPOINT"];
  const records = types.map((type, i) => {
    const id = `7e570000-0000-4000-8000-00000000b${String(i).padStart(3, "0")}`;
    const providerUniqueId = i === 0 ? POD_UID : `bench-${type.toLowerCase()}-0001`;
    const name = i === 0 ? "kubernetes-pod-1" : `bench-${type.toLowerCase()}`;
    const properties = { name, providerUniqueId, externalId: providerUniqueId, cloudPlatform: "Kubernetes", kubernetes_namespaceName: "kubernetes-ns" };
    return {
      id,
      name,
      type,
      nativeType: type,
      cloudPlatform: "Kubernetes",
      providerUniqueId,
      firstSeen: "2025-11-01T00:00:00Z",
      lastSeen: "2025-12-31T00:00:00Z",
      graphEntity: { id, name, type, providerUniqueId, properties, projects: [], technologies: [], userMetadata: null, firstSeen: null, lastSeen: null, deletedAt: null },
    };
  });
  writeFileSync(join(dir, "cloudResources.json"), JSON.stringify(records));
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function startWorker(storePath: string, sim: { graphqlUrl: string; tokenUrl: string; audience: string; clientId: string; clientSecret: string }, delivery: object): Promise<{ child: ChildProcess; url: string }> {
  return startListeningProcess(
    "runtime/runtime-worker.main.js",
    ["--store", storePath, "--token", TOKEN, "--endpoint", sim.graphqlUrl, "--token-url", sim.tokenUrl, "--audience", sim.audience, "--client-id", sim.clientId, "--delivery", JSON.stringify(delivery)],
    { ...process.env, WIZ_CLIENT_SECRET: sim.clientSecret },
  );
}

/** One look at the store: records when each of `ids` (the first 5,000) is first seen confirmed or linked. */
async function markConfirmed(store: Store, ids: readonly string[], seenAt: Map<string, number>): Promise<void> {
  const rows = await store.db.selectFrom("runtime_alerts").select("id").where("id", "in", ids.slice(0, 5000)).where("state", "in", ["confirmed", "linked"]).execute();
  const now = Date.now();
  for (const r of rows) seenAt.set(r.id, now);
}

/** Polls the store until every id is confirmed or linked, or the time is up. */
async function watchConfirmed(store: Store, ids: readonly string[], seenAt: Map<string, number>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = ids.filter((id) => !seenAt.has(id));
  while (pending.length > 0 && Date.now() < deadline) {
    await markConfirmed(store, pending, seenAt);
    pending = pending.filter((id) => !seenAt.has(id));
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  if (process.env.BENCH_SKIP_INTAKE !== "1") {
    const intake = await measureIntake();
    results.intake = intake;
    console.log("1. runtime intake (receiver in its own process, SQLite WAL, group commit, 127.0.0.1)");
    console.log(`   sustained, 1 alert/request: ${intake.sustainedSingle.alertsPerSecond} alerts/s acknowledged; NDJSON x${intake.sustainedBatched.batchSize}: ${intake.sustainedBatched.alertsPerSecond} alerts/s`);
    console.log(`   ack latency at ${intake.ackLatency.rate}/s (achieved ${intake.ackLatency.achievedRate}/s): p50 ${intake.ackLatency.p50Ms} ms, p99 ${intake.ackLatency.p99Ms} ms; ${intake.stored.missing} acknowledged but missing`);
  }

  const repeats = Number(process.env.BENCH_FOLD_REPEATS ?? 10_000);
  const rate = Number(process.env.BENCH_LATENCY_RATE ?? 200);
  const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
  const batchWindowMs = Number(process.env.BENCH_BATCH_WINDOW_MS ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-bench-push-"));
  writeTenant(dir);
  // In this process (the worker under measurement has its own): `wizbridge sim --tenant-dir` with this
  // one-resource tenant stalls on a graphSearch over an absent type, which the in-process simulator answers.
  const simulator = await startSimulator({ seed: 7, tenantDir: dir, clock: { realtime: true }, rateLimit: { requestsPerSecond: 0 }, upload: { processingDelayMs: 1000 } });
  const sim = { info: { graphqlUrl: simulator.graphqlUrl, tokenUrl: simulator.tokenUrl, audience: simulator.audience, clientId: simulator.clientId, clientSecret: simulator.clientSecret }, stop: () => simulator.close() };
  const storePath = join(dir, "wizbridge.db");
  const worker = await startWorker(storePath, sim.info, { batchWindowMs, pollIntervalMs: 250, tickMs: 50, batchSize: 5000 });
  const pool = new Pool(worker.url, { connections: 16 });
  const store = await openStore(storePath);
  const fixture = JSON.parse(readFileSync(new URL(`../../test/fixtures/runtime/${FIXTURE}`, import.meta.url), "utf8")) as { output_fields: Record<string, unknown> };
  const post = async (body: string, type = "application/json"): Promise<string[]> => {
    const res = await pool.request({ method: "POST", path: "/ingest/falco", headers: { authorization: `Bearer ${TOKEN}`, "content-type": type }, body });
    const json = (await res.body.json()) as { ids?: string[] };
    if (res.statusCode !== 202) throw new Error(`ingest answered ${res.statusCode}: ${JSON.stringify(json)}`);
    return json.ids ?? [];
  };
  try {
    // 2. fold: the same detection, 10,000 times, in NDJSON batches of 500.
    const line = JSON.stringify(fixture);
    const foldStart = Date.now();
    const foldIds: string[] = [];
    for (let sent = 0; sent < repeats; sent += 500) foldIds.push(...(await post(Array.from({ length: Math.min(500, repeats - sent) }, () => line).join("\n"), "application/x-ndjson")));
    const seenAt = new Map<string, number>();
    await watchConfirmed(store, foldIds, seenAt, 180_000);
    const foldSeconds = (Date.now() - foldStart) / 1000;
    const events = await store.db
      .withTables<{ runtime_delivery_events: { event_id: string; count: number; state: string } }>()
      .selectFrom("runtime_delivery_events")
      .select(["event_id", "count", "state"])
      .execute();
    results.fold = { repeats, accepted: foldIds.length, confirmed: seenAt.size, events: events.length, counts: events.map((e) => e.count), seconds: Math.round(foldSeconds * 10) / 10 };
    console.log(`2. fold: ${foldIds.length} repeats of one detection -> ${events.length} event(s) in Wiz (count ${events.map((e) => e.count).join(", ")}); all ${seenAt.size} confirmed in ${Math.round(foldSeconds * 10) / 10} s`);

    // 3. alert-to-confirmed at a steady rate, 50 distinct detections (file names) so uploads carry many events.
    // The store is watched while alerts are still being sent: each alert is timed from its own 2xx.
    const acked = new Map<string, number>();
    const latencySeen = new Map<string, number>();
    let sending = true;
    const watcher = (async () => {
      while (sending) {
        const pending = [...acked.keys()].filter((id) => !latencySeen.has(id));
        if (pending.length > 0) await markConfirmed(store, pending, latencySeen);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const start = Date.now();
    const total = rate * seconds;
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = JSON.stringify({ ...fixture, output_fields: { ...fixture.output_fields, "fd.name": `/etc/secret-${i % 50}` } });
      sends.push(
        post(body).then((ids) => {
          const at = Date.now();
          for (const id of ids) acked.set(id, at);
        }),
      );
    }
    await Promise.all(sends);
    sending = false;
    await watcher;
    await watchConfirmed(store, [...acked.keys()], latencySeen, 120_000);
    const latencies = [...acked].flatMap(([id, at]) => (latencySeen.has(id) ? [(latencySeen.get(id) as number) - at] : [])).sort((a, b) => a - b);
    const lost = acked.size - latencies.length;
    results.alertToConfirmed = {
      rate,
      seconds,
      alerts: acked.size,
      batchWindowMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? 0,
      targetMs: batchWindowMs + 5000,
      notConfirmed: lost,
    };
    console.log(
      `3. alert-to-confirmed at ${rate}/s for ${seconds} s (${acked.size} alerts, batch window ${batchWindowMs} ms, simulator processing 1 s): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1) ?? 0} ms (target <= ${batchWindowMs + 5000} ms); ${lost} not confirmed`,
    );
  } finally {
    await pool.close();
    await store.close();
    worker.child.kill("SIGTERM");
    await new Promise((r) => worker.child.once("exit", r));
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(results));
}

await main();
