import { ManagedEntryRepository } from "./managed-entry.repository.js";
import type { StoreDb } from "./store-database.js";

/** Connectors created through the API (0009_managed_config): their config-file entries without secrets. */
export class ManagedConnectorRepository extends ManagedEntryRepository {
  constructor(db: StoreDb) {
    super(db, "managed_connectors");
  }
}
