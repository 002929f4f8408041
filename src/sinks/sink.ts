/** One event as the outbox hands it to a sink: the serialised WizEvent plus what a sink may route on. */
export interface SinkRecord {
  /** Outbox position; increasing within a connector. */
  seq: number;
  /** Deterministic event id: sinks that can deduplicate use it. */
  eventId: string;
  connectorId: string;
  stream: string;
  /** The WizEvent as JSON. */
  payload: string;
}

/**
 * at-least-once: `write` resolves only when the batch is durable at the destination, so an acknowledged
 * event is never lost, and a crash between write and acknowledgement redelivers it.
 * best-effort: `write` resolves when the destination accepted the bytes (a terminal, a pipe).
 */
export type DeliveryGuarantee = "at-least-once" | "best-effort";

/** Every sink sits behind this; the dispatcher batches, retries with backoff and acknowledges. */
export interface Sink {
  readonly id: string;
  readonly guarantee: DeliveryGuarantee;
  /** Delivers a batch, in order. Throw SinkRejectedError for poison records, anything else to retry the batch. */
  write(batch: readonly SinkRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Records the destination refuses for good (malformed for it, too large...): they go to the dead-letter
 * table with the reason, and the rest of the batch is retried without them.
 */
export class SinkRejectedError extends Error {
  override readonly name = "SinkRejectedError";

  constructor(
    /** Event id -> why the destination refused it. */
    readonly rejected: ReadonlyMap<string, string>,
  ) {
    super(`The sink refused ${rejected.size} event(s): ${[...rejected.values()][0] ?? ""}`);
  }
}
