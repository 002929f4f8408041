import type { StoreDb } from "./store-database.js";

/** What a disconnect removed, for the answer and the log. */
export interface ConnectorPurgeCounts {
  cursors: number;
  outbox: number;
  deadLetters: number;
  runs: number;
}

/**
 * Deletes everything the pull engine keeps for one connector (cursors, walks, slices, dedup keys, snapshot
 * members, outbox, sink offsets, dead letters, run history, and its row) in one transaction: a disconnected
 * connector leaves nothing behind, and a new connector given the same id starts from scratch.
 */
export async function purgeConnectorData(db: StoreDb, connectorId: string): Promise<ConnectorPurgeCounts> {
  return db.transaction().execute(async (tx) => {
    const cursors = await tx.deleteFrom("stream_states").where("connector_id", "=", connectorId).executeTakeFirst();
    for (const table of ["stream_runs", "slices", "event_keys", "snapshot_members", "sink_offsets"] as const) {
      await tx.deleteFrom(table).where("connector_id", "=", connectorId).execute();
    }
    const outbox = await tx.deleteFrom("outbox").where("connector_id", "=", connectorId).executeTakeFirst();
    const deadLetters = await tx.deleteFrom("dead_letters").where("connector_id", "=", connectorId).executeTakeFirst();
    const runIds = tx.selectFrom("runs").select("id").where("connector_id", "=", connectorId);
    await tx.deleteFrom("run_streams").where("run_id", "in", runIds).execute();
    const runs = await tx.deleteFrom("runs").where("connector_id", "=", connectorId).executeTakeFirst();
    await tx.deleteFrom("connectors").where("id", "=", connectorId).execute();
    return { cursors: Number(cursors.numDeletedRows), outbox: Number(outbox.numDeletedRows), deadLetters: Number(deadLetters.numDeletedRows), runs: Number(runs.numDeletedRows) };
  });
}

/** Forgets a sink's delivery position for a connector that no longer feeds it (its health would show forever). */
export async function forgetSinkOffset(db: StoreDb, connectorId: string, sinkId: string): Promise<void> {
  await db.deleteFrom("sink_offsets").where("connector_id", "=", connectorId).where("sink_id", "=", sinkId).execute();
}
