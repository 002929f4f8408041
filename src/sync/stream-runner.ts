import type { Logger } from "pino";
import { WizError, type Page, type WizClientCore } from "../wiz/index.js";
import { formatWizTimestamp, microsFromMillis, type Micros } from "../model/wiz-timestamp.js";
import { EventKeyRepository } from "../store/event-key.repository.js";
import { OutboxRepository } from "../store/outbox.repository.js";
import { SnapshotMemberRepository } from "../store/snapshot-member.repository.js";
import type { PageWriter } from "../store/page-writer.js";
import type { StoreDb } from "../store/store-database.js";
import { StreamStateRepository, type SliceRow, type StreamRunRow } from "../store/stream-state.repository.js";
import { pageRecordOf, removalEventOf, upsertEventsOf, type EventContext, type PageRecord } from "./page-events.js";
import type { OutputProfile } from "../transform/output-profile.js";
import { chooseSplit, type LiveSlice } from "./slice-split.js";
import { connectionOf, type StreamDefinition, type WizPayload } from "./stream-definition.js";

/** What the runner needs from the SDK client (a WizClientCore, or a fake in unit tests). */
export type SyncClient = Pick<WizClientCore, "graphql" | "paginate">;

export type StreamMode = "incremental" | "snapshot";

export interface StreamRunSettings {
  pageSize: number;
  /** The user's filter, in the stream's Wiz filter type (already validated). */
  filter: Readonly<Record<string, unknown>>;
  mode: StreamMode;
  /** How far before the cursor each incremental walk starts again, so late-visible changes are not missed. */
  overlapUs: Micros;
  /** Records changed in the last lagUs are left to a later walk (they may still have late-visible siblings). */
  lagUs?: Micros;
  /** First export: only records changed in the last N days. */
  backfillDays?: number;
  /** A run stops (checkpointed) after this many pages or minutes; the next run continues. */
  budget?: { pages?: number; minutes?: number };
  /** Slices walked at once (they share the tenant's rate limiter). */
  concurrency: number;
  /** Sampling mode: only these assets (for streams that have an asset); cursors are left alone. */
  sampleAssetIds?: readonly string[];
  /** Forget the cursor and emitted keys first: a full export. */
  full?: boolean;
}

export interface StreamProgress {
  stream: string;
  /** Since the stream's run started. */
  elapsedMs: number;
  pages: number;
  records: number;
  emitted: number;
  requests: number;
}

export interface StreamRunDeps {
  connectorId: string;
  definition: StreamDefinition;
  client: SyncClient;
  db: StoreDb;
  /** The page transaction (outbox + checkpoint) of the same store. */
  pages: PageWriter;
  /** Epoch ms. */
  now: () => number;
  /** A fresh unique key per walk (snapshot membership). */
  newRunKey: () => string;
  portalOrigin: string;
  /** Shapes each record (canonical when absent); records it cannot normalise go to the dead-letter table. */
  outputProfile?: OutputProfile;
  backpressure: { waitForRoom(signal?: AbortSignal): Promise<void> };
  logger: Logger;
  signal?: AbortSignal;
  onPage?: (progress: StreamProgress) => void;
  /** Called after each commit, to wake the dispatchers. */
  onCommit?: () => void;
}

export type StreamRunStatus = "completed" | "stopped" | "budget";

export interface StreamRunResult extends StreamProgress {
  status: StreamRunStatus;
  /** The stream's cursor after the run (RFC 3339), or null. */
  cursor: string | null;
}

type RunMode = StreamMode | "sample";

const SAMPLE_CHUNK = 100;
const REMOVAL_BATCH = 500;

/**
 * Runs one stream of one connector to completion (or until stopped or out of budget): resumes an open walk
 * from its page checkpoints, or plans a new one, walks its slices in parallel, and settles the cursor.
 */
