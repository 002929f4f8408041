import type { Logger } from "pino";
import type { CredentialRepository } from "../store/credential.repository.js";
import type { StoreDb } from "../store/store-database.js";
import { CatalogError } from "./catalog-error.js";
import type { WizFilterValidator } from "./filter-validator.js";
import type { SerialQueue } from "./serial-queue.js";
import type { SyncEngine } from "./sync-engine.js";

/** What the managed connector and sink catalogs share (built once by the composition root). */
export interface CatalogDeps {
  engine: SyncEngine;
  db: StoreDb;
  /** Undefined when no master key could be loaded: stored secrets cannot be read or written. */
  credentials: CredentialRepository | undefined;
  /** Why there is no usable master key, with the fix (set when credentials is undefined). */
  keyProblem?: string;
  validator: WizFilterValidator;
  /** Relative paths in sinks created through the API (a JSONL directory) resolve against this directory. */
  dataDir: string;
  logger: Logger;
  now: () => number;
  /** Serialises every change to connectors and sinks. */
  queue: SerialQueue;
  /** Told after a connector was added, replaced, enabled, disabled or removed (webhook routes, caches). */
  onConnectorChange?: (id: string) => void;
}

/** The credential store, or a 503-kind error saying how to provide the master key. */
export function credentialsOf(deps: CatalogDeps): NonNullable<CatalogDeps["credentials"]> {
  if (deps.credentials) return deps.credentials;
  throw new CatalogError("unavailable", `Secrets cannot be stored or read: ${deps.keyProblem ?? "no master key is loaded"}`, { fix: "set WIZBRIDGE_MASTER_KEY (32 bytes, base64 or hex) or fix <data dir>/master.key, then restart `wizbridge start`." });
}

/** A request body as a plain object, or a 400-kind error. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new CatalogError("invalid", "the body must be a JSON object.", { problems: [{ path: "", message: "must be a JSON object" }] });
  return body as Record<string, unknown>;
}
