import type { StoreDb } from "./store-database.js";

/** One sink's delivery for one connector, as `status` shows it. */
export interface SinkHealth {
  connectorId: string;
  sinkId: string;
  deliveredSeq: number;
  /** Failed writes in a row (0 while the sink delivers). */
  failures: number;
  failingSince: number | null;
  lastError: string | null;
  lastDeliveredAt: number | null;
}

/** How far each sink has acknowledged a connector's outbox (everything at or below `delivered_seq`), and whether it is failing. */
export class SinkOffsetRepository {
  constructor(private readonly db: StoreDb) {}

  async offset(connectorId: string, sinkId: string): Promise<number> {
    const row = await this.db.selectFrom("sink_offsets").select("delivered_seq").where("connector_id", "=", connectorId).where("sink_id", "=", sinkId).executeTakeFirst();
    return row?.delivered_seq ?? 0;
  }

  async acknowledge(connectorId: string, sinkId: string, seq: number, now: number): Promise<void> {
    await this.db
      .insertInto("sink_offsets")
      .values({ connector_id: connectorId, sink_id: sinkId, delivered_seq: seq, updated_at: now, last_delivered_at: now })
      .onConflict((oc) => oc.columns(["connector_id", "sink_id"]).doUpdateSet({ delivered_seq: seq, updated_at: now, last_delivered_at: now }))
      .execute();
  }

  /** A write failed: counts it, keeps the error and when the failing began. */
  async recordFailure(connectorId: string, sinkId: string, error: string, failures: number, now: number): Promise<void> {
    await this.db
      .insertInto("sink_offsets")
      .values({ connector_id: connectorId, sink_id: sinkId, delivered_seq: 0, updated_at: now, failures, failing_since: now, last_error: error })
      .onConflict((oc) =>
        oc.columns(["connector_id", "sink_id"]).doUpdateSet((eb) => ({
          failures,
          last_error: error,
          updated_at: now,
          failing_since: eb.fn.coalesce("sink_offsets.failing_since", eb.val(now)),
        })),
      )
      .execute();
  }

  /** The sink delivers again. */
  async recordRecovery(connectorId: string, sinkId: string, now: number): Promise<void> {
    await this.db.updateTable("sink_offsets").set({ failures: 0, failing_since: null, last_error: null, updated_at: now }).where("connector_id", "=", connectorId).where("sink_id", "=", sinkId).execute();
  }

  async health(connectorId: string): Promise<SinkHealth[]> {
    const rows = await this.db.selectFrom("sink_offsets").selectAll().where("connector_id", "=", connectorId).orderBy("sink_id").execute();
    return rows.map((r) => ({
      connectorId: r.connector_id,
      sinkId: r.sink_id,
      deliveredSeq: r.delivered_seq,
      failures: r.failures,
      failingSince: r.failing_since,
      lastError: r.last_error,
      lastDeliveredAt: r.last_delivered_at,
    }));
  }

  /** The lowest offset among the given sinks (0 for a sink that never acknowledged). */
  async oldest(connectorId: string, sinkIds: readonly string[]): Promise<number> {
    if (sinkIds.length === 0) return Number.MAX_SAFE_INTEGER;
    const rows = await this.db.selectFrom("sink_offsets").select(["sink_id", "delivered_seq"]).where("connector_id", "=", connectorId).where("sink_id", "in", [...sinkIds]).execute();
    if (rows.length < sinkIds.length) return 0;
    return Math.min(...rows.map((r) => r.delivered_seq));
  }
}
