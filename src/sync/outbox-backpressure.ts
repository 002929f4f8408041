import type { Logger } from "pino";
import type { Sleep } from "../wiz/index.js";
import { OutboxRepository } from "../store/outbox.repository.js";
import { SinkOffsetRepository } from "../store/sink-offset.repository.js";
import type { StoreDb } from "../store/store-database.js";

export interface OutboxBackpressureOptions {
  db: StoreDb;
  connectorId: string;
  sinkIds: readonly string[];
  /** Undelivered events at which pulling pauses. */
  limit: number;
  /** How often a paused puller looks again. */
  pollMs: number;
  sleep: Sleep;
  logger: Logger;
  /** Told when pulling pauses or resumes (connector state, progress). */
  onChange?: (paused: boolean, backlog: number) => void;
}

/**
 * Backpressure: a sink that is down makes the outbox grow; at the bound, the connector stops fetching
 * pages (before the next request, never dropping one) until the sinks catch up.
 */
export class OutboxBackpressure {
  private pausedNow = false;

  constructor(private readonly options: OutboxBackpressureOptions) {}

  get paused(): boolean {
    return this.pausedNow;
  }

  async backlog(): Promise<number> {
    const { db, connectorId, sinkIds } = this.options;
    const oldest = await new SinkOffsetRepository(db).oldest(connectorId, sinkIds);
    return new OutboxRepository(db).backlogUpTo(connectorId, oldest, this.options.limit);
  }

  async waitForRoom(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const backlog = await this.backlog();
      if (backlog < this.options.limit) {
        if (this.pausedNow) {
          this.pausedNow = false;
          this.options.logger.info({ connector: this.options.connectorId, backlog }, "sinks caught up; pulling resumes");
          this.options.onChange?.(false, backlog);
        }
        return;
      }
      if (!this.pausedNow) {
        this.pausedNow = true;
        this.options.logger.warn(
          { connector: this.options.connectorId, backlog, limit: this.options.limit },
          "outbox full: a sink is down or slow, so pulling pauses until it catches up (nothing is dropped)",
        );
        this.options.onChange?.(true, backlog);
      }
      await this.options.sleep(this.options.pollMs, signal);
    }
  }
}
