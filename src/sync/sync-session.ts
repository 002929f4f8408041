import type { Logger } from "pino";
import type { Sink } from "../sinks/sink.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { acquireStoreLock } from "../store/store-lock.js";
import { openStore, type Store } from "../store/store-database.js";
import type { ConnectorRunSummary } from "./connector-runner.js";
import type { StreamName } from "../model/stream-name.js";
import type { SyncConfig } from "./sync-config.js";
import { SyncEngine, type SyncEngineOptions } from "./sync-engine.js";

export interface SyncSession {
  engine: SyncEngine;
  store: Store;
  close(): Promise<void>;
}

/** Opens the store (running migrations) and builds the engine for a validated config. */
export async function openSyncSession(
  config: SyncConfig,
  logger: Logger,
  extra: Partial<Omit<SyncEngineOptions, "config" | "store" | "logger">> & { sinks?: ReadonlyMap<string, Sink>; command?: string } = {},
): Promise<SyncSession> {
  const { command, ...engineOptions } = extra;
  mkdirSync(dirname(config.storePath), { recursive: true });
  // One writer per store: a second `start`, or `sync` while `start` runs, would deliver and checkpoint twice.
  const lock = config.storePath === ":memory:" ? { release: () => undefined } : acquireStoreLock(config.storePath, command ?? process.argv.slice(1).join(" "));
  let store: Store;
  try {
    store = await openStore(config.storePath);
  } catch (error) {
    lock.release();
    throw error;
  }
  const engine = new SyncEngine({ config, store, logger, ...engineOptions });
  return {
    engine,
    store,
    close: async () => {
      try {
        await engine.close();
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}

export interface SyncOnceOptions {
  connectors?: readonly string[];
  streams?: readonly StreamName[];
  full?: boolean;
  /** How long to wait for the sinks to take everything before exiting. */
  drainTimeoutMs: number;
  signal?: AbortSignal;
}

export interface SyncOnceResult {
  summaries: ConnectorRunSummary[];
  /** Deliveries still waiting in the outbox (a sink down): they go out on the next run. */
  undelivered: number;
}

/** `wizbridge sync`: each selected connector's streams once, then deliver, then stop. */
export async function syncOnce(session: SyncSession, options: SyncOnceOptions): Promise<SyncOnceResult> {
  const summaries = await session.engine.runOnce({
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.full ? { full: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const undelivered = await session.engine.drain(options.drainTimeoutMs, options.signal);
  return { summaries, undelivered };
}
