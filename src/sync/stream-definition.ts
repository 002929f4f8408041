import type { RelayConnection } from "../wiz/index.js";
import type { StreamName } from "../model/stream-name.js";

export type WizPayload = Record<string, unknown>;

/** Wiz's order input for a walk by the change field. */
export interface StreamOrder {
  ascending: Record<string, string>;
  descending: Record<string, string>;
}

/**
 * One Wiz record stream, declared as the airbyte CDK declares a stream: primary key (`id`), cursor field,
 * the query, how to slice it, and the filter every request carries. Documents take `$first`, `$after`,
 * `$filterBy` (and `$orderBy` when the stream can be ordered) and alias the connection as `connection`.
 */
export interface StreamDefinition {
  readonly name: StreamName;
  readonly operationName: string;
  readonly document: string;
  /** Newest record by the cursor field plus the total: the upper bound of a bounded walk. Ordered streams only. */
  readonly probeDocument?: string;
  /** GraphQL input type of `filterBy`: user filters are validated against it before any request. */
  readonly filterType: string;
  readonly pageSizeCap: number;
  readonly defaultPageSize: number;
  /** Interval (`5m`), cron expression, or `once`: what vendors ship for this kind of data. */
  readonly defaultSchedule: string;
  /** The record's change field, also the name of its date filter; null for streams with none (full snapshots). */
  readonly cursorField: string | null;
  /**
   * Fields that place a record lacking its cursor field, first present wins: the same time the server orders and
   * filters such a record by (vulnerability findings: Wiz may send no updatedAt; resolution or last detection then).
   */
  readonly cursorFallbacks?: readonly string[];
  /** Present when Wiz can order the stream by its cursor field: the walk is then bounded and sliceable. */
  readonly order?: StreamOrder;
  /** Filter keys the engine owns (the cursor field, fixed filters); a user filter naming them is refused. */
  readonly managedFilterKeys: readonly string[];
  /** The filter every request of this stream carries, from the user's. */
  fixedFilter(user: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * Default walk window for streams whose records become visible late (detections): read only records changed
   * at least `lagSeconds` ago, and start each walk `overlapSeconds` before the cursor. Config keys override both.
   */
  readonly window?: { lagSeconds: number; overlapSeconds: number };
  /** Default cap on pages per run (config `budget` overrides): a backlog is worked off over several runs. */
  readonly defaultBudget?: { pages: number };
  /** Scopes the stream to some assets (sampling mode); undefined when the stream has no asset. */
  assetScope?(assetIds: readonly string[]): Record<string, unknown>;
}

export function connectionOf(data: unknown): RelayConnection<WizPayload> | null | undefined {
  return (data as { connection?: RelayConnection<WizPayload> | null } | null)?.connection;
}