export async function runStream(deps: StreamRunDeps, settings: StreamRunSettings): Promise<StreamRunResult> {
  const { connectorId, definition: def, db } = deps;
  const states = new StreamStateRepository(db);
  const keys = new EventKeyRepository(db);
  const members = new SnapshotMemberRepository(db);
  if (settings.full) {
    await states.requestResync(connectorId, def.name, deps.now());
    await keys.clear(connectorId, def.name);
    await members.clear(connectorId, def.name);
  }
  const sampleIds = settings.sampleAssetIds && def.assetScope ? settings.sampleAssetIds : undefined;
  const mode: RunMode = sampleIds ? "sample" : def.cursorField === null || settings.mode === "snapshot" ? "snapshot" : "incremental";
  const runStartedAt = deps.now();
  const counters: StreamProgress = { stream: def.name, elapsedMs: 0, pages: 0, records: 0, emitted: 0, requests: 0 };
  const progress = (): StreamProgress => ({ ...counters, elapsedMs: deps.now() - runStartedAt });
  const state = await states.state(connectorId, def.name);
  const previousCursor = state?.cursor_us ?? null;

  let open = await states.openRun(connectorId, def.name);
  if (open && open.run.mode !== mode) open = undefined;
  let run: StreamRunRow;
  let slices: LiveSlice[];
  if (open) {
    run = open.run;
    slices = open.slices.map(liveSliceOf);
    deps.logger.info({ stream: def.name, slices: slices.length, pending: slices.filter((s) => !s.done).length }, "resuming the walk left open by the previous run");
  } else {
    const planned = await planWalk(deps, settings, mode, previousCursor, counters, sampleIds);
    if (!planned) return { ...progress(), status: "completed", cursor: previousCursor === null ? null : formatWizTimestamp(previousCursor) };
    run = planned.run;
    slices = planned.slices;
    await states.beginRun(run, slices.map((s) => sliceRowOf(connectorId, def.name, s)));
  }

  const context = (): EventContext => ({
    connectorId,
    stream: def.name,
    portalOrigin: deps.portalOrigin,
    observedAt: new Date(deps.now()).toISOString(),
    ...(deps.outputProfile ? { profile: deps.outputProfile } : {}),
  });
  const startedAt = deps.now();
  const stop: { reason: StreamRunStatus | "failed" | undefined; error: unknown } = { reason: undefined, error: undefined };
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };
  const changed = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const halt = (reason: StreamRunStatus | "failed", error?: unknown): void => {
    if (!stop.reason) {
      stop.reason = reason;
      stop.error = error;
    }
    notify();
  };
  const overBudget = (): boolean =>
    (settings.budget?.pages !== undefined && counters.pages >= settings.budget.pages) ||
    (settings.budget?.minutes !== undefined && deps.now() - startedAt >= settings.budget.minutes * 60_000);
  let maxSeen: Micros | null = slices.reduce<Micros | null>((m, s) => (s.highWater !== null && (m === null || s.highWater > m) ? s.highWater : m), null);
  let nextSliceId = slices.reduce((m, s) => Math.max(m, s.id), -1) + 1;

  const takeSlice = async (): Promise<LiveSlice | undefined> => {
    const pending = slices.find((s) => !s.done && !s.running);
    if (pending) {
      pending.running = true;
      return pending;
    }
    if (mode !== "incremental" || !def.order) return undefined;
    const plan = chooseSplit(slices, settings.pageSize);
    if (!plan) return undefined;
    const { parent } = plan;
    const child: LiveSlice = {
      ...emptySlice(nextSliceId++),
      lo: plan.mid,
      hi: parent.hi,
      filterLo: plan.mid,
      filterHi: parent.hi,
      totalEstimate: plan.childEstimate,
      guessed: plan.childEstimate,
      parentId: parent.id,
      running: true,
    };
    // In memory first, before any await: the parent's next commit must already see its lower bound.
    parent.hi = plan.mid;
    parent.totalEstimate = (parent.totalEstimate ?? 0) - plan.childEstimate;
    slices.push(child);
    await states.split({ connectorId, stream: def.name, sliceId: parent.id, newHiUs: plan.mid }, sliceRowOf(connectorId, def.name, child));
    deps.logger.debug({ stream: def.name, parent: parent.id, child: child.id, at: formatWizTimestamp(plan.mid) }, "split a slice");
    return child;
  };

  const handlePage = async (slice: LiveSlice, page: Page<WizPayload>): Promise<void> => {
    slice.committing = true;
    try {
      if (slice.pages === 0 && page.totalCount !== undefined) correctEstimates(slices, slice, page.totalCount);
      const records: PageRecord[] = [];
      let beyond = false;
      let high = slice.highWater;
      for (const raw of page.nodes) {
        const record = pageRecordOf(def.name, def.cursorField, raw, def.cursorFallbacks);
        // Walked ascending: a record past the (possibly lowered) upper bound belongs to a later slice.
        if (slice.hi !== null && record.changedAt !== undefined && record.changedAt > slice.hi) {
          beyond = true;
          continue;
        }
        records.push(record);
        if (record.changedAt !== undefined && (high === null || record.changedAt > high)) high = record.changedAt;
      }
      if (high !== null && (maxSeen === null || high > maxSeen)) maxSeen = high;
      let fresh: PageRecord[] = records;
      let seenMembers: Array<{ recordId: string; version: string }> | undefined;
      if (mode === "incremental") {
        // Keys on record are never newer than the previous cursor: only records at or below it can repeat one.
        const repeatable = previousCursor === null ? [] : records.filter((r) => r.changedAt === undefined || r.changedAt <= previousCursor).map((r) => r.eventId);
        if (repeatable.length > 0) {
          const already = await keys.existing(connectorId, def.name, repeatable);
          fresh = records.filter((r) => !already.has(r.eventId));
        }
      } else if (mode === "snapshot") {
        const versions = await members.versions(connectorId, def.name, records.map((r) => r.recordId));
        fresh = records.filter((r) => versions.get(r.recordId) !== r.version);
        seenMembers = records.map((r) => ({ recordId: r.recordId, version: r.version }));
      }
      const ctx = context();
      const built = await upsertEventsOf(ctx, fresh);
      const events = built.events.map((e) => ({ connectorId, stream: def.name, eventId: e.id, payload: JSON.stringify(e) }));
      const rejected = built.rejected.map((r) => ({ eventId: r.record.eventId, payload: JSON.stringify(r.record.raw), reason: r.reason }));
      // Keys are kept only where the next overlap window can reach.
      const keyFloor = (run.upper_us ?? maxSeen ?? Number.NEGATIVE_INFINITY) - settings.overlapUs;
      const newKeys =
        mode === "incremental" ? fresh.filter((r) => r.changedAt !== undefined && r.changedAt > keyFloor).map((r) => ({ eventId: r.eventId, updatedUs: r.changedAt ?? 0 })) : [];
      const done = beyond || !page.pageInfo.hasNextPage;
      const endCursor = page.pageInfo.endCursor ?? slice.endCursor;
      await deps.pages.commit(
        {
          connectorId,
          stream: def.name,
          events,
          ...(rejected.length > 0 ? { rejected } : {}),
          keys: newKeys,
          ...(seenMembers ? { members: { runKey: run.run_key, seen: seenMembers } } : {}),
          checkpoint: {
            connectorId,
            stream: def.name,
            sliceId: slice.id,
            endCursor,
            highWaterUs: high,
            pages: slice.pages + 1,
            records: slice.records + records.length,
            totalEstimate: slice.totalEstimate,
            done,
          },
        },
        deps.now(),
      );
      slice.endCursor = endCursor;
      slice.highWater = high;
      slice.pages += 1;
      slice.records += records.length;
      slice.done = done;
      counters.pages += 1;
      counters.records += records.length;
      counters.emitted += events.length;
      deps.onCommit?.();
      deps.onPage?.(progress());
    } finally {
      slice.committing = false;
      // Idle workers look again: this slice may now be worth splitting.
      notify();
    }
  };

  /**
   * Wiz refused a stored cursor (expired, or the tenant's paging changed since the checkpoint): the slice
   * restarts without it, from just below the newest change it had committed (walks are ascending, so
   * everything older is done; the few records at that instant are read twice, with the same event ids).
   * Unordered walks restart from their first page; snapshot membership and keys keep them from re-emitting.
   */
  const recoverFromRefusedCursor = async (slice: LiveSlice, error: unknown): Promise<boolean> => {
    if (slice.endCursor === null || !(error instanceof WizError) || error.code !== "BAD_USER_INPUT" || !/cursor/i.test(error.message)) return false;
    const ordered = mode === "incremental" && def.order !== undefined && slice.highWater !== null;
    const filterLo = ordered && slice.highWater !== null ? Math.max(slice.filterLo ?? Number.NEGATIVE_INFINITY, slice.highWater - 1) : slice.filterLo;
    deps.logger.warn(
      { stream: def.name, slice: slice.id, restartAfter: filterLo === null ? null : formatWizTimestamp(filterLo), error: error.message },
      "Wiz refused the stored page cursor; the slice restarts from its last committed change without it",
    );
    slice.endCursor = null;
    slice.filterLo = filterLo;
    await states.restartSlice({ connectorId, stream: def.name, sliceId: slice.id, filterLoUs: filterLo });
    return true;
  };

  const walk = async (slice: LiveSlice): Promise<void> => {
    try {
      await walkFromCheckpoint(slice);
    } catch (error) {
      if (!(await recoverFromRefusedCursor(slice, error))) throw error;
      await walkFromCheckpoint(slice);
    }
  };

  const walkFromCheckpoint = async (slice: LiveSlice): Promise<void> => {
    const variables: Record<string, unknown> = {
      filterBy: filterOf(def, settings.filter, slice),
      ...(def.order && mode === "incremental" ? { orderBy: def.order.ascending } : {}),
      after: slice.endCursor,
    };
    const pages = deps.client.paginate<WizPayload>(def.document, variables, connectionOf, {
      pageSize: settings.pageSize,
      pageSizeCap: def.pageSizeCap,
      operationName: def.operationName,
      signal: deps.signal,
    });
    await deps.backpressure.waitForRoom(deps.signal);
    for await (const page of pages) {
      counters.requests += 1;
      await handlePage(slice, page);
      if (slice.done || stop.reason) break;
      if (deps.signal?.aborted) return halt("stopped");
      if (overBudget()) return halt("budget");
      await deps.backpressure.waitForRoom(deps.signal);
    }
    // An empty connection ends the walk without a page saying so.
    if (!slice.done && !stop.reason && !deps.signal?.aborted) slice.done = true;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (stop.reason) return;
      const slice = await takeSlice();
      if (slice) {
        try {
          await walk(slice);
        } catch (error) {
          halt(deps.signal?.aborted ? "stopped" : "failed", error);
        } finally {
          slice.running = false;
          notify();
        }
        continue;
      }
      if (slices.every((s) => s.done)) return;
      await changed();
    }
  };

  if (deps.signal?.aborted) halt("stopped");
  await Promise.all(Array.from({ length: Math.max(1, settings.concurrency) }, worker));
  if (stop.reason === "failed") throw stop.error;
  if (stop.reason === "stopped" || stop.reason === "budget") {
    deps.logger.info({ stream: def.name, reason: stop.reason, pages: counters.pages }, "walk paused at its checkpoint; the next run continues it");
    return { ...progress(), status: stop.reason, cursor: previousCursor === null ? null : formatWizTimestamp(previousCursor) };
  }

  let cursor = previousCursor;
  if (mode === "incremental") {
    const high = run.upper_us ?? maxSeen;
    if (high !== null && (cursor === null || high > cursor)) cursor = high;
    if (cursor !== null) await keys.pruneBefore(connectorId, def.name, cursor - settings.overlapUs);
  } else if (mode === "snapshot") {
    counters.emitted += await emitRemovals(deps, run.run_key, context);
  }
  await states.settle(connectorId, def.name, cursor, mode !== "sample" && previousCursor === null, deps.now());
  return { ...progress(), status: "completed", cursor: cursor === null ? null : formatWizTimestamp(cursor) };
}

