import type { Logger } from "pino";
import type { Sleep } from "../wiz/index.js";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord } from "../sinks/sink.js";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { OutboxBytesRow, OutboxRepository, type OutboxRow } from "../store/outbox.repository.js";
import { SinkOffsetRepository } from "../store/sink-offset.repository.js";
import type { StoreDb } from "../store/store-database.js";
import { SinkCircuit, type SinkCircuitState } from "./sink-circuit.js";
import { SinkDeliveryStats, type SinkDeliverySnapshot } from "./sink-delivery-stats.js";

export interface OutboxDispatcherOptions {
  db: StoreDb;
  connectorId: string;
  sink: Sink;
  /** Every sink the connector feeds: a row leaves the outbox once all of them have it. */
  connectorSinkIds: readonly string[];
  /** Events per batch at most. */
  batchSize: number;
  /** Payload bytes per batch at most (a single larger event still goes, alone). Default 8 MiB. */
  maxBatchBytes?: number;
  /** How long a batch that is not full waits for more events. Default 0: send what is there. */
  maxWaitMs?: number;
  /** Batches written at once; acknowledged in outbox order. Default 1. */
  maxInFlight?: number;
  /** Backoff after a failed batch: doubles from initial to max, with jitter; never shorter than a Retry-After. */
  retry: { initialMs: number; maxMs: number };
  /** Failed batches in a row that open the circuit, and how long it stays open before one probe. Default 5 and 30 s. */
  circuitBreaker?: { failureThreshold: number; cooldownMs: number };
  /** How long an idle dispatcher waits before looking again when nobody wakes it. */
  idlePollMs: number;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  logger: Logger;
}

/** What `status`, /metrics and the API show of one connector x sink. */
export interface SinkDeliveryStatus extends SinkDeliverySnapshot {
  sinkId: string;
  state: SinkCircuitState;
  /** The last write error while failing (null once the sink delivers again). */
  lastError: string | null;
  failingSince: number | null;
  consecutiveFailures: number;
}

const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Drains one connector's outbox into one sink: batches in commit order (by count, bytes and a short wait),
 * up to `maxInFlight` batches written at once but acknowledged strictly in order by moving the sink's
 * offset, retries with backoff and jitter (honouring Retry-After) while the sink is down, and a circuit
 * breaker that stops hammering a dead destination. Records the sink refuses go to the dead-letter table.
 */
export class OutboxDispatcher {
  private wake: (() => void) | undefined;
  private readonly circuit: SinkCircuit;
  private readonly stats = new SinkDeliveryStats();
  private lastError: string | null = null;
  private failingSince: number | null = null;
  /** Failed attempts in a row, for the log's cadence and the stored health. */
  private failuresInRow = 0;

  constructor(private readonly options: OutboxDispatcherOptions) {
    this.circuit = new SinkCircuit(options.circuitBreaker ?? { failureThreshold: 5, cooldownMs: 30_000 }, options.now);
  }

  get sinkId(): string {
    return this.options.sink.id;
  }

  /** True while the sink is failing. */
  get down(): boolean {
    return this.failuresInRow > 0;
  }

