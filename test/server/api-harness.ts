import type { InjectOptions, LightMyRequestResponse } from "fastify";
import type { Simulator } from "../../src/sim/index.js";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import { ApiTokenRepository, type ApiRole } from "../../src/store/api-token.repository.js";
import { openSyncSession, type SyncSession } from "../../src/sync/sync-session.js";
import { silentLogger, simConfig, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";
import type { StoreDb } from "../../src/store/store-database.js";

export const INGEST_TOKEN = "api-test-ingest-token-0123456789";

/** One token per role, as the Authorization header to send. */
export async function roleBearers(db: StoreDb): Promise<Record<"viewer" | "operator" | "admin", { authorization: string }>> {
  const tokens = new ApiTokenRepository(db);
  const bearer = {} as Record<"viewer" | "operator" | "admin", { authorization: string }>;
  for (const role of ["viewer", "operator", "admin"] as const) bearer[role] = { authorization: `Bearer ${(await tokens.create(`test ${role}`, role)).secret}` };
  return bearer;
}

/** A main job as `wizbridge start` runs it (pull connector, runtime section, API) on the simulator, not scheduling. */
export interface ApiHarness {
  sim: Simulator;
  session: SyncSession;
  server: MainJobServer;
  dir: string;
  /** `Authorization` headers of one token per role. */
  bearer: Record<ApiRole, { authorization: string }>;
  /** An inject() with a JSON body when `payload` is given. */
  inject(method: InjectOptions["method"], url: string, headers?: Record<string, string>, payload?: unknown, remoteAddress?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startApiHarness(options: { server?: Record<string, unknown> } = {}): Promise<ApiHarness> {
  const sim = await startTestSimulator();
  const dir = tempDir("wizbridge-api-");
  const config = simConfig(
    sim,
    dir,
    { streams: { issues: { schedule: "once" } } },
    { runtime: { sources: { falco: { auth: { type: "bearer", token: INGEST_TOKEN } }, generic: { auth: { type: "bearer", token: INGEST_TOKEN } } }, batchWindowMs: 100 }, ...(options.server ? { server: options.server } : {}) },
  );
  const session = await openSyncSession(config, silentLogger);
  const server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
  const bearer = await roleBearers(session.store.db);
  return {
    sim,
    session,
    server,
    dir,
    bearer,
    inject: (method, url, headers = {}, payload, remoteAddress) =>
      server.http.app.inject({
        method,
        url,
        headers: { ...headers, ...(payload === undefined ? {} : { "content-type": "application/json" }) },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
        ...(remoteAddress ? { remoteAddress } : {}),
      }),
    close: async () => {
      await server.close();
      await session.close();
      await sim.close();
    },
  };
}

/** A generic runtime alert about a cloud id (the demo tenant does not have it, so it stays unresolved). */
export function genericAlert(n: number, cloudId = `i-0000000000000${String(n).padStart(4, "0")}`): Record<string, unknown> {
  return { sensor: "api-test", ruleId: `rule-${n % 3}`, title: `Test alert ${n}`, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), severity: "HIGH", identifiers: { cloudIds: [cloudId] } };
}
