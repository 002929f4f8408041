import { join } from "node:path";
import { RUNTIME_SOURCES } from "../model/runtime-alert.js";
import type { SyncConfigFile } from "./sync-config.js";

export const EMBEDDED_CONNECTOR_ID = "demo";

/**
 * The configuration `wizbridge start` runs without a file: one connector on the given tenant (the local
 * simulator) with every stream on its default schedule, the SQLite store and a JSONL sink under dataDir.
 */
export function embeddedDefaultConfig(dataDir: string, connection: Record<string, unknown>, webhookToken?: string): SyncConfigFile {
  return {
    dataDir,
    connectors: [
      {
        id: EMBEDDED_CONNECTOR_ID,
        connection,
        // Under the simulator's default limit of 5 requests/s, so nothing is ever throttled.
        rateLimit: { requestsPerSecond: 4, maxConcurrency: 3 },
        sinks: ["events"],
        streams: "all",
        // The simulator's automation rules post issue and detection changes here as they happen.
        ...(webhookToken ? { webhook: { auth: { type: "bearer" as const, token: webhookToken } } } : {}),
      },
    ],
    sinks: { events: { type: "jsonl", directory: join(dataDir, "events") } },
    // The push path too: every sensor source on the loopback-only receiver, into the simulator tenant.
    runtime: { connector: EMBEDDED_CONNECTOR_ID, sources: Object.fromEntries(RUNTIME_SOURCES.map((source) => [source, { auth: { type: "none" as const } }])) },
  };
}
