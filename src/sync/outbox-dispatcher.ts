import type { Logger } from "pino";
import type { Sleep } from "../wiz/index.js";
import { SinkRejectedError, type Sink, type SinkRecord } from "../sinks/sink.js";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { OutboxRepository, type OutboxRow } from "../store/outbox.repository.js";
import { SinkOffsetRepository } from "../store/sink-offset.repository.js";
import type { StoreDb } from "../store/store-database.js";

export interface OutboxDispatcherOptions {
  db: StoreDb;
  connectorId: string;
  sink: Sink;
  /** Every sink the connector feeds: a row leaves the outbox once all of them have it. */
  connectorSinkIds: readonly string[];
  batchSize: number;
  /** Backoff after a failed batch: doubles from initial to max. */
  retry: { initialMs: number; maxMs: number };
  /** How long an idle dispatcher waits before looking again when nobody wakes it. */
  idlePollMs: number;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  logger: Logger;
}

/**
 * Drains one connector's outbox into one sink: batches in commit order, retries with backoff while the
 * sink is down, acknowledges by moving the sink's offset. Poison records go to the dead-letter table.
 */
export class OutboxDispatcher {
  private consecutiveFailures = 0;
  private wake: (() => void) | undefined;
  private deliveredTotal = 0;

  constructor(private readonly options: OutboxDispatcherOptions) {}

  get sinkId(): string {
    return this.options.sink.id;
  }

  /** True while the sink is failing. */
  get down(): boolean {
    return this.consecutiveFailures > 0;
  }

  get delivered(): number {
    return this.deliveredTotal;
  }

  /** New events were committed: stop idling. */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Events this sink has not acknowledged yet. */
  async pending(): Promise<number> {
    const { db, connectorId, sink } = this.options;
    return new OutboxRepository(db).backlog(connectorId, await new SinkOffsetRepository(db).offset(connectorId, sink.id));
  }

  /** Runs until the signal aborts; a batch in flight is finished (or fails) first. */
  async run(signal: AbortSignal): Promise<void> {
    const { logger, connectorId, sink } = this.options;
    while (!signal.aborted) {
      let delivered: number;
      try {
        delivered = await this.deliverBatch();
        if (this.consecutiveFailures > 0) logger.info({ connector: connectorId, sink: sink.id }, "sink is back; delivery resumes");
        this.consecutiveFailures = 0;
      } catch (error) {
        this.consecutiveFailures += 1;
        const delay = this.backoff();
        if (this.consecutiveFailures === 1 || this.consecutiveFailures % 10 === 0) {
          logger.warn(
            { connector: connectorId, sink: sink.id, attempt: this.consecutiveFailures, retryInMs: delay, error: error instanceof Error ? error.message : String(error) },
            "sink write failed; events stay in the outbox and the batch is retried",
          );
        }
        if (!(await this.pause(delay, signal))) return;
        continue;
      }
      if (delivered === 0 && !(await this.idle(signal))) return;
    }
  }

  /** Delivers one batch; returns how many events left the outbox for this sink (0 when it was empty). */
  async deliverBatch(): Promise<number> {
    const { db, connectorId, sink, batchSize } = this.options;
    const offsets = new SinkOffsetRepository(db);
    const offset = await offsets.offset(connectorId, sink.id);
    const rows = await new OutboxRepository(db).readAfter(connectorId, offset, batchSize);
    if (rows.length === 0) return 0;
    await this.writeSkippingPoison(rows);
    const last = rows[rows.length - 1] as OutboxRow;
    await offsets.acknowledge(connectorId, sink.id, last.seq, this.options.now());
    const oldest = await offsets.oldest(connectorId, this.options.connectorSinkIds);
    await new OutboxRepository(db).deleteUpTo(connectorId, oldest);
    this.deliveredTotal += rows.length;
    return rows.length;
  }

  /** Writes the dead letters of this connector and sink again; those the sink takes are marked replayed. */
  async replayDeadLetters(): Promise<number> {
    const { db, connectorId, sink } = this.options;
    const letters = new DeadLetterRepository(db);
    const pending = await letters.list({ connectorId, sinkId: sink.id, pendingOnly: true });
    if (pending.length === 0) return 0;
    await sink.write(pending.map(toSinkRecord));
    await letters.markReplayed(
      pending.map((l) => l.id),
      this.options.now(),
    );
    return pending.length;
  }

  private async writeSkippingPoison(rows: readonly OutboxRow[]): Promise<void> {
    let remaining = rows;
    for (;;) {
      try {
        await this.options.sink.write(remaining.map(toSinkRecord));
        return;
      } catch (error) {
        if (!(error instanceof SinkRejectedError) || error.rejected.size === 0) throw error;
        const poison = remaining.filter((r) => error.rejected.has(r.eventId));
        if (poison.length === 0) throw error;
        await new DeadLetterRepository(this.options.db).add(
          this.options.sink.id,
          poison.map((row) => ({ row, reason: error.rejected.get(row.eventId) ?? "refused by the sink" })),
          this.options.now(),
        );
        this.options.logger.warn({ connector: this.options.connectorId, sink: this.options.sink.id, events: poison.length }, "sink refused events for good; they are in the dead-letter table");
        remaining = remaining.filter((r) => !error.rejected.has(r.eventId));
        if (remaining.length === 0) return;
      }
    }
  }

  private backoff(): number {
    const { initialMs, maxMs } = this.options.retry;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(20, this.consecutiveFailures - 1));
    // Half fixed, half jitter: retries of many dispatchers spread out but never fire at once.
    return Math.round(ceiling / 2 + (ceiling / 2) * this.options.random());
  }

  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.options.sleep(ms, signal);
      return true;
    } catch {
      return !signal.aborted;
    }
  }

  private idle(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.wake = undefined;
        resolve(result);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(true), this.options.idlePollMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.wake = () => done(true);
    });
  }
}

function toSinkRecord(row: OutboxRow): SinkRecord {
  return { seq: row.seq, eventId: row.eventId, connectorId: row.connectorId, stream: row.stream, payload: row.payload };
}