async function planWalk(
  deps: StreamRunDeps,
  settings: StreamRunSettings,
  mode: RunMode,
  previousCursor: Micros | null,
  counters: StreamProgress,
  sampleIds: readonly string[] | undefined,
): Promise<{ run: StreamRunRow; slices: LiveSlice[] } | undefined> {
  const { definition: def } = deps;
  const run: StreamRunRow = { connector_id: deps.connectorId, stream: def.name, run_key: deps.newRunKey(), mode, lower_us: null, upper_us: null, started_at: deps.now() };
  if (mode === "sample" && sampleIds && def.assetScope) {
    const slices: LiveSlice[] = [];
    for (let i = 0; i < sampleIds.length; i += SAMPLE_CHUNK) slices.push({ ...emptySlice(slices.length), scope: def.assetScope(sampleIds.slice(i, i + SAMPLE_CHUNK)) });
    return slices.length > 0 ? { run, slices } : undefined;
  }
  if (mode === "snapshot") return { run, slices: [emptySlice(0)] };
  const lower =
    previousCursor !== null ? previousCursor - settings.overlapUs : settings.backfillDays !== undefined ? microsFromMillis(deps.now() - settings.backfillDays * 86_400_000) : null;
  run.lower_us = lower;
  // With a lag, the walk stops short of now: what changed since then is read by a later walk.
  const cutoff = settings.lagUs ? microsFromMillis(deps.now()) - settings.lagUs : null;
  if (cutoff !== null && lower !== null && lower >= cutoff) return undefined;
  if (!def.order || !def.probeDocument) return { run, slices: [{ ...emptySlice(0), lo: lower, filterLo: lower, hi: cutoff, filterHi: cutoff }] };
  // The newest change now is the walk's upper bound: everything at or below it is read by this walk, anything
  // changed later by the next one, so slices can run in parallel and the cursor can jump straight to it.
  const probe = await deps.client.graphql<{ connection?: { nodes?: WizPayload[]; totalCount?: number | null } | null }>(
    def.probeDocument,
    { first: 1, filterBy: filterOf(def, settings.filter, { filterLo: lower, filterHi: cutoff, scope: null }), orderBy: def.order.descending },
    { signal: deps.signal },
  );
  counters.requests += 1;
  const newest = probe.connection?.nodes?.[0];
  const upper = newest ? pageRecordOf(def.name, def.cursorField, newest, def.cursorFallbacks).changedAt : undefined;
  if (upper === undefined) return undefined;
  run.upper_us = upper;
  const total = probe.connection?.totalCount ?? null;
  return { run, slices: [{ ...emptySlice(0), lo: lower, hi: upper, filterLo: lower, filterHi: upper, totalEstimate: total }] };
}