  status(): SinkDeliveryStatus {
    return { sinkId: this.sinkId, state: this.circuit.state, lastError: this.lastError, failingSince: this.failingSince, consecutiveFailures: this.failuresInRow, ...this.stats.snapshot() };
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

  /** Runs until the signal aborts; batches in flight are finished (or fail) first, and what finished is acknowledged. */
  async run(signal: AbortSignal): Promise<void> {
    const { db, connectorId, sink } = this.options;
    const maxInFlight = Math.max(1, this.options.maxInFlight ?? 1);
    let readUpTo = await new SinkOffsetRepository(db).offset(connectorId, sink.id);
    const window: Array<{ last: number; done: Promise<boolean> }> = [];
    while (!signal.aborted) {
      // Keep the window full; the circuit lets a single probe through while it is half-open.
      while (window.length < (this.circuit.state === "closed" ? maxInFlight : 1) && !signal.aborted) {
        const rows = await this.nextBatch(readUpTo, signal, window.length === 0);
        if (rows.length === 0) break;
        readUpTo = (rows[rows.length - 1] as OutboxRow).seq;
        window.push({ last: readUpTo, done: this.deliverWithRetry(rows, signal) });
      }
      const head = window.shift();
      if (!head) {
        if (!(await this.idle(signal))) break;
        continue;
      }
      if (!(await head.done)) {
        // Stopped before this batch was delivered: it and everything after it are read again next time.
        window.length = 0;
        break;
      }
      await this.acknowledge(head.last);
    }
    // A stop while later batches were in flight: acknowledge the ones that finished, in order.
    for (const entry of window) {
      if (!(await entry.done)) break;
      await this.acknowledge(entry.last);
    }
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

  /** The next batch after `afterSeq`; when it is not full and a wait is configured, waits for more first. */
  private async nextBatch(afterSeq: number, signal: AbortSignal, mayWait: boolean): Promise<OutboxRow[]> {
    let rows = await this.readBatch(afterSeq);
    const maxWaitMs = this.options.maxWaitMs ?? 0;
    if (!mayWait || maxWaitMs <= 0 || rows.length === 0 || rows.length >= this.options.batchSize) return rows;
    const deadline = this.options.now() + maxWaitMs;
    while (rows.length < this.options.batchSize && !signal.aborted) {
      const left = deadline - this.options.now();
      if (left <= 0 || !(await this.idle(signal, left))) break;
      rows = await this.readBatch(afterSeq);
    }
    return rows;
  }

  private async readBatch(afterSeq: number): Promise<OutboxRow[]> {
    const outbox = new OutboxRepository(this.options.db);
    const { connectorId, batchSize } = this.options;
    // A sink that writes bytes gets the stored UTF-8 as it is: no decode here, no encode in the sink.
    const rows = this.options.sink.takesBytes ? await outbox.readBytesAfter(connectorId, afterSeq, batchSize) : await outbox.readAfter(connectorId, afterSeq, batchSize);
    return cutToBytes(rows, this.options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
  }

  /**
   * Writes a batch until the sink holds all of it (refused records dead-lettered); false when stopped first.
   * Failures back off (exponential, jittered, at least the destination's Retry-After) and feed the circuit.
   */
  private async deliverWithRetry(rows: readonly OutboxRow[], signal: AbortSignal): Promise<boolean> {
    const started = this.options.now();
    let remaining = rows;
    let dead = 0;
    while (remaining.length > 0) {
      const wait = this.circuit.waitBeforeWrite();
      if (wait > 0 && !(await this.pause(wait, signal))) return false;
      if (signal.aborted) return false;
      try {
        const { left, dead: refused } = await this.writeOnce(remaining);
        dead += refused;
        if (left.length > 0) this.stats.retried(left.length);
        remaining = left;
        await this.succeeded();
      } catch (error) {
        this.stats.retried(remaining.length);
        const delay = await this.failed(error);
        if (!(await this.pause(delay, signal))) return false;
      }
    }
    this.stats.batchDelivered(rows.length - dead, this.options.now() - started);
    return true;
  }

  /**
   * One write of `rows`; returns the rows still to write (none on success; after a partial refusal, those
   * neither refused nor accepted) and how many became dead letters. Other errors propagate.
   */
  private async writeOnce(rows: readonly OutboxRow[]): Promise<{ left: readonly OutboxRow[]; dead: number }> {
    try {
      // A row is a SinkRecord already (with its bytes when read as bytes): no copy per event.
      await this.options.sink.write(rows);
      return { left: [], dead: 0 };
    } catch (error) {
      if (!(error instanceof SinkRejectedError)) throw error;
      const poison = rows.filter((r) => error.rejected.has(r.eventId));
      if (poison.length > 0) {
        await new DeadLetterRepository(this.options.db).add(
          this.options.sink.id,
          poison.map((row) => ({ row, reason: error.rejected.get(row.eventId) ?? "refused by the sink" })),
          this.options.now(),
        );
        this.stats.deadLettered(poison.length);
        this.options.logger.warn(
          { connector: this.options.connectorId, sink: this.options.sink.id, events: poison.length, reason: error.rejected.get((poison[0] as OutboxRow).eventId) },
          "sink refused events for good; they are in the dead-letter table (`wizbridge dead-letters`)",
        );
      }
      const accepted = error.accepted;
      const left = rows.filter((r) => !error.rejected.has(r.eventId) && !accepted?.has(r.eventId));
      if (poison.length === 0 && left.length === rows.length) throw error;
      return { left, dead: poison.length };
    }
  }

  private async acknowledge(seq: number): Promise<void> {
    const { db, connectorId, sink, connectorSinkIds } = this.options;
    const offsets = new SinkOffsetRepository(db);
    await offsets.acknowledge(connectorId, sink.id, seq, this.options.now());
    await new OutboxRepository(db).deleteUpTo(connectorId, await offsets.oldest(connectorId, connectorSinkIds));
  }

  private async succeeded(): Promise<void> {
    const wasFailing = this.failuresInRow > 0;
    this.circuit.succeeded();
    this.failuresInRow = 0;
    if (!wasFailing) return;
    this.lastError = null;
    this.failingSince = null;
    this.options.logger.info({ connector: this.options.connectorId, sink: this.options.sink.id }, "sink is back; delivery resumes");
    await new SinkOffsetRepository(this.options.db).recordRecovery(this.options.connectorId, this.options.sink.id, this.options.now());
  }

  /** Counts a failure; returns how long to wait before the next attempt. */
  private async failed(error: unknown): Promise<number> {
    const { logger, connectorId, sink } = this.options;
    this.failuresInRow += 1;
    const now = this.options.now();
    this.failingSince ??= now;
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = message;
    const opened = this.circuit.failed();
    const retryAfter = error instanceof SinkUnavailableError ? (error.retryAfterMs ?? 0) : 0;
    const delay = Math.max(this.backoff(), retryAfter);
    if (this.failuresInRow === 1 || this.failuresInRow % 10 === 0 || opened) {
      logger.warn(
        { connector: connectorId, sink: sink.id, attempt: this.failuresInRow, retryInMs: delay, circuit: this.circuit.state, error: message },
        opened ? "sink keeps failing: circuit open, writes pause before one probe batch; events stay in the outbox" : "sink write failed; events stay in the outbox and the batch is retried",
      );
    }
    // Stored so `status` in another process can tell; not on every attempt of a long outage.
    if (this.failuresInRow <= 3 || this.failuresInRow % 10 === 0 || opened) {
      await new SinkOffsetRepository(this.options.db).recordFailure(connectorId, sink.id, message.slice(0, 1000), this.failuresInRow, now).catch(() => undefined);
    }
    return delay;
  }

  private backoff(): number {
    const { initialMs, maxMs } = this.options.retry;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(20, this.failuresInRow - 1));
    // Half fixed, half jitter: retries of many dispatchers spread out but never fire at once.
    return Math.round(ceiling / 2 + (ceiling / 2) * this.options.random());
  }

  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.options.sleep(ms, signal);
      return !signal.aborted;
    } catch {
      return false;
    }
  }

  private idle(signal: AbortSignal, ms = this.options.idlePollMs): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.wake = undefined;
        resolve(result);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener("abort", onAbort, { once: true });
      this.wake = () => done(true);
    });
  }
}

/** The longest prefix within `maxBytes` of payload (always at least one row). */
function cutToBytes(rows: OutboxRow[], maxBytes: number): OutboxRow[] {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most batches are under the limit without counting.
  let bound = 0;
  for (const r of rows) bound += r instanceof OutboxBytesRow ? r.bytes.length : r.payload.length * 3;
  if (bound <= maxBytes) return rows;
  let bytes = 0;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as OutboxRow;
    bytes += row instanceof OutboxBytesRow ? row.bytes.length : Buffer.byteLength(row.payload, "utf8");
    if (bytes > maxBytes) return rows.slice(0, Math.max(1, i));
  }
  return rows;
}

function toSinkRecord(row: OutboxRow): SinkRecord {
  return { seq: row.seq, eventId: row.eventId, connectorId: row.connectorId, stream: row.stream, payload: row.payload };
}
