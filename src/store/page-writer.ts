import type BetterSqlite3 from "better-sqlite3";
import type { StoreDb } from "./store-database.js";
import type { EventKey } from "./event-key.repository.js";
import type { OutboxEntry } from "./outbox.repository.js";
import type { SnapshotMember } from "./snapshot-member.repository.js";
import type { SliceCheckpoint } from "./stream-state.repository.js";

/** The dead-letter "sink" of records the normaliser refused (their payload is the raw Wiz node). */
export const NORMALISER_DEAD_LETTER_SINK = "(normaliser)";

export interface PageCommit {
  connectorId: string;
  stream: string;
  events: readonly OutboxEntry[];
  /** Records that could not be normalised (raw payload + reason): dead-lettered in the same transaction. */
  rejected?: ReadonlyArray<{ eventId: string; payload: string; reason: string }>;
  keys: readonly EventKey[];
  members?: { runKey: string; seen: readonly SnapshotMember[] };
  checkpoint: SliceCheckpoint;
}

/** Writes a page's events and the checkpoint that moves past them, atomically. */
export interface PageWriter {
  commit(commit: PageCommit, now: number): Promise<void>;
}

/**
 * The one transaction the no-loss guarantee rests on, on SQLite: a page's events enter the outbox together
 * with the checkpoint that moves past them; a crash before it re-reads the page, a crash after it loses
 * nothing. It is the engine's hottest write (every event passes here), so it runs on prepared statements
 * in one synchronous better-sqlite3 transaction (a third of the cost of building the multi-row INSERTs),
 * while holding Kysely's connection so no other Kysely transaction can be open around it.
 */
export class SqlitePageWriter implements PageWriter {
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly insertKey: BetterSqlite3.Statement;
  private readonly insertDeadLetter: BetterSqlite3.Statement;
  private readonly upsertMember: BetterSqlite3.Statement;
  private readonly checkpoint: BetterSqlite3.Statement;
  private readonly write: (commit: PageCommit, now: number) => void;

  constructor(
    private readonly db: StoreDb,
    sqlite: BetterSqlite3.Database,
  ) {
    this.insertEvent = sqlite.prepare("INSERT INTO outbox (connector_id, stream, event_id, payload, created_at) VALUES (?, ?, ?, ?, ?)");
    this.insertKey = sqlite.prepare("INSERT INTO event_keys (connector_id, stream, event_id, updated_us) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    this.insertDeadLetter = sqlite.prepare(
      "INSERT INTO dead_letters (connector_id, sink_id, seq, event_id, stream, payload, reason, failed_at, replayed_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, NULL)",
    );
    this.upsertMember = sqlite.prepare(
      "INSERT INTO snapshot_members (connector_id, stream, record_id, version, seen_run) VALUES (?, ?, ?, ?, ?) " +
        "ON CONFLICT (connector_id, stream, record_id) DO UPDATE SET version = excluded.version, seen_run = excluded.seen_run",
    );
    this.checkpoint = sqlite.prepare(
      "UPDATE slices SET end_cursor = ?, high_water_us = ?, pages = ?, records = ?, total_estimate = ?, done = ? WHERE connector_id = ? AND stream = ? AND slice_id = ?",
    );
    this.write = sqlite.transaction((commit: PageCommit, now: number) => {
      const { connectorId, stream } = commit;
      for (const e of commit.events) this.insertEvent.run(e.connectorId, e.stream, e.eventId, e.payload, now);
      for (const r of commit.rejected ?? []) this.insertDeadLetter.run(connectorId, NORMALISER_DEAD_LETTER_SINK, r.eventId, stream, r.payload, r.reason, now);
      for (const k of commit.keys) this.insertKey.run(connectorId, stream, k.eventId, k.updatedUs);
      if (commit.members) for (const m of commit.members.seen) this.upsertMember.run(connectorId, stream, m.recordId, m.version, commit.members.runKey);
      const c = commit.checkpoint;
      this.checkpoint.run(c.endCursor, c.highWaterUs, c.pages, c.records, c.totalEstimate, c.done ? 1 : 0, c.connectorId, c.stream, c.sliceId);
    });
  }

  async commit(commit: PageCommit, now: number): Promise<void> {
    await this.db.connection().execute(async () => {
      this.write(commit, now);
    });
  }
}
