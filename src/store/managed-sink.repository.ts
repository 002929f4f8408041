import { ManagedEntryRepository } from "./managed-entry.repository.js";
import type { StoreDb } from "./store-database.js";

/** Sinks created through the API (0009_managed_config): their config-file settings without secrets. */
export class ManagedSinkRepository extends ManagedEntryRepository {
  constructor(db: StoreDb) {
    super(db, "managed_sinks");
  }
}