/** Records gone from the snapshot since the previous one: a removal event each, in the same transaction as forgetting them. */
async function emitRemovals(deps: StreamRunDeps, runKey: string, context: () => EventContext): Promise<number> {
  const { connectorId, definition: def, db } = deps;
  let emitted = 0;
  for (;;) {
    const gone = await new SnapshotMemberRepository(db).unseen(connectorId, def.name, runKey, REMOVAL_BATCH);
    if (gone.length === 0) return emitted;
    const ctx = context();
    await db.transaction().execute(async (trx) => {
      await new OutboxRepository(trx).append(
        gone.map((m) => {
          const event = removalEventOf(ctx, m.recordId, m.version);
          return { connectorId, stream: def.name, eventId: event.id, payload: JSON.stringify(event) };
        }),
        deps.now(),
      );
      await new SnapshotMemberRepository(trx).remove(
        connectorId,
        def.name,
        gone.map((m) => m.recordId),
      );
    });
    emitted += gone.length;
    deps.onCommit?.();
  }
}

/** The slice's request filter: the stream's fixed filter over the user's, the slice scope, and its time range. */
function filterOf(def: StreamDefinition, user: Readonly<Record<string, unknown>>, slice: Pick<LiveSlice, "filterLo" | "filterHi" | "scope">): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...def.fixedFilter(user), ...(slice.scope ?? {}) };
  if (def.cursorField && (slice.filterLo !== null || slice.filterHi !== null)) {
    // Both bounds are exclusive at Wiz; the slice is (lo, hi], so `before` is one microsecond past hi.
    filter[def.cursorField] = {
      ...(slice.filterLo !== null ? { after: formatWizTimestamp(slice.filterLo) } : {}),
      ...(slice.filterHi !== null ? { before: formatWizTimestamp(slice.filterHi + 1) } : {}),
    };
  }
  return filter;
}

