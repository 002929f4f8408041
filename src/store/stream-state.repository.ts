import type { StoreDb } from "./store-database.js";
import type { SliceTable, StreamRunTable, StreamStateTable } from "./store-schema.js";

export type SliceRow = SliceTable;
export type StreamRunRow = StreamRunTable;

export interface SliceCheckpoint {
  connectorId: string;
  stream: string;
  sliceId: number;
  endCursor: string | null;
  highWaterUs: number | null;
  pages: number;
  records: number;
  totalEstimate: number | null;
  done: boolean;
}

/** Cursors per connector x stream, and the walk in progress with its slices' page checkpoints. */
export class StreamStateRepository {
  constructor(private readonly db: StoreDb) {}

  async state(connectorId: string, stream: string): Promise<StreamStateTable | undefined> {
    return this.db.selectFrom("stream_states").selectAll().where("connector_id", "=", connectorId).where("stream", "=", stream).executeTakeFirst();
  }

  async states(connectorId: string): Promise<StreamStateTable[]> {
    return this.db.selectFrom("stream_states").selectAll().where("connector_id", "=", connectorId).orderBy("stream").execute();
  }

  /** The walk left open by a stopped or crashed process, with its slices. */
  async openRun(connectorId: string, stream: string): Promise<{ run: StreamRunRow; slices: SliceRow[] } | undefined> {
    const run = await this.db.selectFrom("stream_runs").selectAll().where("connector_id", "=", connectorId).where("stream", "=", stream).executeTakeFirst();
    if (!run) return undefined;
    const slices = await this.db.selectFrom("slices").selectAll().where("connector_id", "=", connectorId).where("stream", "=", stream).orderBy("slice_id").execute();
    return { run, slices };
  }

  async beginRun(run: StreamRunRow, slices: readonly SliceRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("slices").where("connector_id", "=", run.connector_id).where("stream", "=", run.stream).execute();
      await trx.deleteFrom("stream_runs").where("connector_id", "=", run.connector_id).where("stream", "=", run.stream).execute();
      await trx.insertInto("stream_runs").values(run).execute();
      if (slices.length > 0) await trx.insertInto("slices").values([...slices]).execute();
    });
  }

  /** Part of the page transaction: where the slice's next page starts. */
  async checkpoint(c: SliceCheckpoint): Promise<void> {
    await this.db
      .updateTable("slices")
      .set({ end_cursor: c.endCursor, high_water_us: c.highWaterUs, pages: c.pages, records: c.records, total_estimate: c.totalEstimate, done: c.done ? 1 : 0 })
      .where("connector_id", "=", c.connectorId)
      .where("stream", "=", c.stream)
      .where("slice_id", "=", c.sliceId)
      .execute();
  }

  /** A slice whose stored cursor Wiz refused: it walks again from `filterLoUs` without a cursor. */
  async restartSlice(s: { connectorId: string; stream: string; sliceId: number; filterLoUs: number | null }): Promise<void> {
    await this.db
      .updateTable("slices")
      .set({ end_cursor: null, filter_lo_us: s.filterLoUs })
      .where("connector_id", "=", s.connectorId)
      .where("stream", "=", s.stream)
      .where("slice_id", "=", s.sliceId)
      .execute();
  }

  /** Splits a slice: lowers its upper bound and adds the rest as a new slice, atomically. */
  async split(parent: { connectorId: string; stream: string; sliceId: number; newHiUs: number }, child: SliceRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("slices").set({ hi_us: parent.newHiUs }).where("connector_id", "=", parent.connectorId).where("stream", "=", parent.stream).where("slice_id", "=", parent.sliceId).execute();
      await trx.insertInto("slices").values(child).execute();
    });
  }

  /** Closes the walk and moves the stream's cursor. */
  async settle(connectorId: string, stream: string, cursorUs: number | null, fullCompleted: boolean, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("slices").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
      await trx.deleteFrom("stream_runs").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
      const existing = await trx.selectFrom("stream_states").select("full_completed_at").where("connector_id", "=", connectorId).where("stream", "=", stream).executeTakeFirst();
      const full = fullCompleted ? now : (existing?.full_completed_at ?? null);
      await trx
        .insertInto("stream_states")
        .values({ connector_id: connectorId, stream, cursor_us: cursorUs, full_completed_at: full, resync_requested: 0, updated_at: now })
        .onConflict((oc) => oc.columns(["connector_id", "stream"]).doUpdateSet({ cursor_us: cursorUs, full_completed_at: full, resync_requested: 0, updated_at: now }))
        .execute();
    });
  }

  /** Forgets the stream's cursor and any walk in progress, so the next run is a full export. */
  async requestResync(connectorId: string, stream: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("slices").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
      await trx.deleteFrom("stream_runs").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
      await trx
        .insertInto("stream_states")
        .values({ connector_id: connectorId, stream, cursor_us: null, full_completed_at: null, resync_requested: 1, updated_at: now })
        .onConflict((oc) => oc.columns(["connector_id", "stream"]).doUpdateSet({ cursor_us: null, resync_requested: 1, updated_at: now }))
        .execute();
    });
  }
}
