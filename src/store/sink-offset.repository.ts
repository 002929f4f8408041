import type { StoreDb } from "./store-database.js";

/** How far each sink has acknowledged a connector's outbox: everything at or below `delivered_seq`. */
export class SinkOffsetRepository {
  constructor(private readonly db: StoreDb) {}

  async offset(connectorId: string, sinkId: string): Promise<number> {
    const row = await this.db.selectFrom("sink_offsets").select("delivered_seq").where("connector_id", "=", connectorId).where("sink_id", "=", sinkId).executeTakeFirst();
    return row?.delivered_seq ?? 0;
  }

  async acknowledge(connectorId: string, sinkId: string, seq: number, now: number): Promise<void> {
    await this.db
      .insertInto("sink_offsets")
      .values({ connector_id: connectorId, sink_id: sinkId, delivered_seq: seq, updated_at: now })
      .onConflict((oc) => oc.columns(["connector_id", "sink_id"]).doUpdateSet({ delivered_seq: seq, updated_at: now }))
      .execute();
  }

  /** The lowest offset among the given sinks (0 for a sink that never acknowledged). */
  async oldest(connectorId: string, sinkIds: readonly string[]): Promise<number> {
    if (sinkIds.length === 0) return Number.MAX_SAFE_INTEGER;
    const rows = await this.db.selectFrom("sink_offsets").select(["sink_id", "delivered_seq"]).where("connector_id", "=", connectorId).where("sink_id", "in", [...sinkIds]).execute();
    if (rows.length < sinkIds.length) return 0;
    return Math.min(...rows.map((r) => r.delivered_seq));
  }
}
