import type { Logger } from "pino";
import { SinkUnavailableError } from "../sink.js";

/** Asks HEC which of these ackIds are indexed; throws when it cannot tell (the error says whether waiting helps). */
export type HecAckQuery = (ackIds: readonly number[]) => Promise<ReadonlyMap<number, boolean>>;

/** A query failure after which waiting is pointless (the token refuses, acknowledgement is off, the channel is gone). */
export class HecAckFatalError extends Error {
  override readonly name = "HecAckFatalError";

  constructor(readonly reason: Error) {
    super(reason.message, { cause: reason });
  }
}

export interface HecAckPollerOptions {
  sinkId: string;
  query: HecAckQuery;
  /** Between two queries while anything is pending. */
  intervalMs: number;
  /** How long an ackId may stay unconfirmed before its wait fails (retryable: the events are sent again). */
  timeoutMs: number;
  now: () => number;
  logger: Logger;
}

interface PendingAck {
  since: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Waits for HEC indexer acknowledgements. All writes of the sink share one channel and one poller: each
 * interval, one `POST /services/collector/ack` asks about every pending ackId at once, however many
 * batches are in flight.
 */
export class HecAckPoller {
  private readonly pending = new Map<number, PendingAck>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly options: HecAckPollerOptions) {}

  /** Resolves once HEC says the request with this ackId is indexed; rejects on timeout or a fatal query failure. */
  wait(ackId: number): Promise<void> {
    if (this.closed) return Promise.reject(new SinkUnavailableError(`sink ${this.options.sinkId} is closed; the batch is delivered again after restart.`));
    return new Promise<void>((resolve, reject) => {
      this.pending.get(ackId)?.reject(new Error(`sink ${this.options.sinkId}: Splunk gave out ackId ${ackId} twice on one channel (it restarted?); the batch is sent again.`));
      this.pending.set(ackId, { since: this.options.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Stops waiting for these ackIds (their write failed otherwise); their waits never settle. */
  forget(ackIds: Iterable<number>): void {
    for (const id of ackIds) this.pending.delete(id);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Fails every wait (the sink is closing) and stops polling. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const error = new SinkUnavailableError(`sink ${this.options.sinkId} closed before Splunk confirmed the batch; it is delivered again after restart (Splunk may index it twice).`);
    for (const wait of this.pending.values()) wait.reject(error);
    this.pending.clear();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.polling || this.closed || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, this.options.intervalMs);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    const ids = [...this.pending.keys()];
    try {
      const status = await this.options.query(ids);
      for (const id of ids) {
        if (status.get(id) !== true) continue;
        const wait = this.pending.get(id);
        this.pending.delete(id);
        wait?.resolve();
      }
    } catch (error) {
      if (error instanceof HecAckFatalError) {
        for (const id of ids) {
          const wait = this.pending.get(id);
          this.pending.delete(id);
          wait?.reject(error.reason);
        }
      } else {
        // A busy or unreachable Splunk: the acks may still come; the timeout bounds the wait.
        this.options.logger.debug({ sink: this.options.sinkId, pending: ids.length, error: error instanceof Error ? error.message : String(error) }, "HEC acknowledgement query failed; asking again");
      }
    } finally {
      this.polling = false;
    }
    this.expire();
    this.schedule();
  }

  private expire(): void {
    const now = this.options.now();
    const { timeoutMs, sinkId } = this.options;
    for (const [id, wait] of this.pending) {
      if (now - wait.since < timeoutMs) continue;
      this.pending.delete(id);
      wait.reject(
        new SinkUnavailableError(
          `sink ${sinkId}: Splunk did not confirm within ${timeoutMs} ms that the events of ackId ${id} are indexed (indexer acknowledgement); the batch is sent again, so Splunk may index some events twice. If this repeats, Splunk's indexing queues are backed up (check its health), or raise sinks.${sinkId}.ack.timeoutMs.`,
        ),
      );
    }
  }
}
