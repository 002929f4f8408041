import type { Logger } from "pino";
import { CredentialRepository } from "../store/credential.repository.js";
import { dirname } from "node:path";
import { loadMasterKey } from "../store/master-key.js";
import { SecretBox } from "../store/secret-box.js";
import type { Store } from "../store/store-database.js";
import { ConnectorCatalog } from "./connector-catalog.js";
import type { WizFilterValidator } from "./filter-validator.js";
import { SerialQueue } from "./serial-queue.js";
import { SinkCatalog } from "./sink-catalog.js";
import type { SyncEngine } from "./sync-engine.js";

/** The connectors and sinks of the running main job: config-file ones (read-only) and API-managed ones. */
export interface ManagedCatalog {
  connectors: ConnectorCatalog;
  sinks: SinkCatalog;
}

export interface ManagedCatalogOptions {
  engine: SyncEngine;
  store: Store;
  /** The master key, or why there is none (the message carries the fix). */
  masterKey: SecretBox | { problem: string };
  validator: WizFilterValidator;
  dataDir: string;
  logger: Logger;
  now: () => number;
  onConnectorChange?: (id: string) => void;
}

/**
 * Builds the catalogs and starts what the store holds (sinks first, since connectors feed them), before the
 * scheduler starts: connectors created through the API run again after a restart, from their cursors.
 */
export async function loadManagedCatalog(options: ManagedCatalogOptions): Promise<ManagedCatalog> {
  const box = "problem" in options.masterKey ? undefined : options.masterKey;
  const deps = {
    engine: options.engine,
    db: options.store.db,
    credentials: box ? new CredentialRepository(options.store.db, box) : undefined,
    ...("problem" in options.masterKey ? { keyProblem: options.masterKey.problem } : {}),
    validator: options.validator,
    dataDir: options.dataDir,
    logger: options.logger,
    now: options.now,
    queue: new SerialQueue(),
    ...(options.onConnectorChange ? { onConnectorChange: options.onConnectorChange } : {}),
  };
  const sinks = new SinkCatalog(deps);
  const connectors = new ConnectorCatalog(deps);
  await sinks.load();
  await connectors.load();
  return { connectors, sinks };
}

/**
 * The master key for a store: WIZBRIDGE_MASTER_KEY, else `master.key` beside the store (created 0600 on
 * first use). An in-memory store gets a throw-away key (its secrets die with it). A key that cannot be
 * loaded is returned as the problem, so config connectors still run and API ones show the fix.
 */
export function masterKeyForStore(storePath: string, env: NodeJS.ProcessEnv): SecretBox | { problem: string } {
  if (storePath === ":memory:") return new SecretBox(SecretBox.generateKey(), { source: "a throw-away key for an in-memory store" });
  try {
    return loadMasterKey({ dataDir: dirname(storePath), env, create: true });
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
