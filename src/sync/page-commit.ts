import type { Kysely } from "kysely";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { EventKeyRepository, type EventKey } from "../store/event-key.repository.js";
import { OutboxRepository, type OutboxEntry } from "../store/outbox.repository.js";
import { SnapshotMemberRepository, type SnapshotMember } from "../store/snapshot-member.repository.js";
import type { StoreSchema } from "../store/store-schema.js";
import { StreamStateRepository, type SliceCheckpoint } from "../store/stream-state.repository.js";

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

/**
 * The one transaction the no-loss guarantee rests on: a page's events enter the outbox together with the
 * checkpoint that moves past them. A crash before it re-reads the page; a crash after it loses nothing.
 */
export async function commitPage(db: Kysely<StoreSchema>, commit: PageCommit, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await new OutboxRepository(trx).append(commit.events, now);
    if (commit.rejected?.length) {
      await new DeadLetterRepository(trx).add(
        NORMALISER_DEAD_LETTER_SINK,
        commit.rejected.map((r) => ({ row: { seq: 0, connectorId: commit.connectorId, stream: commit.stream, eventId: r.eventId, payload: r.payload }, reason: r.reason })),
        now,
      );
    }
    await new EventKeyRepository(trx).record(commit.connectorId, commit.stream, commit.keys);
    if (commit.members) await new SnapshotMemberRepository(trx).markSeen(commit.connectorId, commit.stream, commit.members.runKey, commit.members.seen);
    await new StreamStateRepository(trx).checkpoint(commit.checkpoint);
  });
}
