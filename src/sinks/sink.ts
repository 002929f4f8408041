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
  /**
   * The same JSON as UTF-8 bytes, present when the sink declares `takesBytes`: the outbox hands over the
   * stored bytes and `payload` is only decoded if read.
   */
  bytes?: Uint8Array;
}

/**
 * at-least-once: `write` resolves only when the batch is durable at the destination, so an acknowledged
 * event is never lost, and a crash between write and acknowledgement redelivers it.
 * effectively-once: at-least-once, and the destination drops a redelivery by the event id (Elasticsearch
 * `_id`, JetStream `Nats-Msg-Id`, a PostgreSQL key), so a retry never shows twice there.
 * best-effort: `write` resolves when the destination accepted the bytes (a terminal, a pipe, UDP).
 */
export type DeliveryGuarantee = "at-least-once" | "effectively-once" | "best-effort";

/** One step of `wizbridge sink test`: connect, authenticate, write a marked test event... */
export interface SinkTestStep {
  step: string;
  ok: boolean;
  /** What happened (on failure: the destination's own words). */
  detail: string;
  /** On failure: what to change (wrong token, TLS, unknown index, missing permission). */
  fix?: string;
}

/** Every sink sits behind this; the dispatcher batches, retries with backoff and acknowledges. */
export interface Sink {
  readonly id: string;
  readonly guarantee: DeliveryGuarantee;
  /** True when `write` uses SinkRecord.bytes where present (and seldom reads `payload`): the outbox is read as bytes. */
  readonly takesBytes?: boolean;
  /**
   * Delivers a batch, in order, and resolves only once the destination holds it as the guarantee says.
   * Throw SinkRejectedError when some records are refused for good (the rest may have been accepted),
   * SinkUnavailableError (with Retry-After when the destination gave one) or anything else to retry the batch.
   */
  write(batch: readonly SinkRecord[]): Promise<void>;
  /** `wizbridge sink test`: connects, authenticates and writes one marked test event, step by step. */
  selfTest?(): Promise<SinkTestStep[]>;
  /** `wizbridge sink setup`: installs what the destination needs (an index template...); returns what it did. */
  setup?(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Records the destination refuses for good (malformed for it, too large...): they go to the dead-letter
 * table with the reason. The rest of the batch is written again without them, except those listed as
 * accepted (the destination took them in the same call), which are acknowledged as they are.
 */
export class SinkRejectedError extends Error {
  override readonly name = "SinkRejectedError";

  constructor(
    /** Event id -> why the destination refused it. */
    readonly rejected: ReadonlyMap<string, string>,
    /** Event ids the destination accepted in the same call (optional: without it the rest is written again). */
    readonly accepted?: ReadonlySet<string>,
  ) {
    super(`The sink refused ${rejected.size} event(s): ${[...rejected.values()][0] ?? ""}`);
  }
}

/**
 * The destination cannot take the batch now (down, throttling, 5xx): retried after backoff, never
 * sooner than `retryAfterMs` when the destination said how long to wait (HTTP Retry-After).
 */
export class SinkUnavailableError extends Error {
  override readonly name = "SinkUnavailableError";
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** How long the dispatcher waits before trying again after a SinkConfigError: nobody fixes a destination's setup in a second. */
export const SINK_CONFIG_RETRY_AFTER_MS = 30_000;

/**
 * The destination is set up wrong; never dead-letter, retry slowly. Not the events' fault (a missing
 * stream or exchange, refused credentials or permissions), so nothing is dead-lettered: the batch stays in
 * the outbox and is retried every SINK_CONFIG_RETRY_AFTER_MS until someone applies `fix`.
 */
export class SinkConfigError extends SinkUnavailableError {
  /** Retrying alone does not help: a person must apply the fix. */
  readonly configProblem = true;

  constructor(
    /** What is wrong, without the fix. */
    readonly reason: string,
    /** What to change, for `wizbridge sink test`. */
    readonly fix: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${reason} ${fix}`, { retryAfterMs: SINK_CONFIG_RETRY_AFTER_MS, ...options });
  }
}
