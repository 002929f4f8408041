import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import type { RuntimeAlertState } from "../../src/model/runtime-alert.js";
import { RuntimeIntake } from "../../src/runtime/intake/runtime-intake.service.js";
import { registerIngestRoutes } from "../../src/runtime/intake/ingest.routes.js";
import { parseRuntimeConfig } from "../../src/runtime/runtime-config.js";
import { startRuntimePipeline, type RuntimePipeline, type RuntimePipelineDeps } from "../../src/runtime/runtime-pipeline.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/sim/index.js";
import { openStore, type Store } from "../../src/store/store-database.js";
import { simClient } from "../../src/wiz/sim-client.test-fixtures.js";
import { WizClient } from "../../src/wiz/wiz-client.js";
import { RUNTIME_SERVICE_MAPPINGS, writeRuntimeTenant } from "./runtime-tenant.js";

export const INGEST_TOKEN = "runtime-e2e-token-0123456789";

export function runtimeFixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/runtime/${file}`, import.meta.url), "utf8"));
}

/** A simulator holding the fixtures' resources; uploads are processed as soon as they are polled. */
export function startRuntimeSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, tenantDir: writeRuntimeTenant(), rateLimit: { requestsPerSecond: 0 }, ...options, upload: { processingDelayMs: 0, ...options.upload } });
}

/** Fast delivery settings for tests: short windows and backoff, the fixtures' service mapping. */
export const TEST_DELIVERY_CONFIG = {
  batchWindowMs: 100,
  pollIntervalMs: 20,
  pollTimeoutMs: 20_000,
  tickMs: 20,
  backoffBaseMs: 50,
  backoffMaxMs: 400,
  negativeCacheTtlMs: 200,
  enrichRetryMs: 100,
  services: Object.entries(RUNTIME_SERVICE_MAPPINGS).map(([match, providerUniqueId]) => ({ match, providerUniqueId })),
} as const;

export interface IntakeServer {
  store: Store;
  intake: RuntimeIntake;
  app: FastifyInstance;
  url: string;
  post(source: string, body: unknown): Promise<{ status: number; body: { ids?: string[] } & Record<string, unknown> }>;
  close(): Promise<void>;
}

const SOURCES = ["falco", "falcosidekick", "tetragon", "tracee", "kubearmor", "sysdig", "guardduty", "aws-waf", "modsecurity", "generic"] as const;

/** The real intake (store + group commit + Fastify routes) on 127.0.0.1, every source behind one bearer token. */
export async function startIntakeServer(dataDir = mkdtempSync(join(tmpdir(), "wizbridge-runtime-"))): Promise<IntakeServer> {
  const store = await openStore(join(dataDir, "wizbridge.db"));
  const intake = new RuntimeIntake({ alerts: store.runtimeAlerts });
  const config = parseRuntimeConfig({ sources: Object.fromEntries(SOURCES.map((s) => [s, { auth: { type: "bearer", token: INGEST_TOKEN } }])) });
  const app = Fastify();
  await registerIngestRoutes(app, { intake, config });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    store,
    intake,
    app,
    url,
    async post(source, body) {
      const response = await fetch(`${url}/ingest/${source}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_TOKEN}` }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { ids?: string[] } };
    },
    async close() {
      await app.close();
      await intake.close();
      await store.close();
    },
  };
}

/** The ids an ingest answer accepted. */
export function acceptedIds(answer: { body: { ids?: string[] } }): string[] {
  return answer.body.ids ?? [];
}

export function startTestPipeline(store: Store, sim: Simulator, extra: Partial<RuntimePipelineDeps> & { client?: WizClient } = {}): { pipeline: RuntimePipeline; client: WizClient } {
  const client = extra.client ?? new WizClient(simClient(sim));
  const pipeline = startRuntimePipeline({ store, wiz: client, ...extra, config: { ...TEST_DELIVERY_CONFIG, ...extra.config } });
  return { pipeline, client };
}

export async function alertStates(store: Store, ids: readonly string[]): Promise<Map<string, { state: RuntimeAlertState; detail: string | null }>> {
  const rows = ids.length === 0 ? [] : await store.db.selectFrom("runtime_alerts").select(["id", "state", "state_detail"]).where("id", "in", [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { state: r.state as RuntimeAlertState, detail: r.state_detail }]));
}

/** Waits (generously: slow shared machines) until every id is in one of `states`; returns the final states. */
export async function waitForStates(store: Store, ids: readonly string[], states: readonly RuntimeAlertState[], timeoutMs = 90_000): Promise<Map<string, { state: RuntimeAlertState; detail: string | null }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await alertStates(store, ids);
    const done = ids.every((id) => states.includes(current.get(id)?.state as RuntimeAlertState));
    if (done || Date.now() > deadline) return current;
    await new Promise((r) => setTimeout(r, 50));
  }
}
