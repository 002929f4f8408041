import type { Kysely } from "kysely";
import { EventKeyRepository, type EventKey } from "../store/event-key.repository.js";
import { OutboxRepository, type OutboxEntry } from "../store/outbox.repository.js";
import { SnapshotMemberRepository, type SnapshotMember } from "../store/snapshot-member.repository.js";
import type { StoreSchema } from "../store/store-schema.js";
import { StreamStateRepository, type SliceCheckpoint } from "../store/stream-state.repository.js";

export interface PageCommit {
  connectorId: string;
  stream: string;
  events: readonly OutboxEntry[];
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
    await new EventKeyRepository(trx).record(commit.connectorId, commit.stream, commit.keys);
    if (commit.members) await new SnapshotMemberRepository(trx).markSeen(commit.connectorId, commit.stream, commit.members.runKey, commit.members.seen);
    await new StreamStateRepository(trx).checkpoint(commit.checkpoint);
  });
}
