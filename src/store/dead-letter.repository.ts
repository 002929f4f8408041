import type { StoreDb } from "./store-database.js";
import type { OutboxRow } from "./outbox.repository.js";

export interface DeadLetter extends OutboxRow {
  id: number;
  sinkId: string;
  reason: string;
  failedAt: number;
  replayedAt: number | null;
}

/** Events a sink refused for good (poison records), with the reason; they can be replayed to that sink. */
export class DeadLetterRepository {
  constructor(private readonly db: StoreDb) {}

  async add(sinkId: string, rows: ReadonlyArray<{ row: OutboxRow; reason: string }>, now: number): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto("dead_letters")
      .values(rows.map(({ row, reason }) => ({ connector_id: row.connectorId, sink_id: sinkId, seq: row.seq, event_id: row.eventId, stream: row.stream, payload: row.payload, reason, failed_at: now, replayed_at: null })))
      .execute();
  }

  async list(filter: { connectorId?: string; sinkId?: string; pendingOnly?: boolean } = {}, limit = 1000): Promise<DeadLetter[]> {
    let query = this.db.selectFrom("dead_letters").selectAll();
    if (filter.connectorId !== undefined) query = query.where("connector_id", "=", filter.connectorId);
    if (filter.sinkId !== undefined) query = query.where("sink_id", "=", filter.sinkId);
    if (filter.pendingOnly) query = query.where("replayed_at", "is", null);
    const rows = await query.orderBy("id").limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      connectorId: r.connector_id,
      sinkId: r.sink_id,
      stream: r.stream,
      eventId: r.event_id,
      payload: r.payload,
      reason: r.reason,
      failedAt: r.failed_at,
      replayedAt: r.replayed_at,
    }));
  }

  /** Dead letters of a connector not yet replayed. */
  async pendingCount(connectorId: string): Promise<number> {
    const row = await this.db.selectFrom("dead_letters").select((eb) => eb.fn.countAll<number>().as("n")).where("connector_id", "=", connectorId).where("replayed_at", "is", null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async markReplayed(ids: readonly number[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable("dead_letters").set({ replayed_at: now }).where("id", "in", [...ids]).execute();
  }
}
