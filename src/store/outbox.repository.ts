import { sql } from "kysely";
import type { StoreDb } from "./store-database.js";

export interface OutboxEntry {
  connectorId: string;
  stream: string;
  eventId: string;
  /** The serialised WizEvent, written to sinks as is. */
  payload: string;
}

export interface OutboxRow extends OutboxEntry {
  seq: number;
}

/**
 * A row read as its stored UTF-8 bytes (readBytesAfter), for sinks that write bytes: no decode into a
 * JavaScript string and no encode back, and the payload sits outside the V8 heap, so the garbage collector
 * does not copy it while the batch is being written. `payload` is decoded only when something asks.
 */
export class OutboxBytesRow implements OutboxRow {
  private text: string | undefined;

  constructor(
    readonly seq: number,
    readonly connectorId: string,
    readonly stream: string,
    readonly eventId: string,
    /** The serialised WizEvent in UTF-8. */
    readonly bytes: Buffer,
  ) {}

  get payload(): string {
    this.text ??= this.bytes.toString("utf8");
    return this.text;
  }
}

/** Events waiting for delivery, in commit order (`seq`). Rows leave once every sink of the connector has them. */
export class OutboxRepository {
  constructor(private readonly db: StoreDb) {}

  async append(entries: readonly OutboxEntry[], now: number): Promise<void> {
    // Chunked: SQLite caps the bound parameters of one statement.
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000);
      await this.db
        .insertInto("outbox")
        .values(chunk.map((e) => ({ connector_id: e.connectorId, stream: e.stream, event_id: e.eventId, payload: e.payload, created_at: now })))
        .execute();
    }
  }

  async readAfter(connectorId: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .select(["seq", "connector_id", "stream", "event_id", "payload"])
      .where("connector_id", "=", connectorId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: r.seq, connectorId: r.connector_id, stream: r.stream, eventId: r.event_id, payload: r.payload }));
  }

  /** As readAfter, with each payload as its UTF-8 bytes (the column's text, not decoded). */
  async readBytesAfter(connectorId: string, afterSeq: number, limit: number): Promise<OutboxBytesRow[]> {
    const rows = await this.db
      .selectFrom("outbox")
      // CAST to BLOB hands over the stored UTF-8 as it is; rows stored as text or as bytes read the same.
      .select(["seq", "connector_id", "stream", "event_id", sql<Buffer>`CAST(payload AS BLOB)`.as("bytes")])
      .where("connector_id", "=", connectorId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => new OutboxBytesRow(r.seq, r.connector_id, r.stream, r.event_id, r.bytes));
  }

  /** Events of the connector that at least one of its sinks has not acknowledged. */
  async backlog(connectorId: string, oldestDeliveredSeq: number): Promise<number> {
    const row = await this.db
      .selectFrom("outbox")
      .select(sql<number>`count(*)`.as("n"))
      .where("connector_id", "=", connectorId)
      .where("seq", ">", oldestDeliveredSeq)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * The backlog as far as backpressure needs it: the pull checks it before every page, so it must not cost
   * a scan of a big backlog. Sequence numbers bound it from above in O(log n) (exact when one connector
   * writes the outbox); only when that bound reaches `cap` are rows counted, and never more than `cap`.
   */
  async backlogUpTo(connectorId: string, oldestDeliveredSeq: number, cap: number): Promise<number> {
    const top = await this.db.selectFrom("outbox").select(sql<number | null>`max(seq)`.as("top")).where("connector_id", "=", connectorId).executeTakeFirst();
    const bound = top?.top === null || top?.top === undefined ? 0 : Math.max(0, top.top - oldestDeliveredSeq);
    // Below the cap the bound answers "is there room" already (the true backlog is never larger).
    if (bound < cap) return bound;
    return this.backlogCapped(connectorId, oldestDeliveredSeq, cap);
  }

  private async backlogCapped(connectorId: string, afterSeq: number, cap: number): Promise<number> {
    const row = await this.db
      .selectFrom((eb) => eb.selectFrom("outbox").select(sql<number>`1`.as("one")).where("connector_id", "=", connectorId).where("seq", ">", afterSeq).limit(cap).as("capped"))
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async deleteUpTo(connectorId: string, seq: number): Promise<void> {
    await this.db.deleteFrom("outbox").where("connector_id", "=", connectorId).where("seq", "<=", seq).execute();
  }

  async count(connectorId?: string): Promise<number> {
    let query = this.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n"));
    if (connectorId !== undefined) query = query.where("connector_id", "=", connectorId);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
