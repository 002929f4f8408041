import Fastify from "fastify";
import { RUNTIME_SOURCES } from "../../model/runtime-alert.js";
import { openStore, type Store } from "../../store/store-database.js";
import { parseRuntimeConfig } from "../runtime-config.js";
import { registerRuntimeAlertRoutes } from "../runtime-alert.routes.js";
import { registerIngestRoutes } from "./ingest.routes.js";
import { RuntimeIntake } from "./runtime-intake.service.js";

export interface BareIngestServer {
  store: Store;
  url: string;
  /** Stops accepting and closes intake (the store stays open: the caller owns it). */
  close(): Promise<void>;
}

/**
 * The receiver of the bare `*.main.js` processes: every runtime source on POST /ingest/<source> with one
 * bearer token (or none), and GET /api/runtime/alerts/<id>, on 127.0.0.1 at `port` (0 = any). Prints one
 * line `listening <url>`.
 */
export async function startBareIngestServer(storePath: string, options: { port: number; token: string | undefined }): Promise<BareIngestServer> {
  const auth = options.token ? { type: "bearer" as const, token: options.token } : { type: "none" as const };
  const config = parseRuntimeConfig({ sources: Object.fromEntries(RUNTIME_SOURCES.map((s) => [s, { auth }])) });
  const store = await openStore(storePath);
  const intake = new RuntimeIntake({ alerts: store.runtimeAlerts });
  const app = Fastify({ logger: false });
  await registerIngestRoutes(app, { intake, config });
  await registerRuntimeAlertRoutes(app, { db: store.db });
  const url = await app.listen({ host: "127.0.0.1", port: options.port });
  console.log(`listening ${url}`);
  return {
    store,
    url,
    close: async () => {
      await app.close();
      await intake.close();
    },
  };
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits 0. */
export function exitOnStopSignal(stop: () => Promise<void>): void {
  const shutdown = async (): Promise<void> => {
    await stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
}