/** A slice's first page tells its true size; the parent it was split from had been credited with a guess. */
function correctEstimates(slices: readonly LiveSlice[], slice: LiveSlice, total: number): void {
  if (slice.guessed !== null && slice.parentId !== null) {
    const parent = slices.find((s) => s.id === slice.parentId);
    if (parent && parent.totalEstimate !== null) parent.totalEstimate = Math.max(parent.records, parent.totalEstimate - (total - slice.guessed));
  }
  slice.totalEstimate = total;
  slice.guessed = null;
}

function emptySlice(id: number): LiveSlice {
  return {
    id,
    lo: null,
    hi: null,
    filterLo: null,
    filterHi: null,
    scope: null,
    endCursor: null,
    highWater: null,
    pages: 0,
    records: 0,
    totalEstimate: null,
    guessed: null,
    parentId: null,
    done: false,
    running: false,
    committing: false,
  };
}

function liveSliceOf(row: SliceRow): LiveSlice {
  return {
    ...emptySlice(row.slice_id),
    lo: row.lo_us,
    hi: row.hi_us,
    filterLo: row.filter_lo_us,
    filterHi: row.filter_hi_us,
    scope: row.scope_json ? (JSON.parse(row.scope_json) as Record<string, unknown>) : null,
    endCursor: row.end_cursor,
    highWater: row.high_water_us,
    pages: row.pages,
    records: row.records,
    totalEstimate: row.total_estimate,
    done: row.done === 1,
  };
}

function sliceRowOf(connectorId: string, stream: string, s: LiveSlice): SliceRow {
  return {
    connector_id: connectorId,
    stream,
    slice_id: s.id,
    lo_us: s.lo,
    hi_us: s.hi,
    filter_lo_us: s.filterLo,
    filter_hi_us: s.filterHi,
    scope_json: s.scope ? JSON.stringify(s.scope) : null,
    end_cursor: s.endCursor,
    high_water_us: s.highWater,
    pages: s.pages,
    records: s.records,
    total_estimate: s.totalEstimate,
    done: s.done ? 1 : 0,
  };
}
