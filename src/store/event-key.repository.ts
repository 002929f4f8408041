import type { StoreDb } from "./store-database.js";

export interface EventKey {
  eventId: string;
  updatedUs: number;
}

/** Event ids emitted near a stream's cursor: the overlap window re-reads them and must not emit them again. */
export class EventKeyRepository {
  constructor(private readonly db: StoreDb) {}

  async existing(connectorId: string, stream: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await this.db.selectFrom("event_keys").select("event_id").where("connector_id", "=", connectorId).where("stream", "=", stream).where("event_id", "in", [...eventIds]).execute();
    return new Set(rows.map((r) => r.event_id));
  }

  async record(connectorId: string, stream: string, keys: readonly EventKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db
      .insertInto("event_keys")
      .values(keys.map((k) => ({ connector_id: connectorId, stream, event_id: k.eventId, updated_us: k.updatedUs })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Drops keys older than the next overlap window can reach. */
  async pruneBefore(connectorId: string, stream: string, updatedUs: number): Promise<void> {
    await this.db.deleteFrom("event_keys").where("connector_id", "=", connectorId).where("stream", "=", stream).where("updated_us", "<", updatedUs).execute();
  }

  async clear(connectorId: string, stream: string): Promise<void> {
    await this.db.deleteFrom("event_keys").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
  }
}
