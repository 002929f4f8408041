import type { StoreDb } from "./store-database.js";

export interface SnapshotMember {
  recordId: string;
  version: string;
}

/** Members of the last full-posture snapshot of a stream: unchanged records emit nothing, missing ones a removal. */
export class SnapshotMemberRepository {
  constructor(private readonly db: StoreDb) {}

  async versions(connectorId: string, stream: string, recordIds: readonly string[]): Promise<Map<string, string>> {
    if (recordIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("snapshot_members")
      .select(["record_id", "version"])
      .where("connector_id", "=", connectorId)
      .where("stream", "=", stream)
      .where("record_id", "in", [...recordIds])
      .execute();
    return new Map(rows.map((r) => [r.record_id, r.version]));
  }

  async markSeen(connectorId: string, stream: string, runKey: string, members: readonly SnapshotMember[]): Promise<void> {
    if (members.length === 0) return;
    await this.db
      .insertInto("snapshot_members")
      .values(members.map((m) => ({ connector_id: connectorId, stream, record_id: m.recordId, version: m.version, seen_run: runKey })))
      .onConflict((oc) => oc.columns(["connector_id", "stream", "record_id"]).doUpdateSet((eb) => ({ version: eb.ref("excluded.version"), seen_run: eb.ref("excluded.seen_run") })))
      .execute();
  }

  /** Members the snapshot `runKey` did not see: they left Wiz (or the filter) since the previous snapshot. */
  async unseen(connectorId: string, stream: string, runKey: string, limit: number): Promise<SnapshotMember[]> {
    const rows = await this.db
      .selectFrom("snapshot_members")
      .select(["record_id", "version"])
      .where("connector_id", "=", connectorId)
      .where("stream", "=", stream)
      .where("seen_run", "!=", runKey)
      .orderBy("record_id")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ recordId: r.record_id, version: r.version }));
  }

  async remove(connectorId: string, stream: string, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await this.db.deleteFrom("snapshot_members").where("connector_id", "=", connectorId).where("stream", "=", stream).where("record_id", "in", [...recordIds]).execute();
  }

  async clear(connectorId: string, stream: string): Promise<void> {
    await this.db.deleteFrom("snapshot_members").where("connector_id", "=", connectorId).where("stream", "=", stream).execute();
  }
}
