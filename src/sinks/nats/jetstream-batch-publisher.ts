import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { SinkConfigError, SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../sink.js";
import { pubAckVerdict, type JetStreamApiErrorBody } from "./nats-errors.js";
import type { SubjectTemplate } from "./nats-subject.js";

export interface JetStreamBatchPublisherOptions {
  sinkId: string;
  /** The stream expected to capture every subject (sent as Nats-Expected-Stream). */
  stream: string;
  subjects: SubjectTemplate;
  ackTimeoutMs: number;
  inboxPrefix?: string;
}

interface PendingBatch {
  readonly records: readonly SinkRecord[];
  /** 1 once the event's PubAck (or a refusal before publishing) is in. */
  readonly settledAt: Uint8Array;
  remaining: number;
  readonly accepted: Set<string>;
  readonly rejected: Map<string, string>;
  timer: NodeJS.Timeout | undefined;
  resolve(): void;
  reject(error: Error): void;
}

/** A PubAck as JetStream sends it. */
interface PubAckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: JetStreamApiErrorBody;
}

const TEXT = new TextDecoder();

/**
 * Publishes batches pipelined and collects their PubAcks on one wildcard inbox subscription: every event
 * goes out at once with its own reply subject `<inbox>.<batch>.<index>`, and the batch settles when the
 * last PubAck is in (one timer per batch, not one request per event).
 */
export class JetStreamBatchPublisher {
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly batches = new Map<number, PendingBatch>();
  private nextBatch = 1;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: JetStreamBatchPublisherOptions,
  ) {
    this.inbox = createInbox(options.inboxPrefix);
    // The client re-subscribes after a reconnect; PubAcks of batches failed meanwhile are ignored.
    this.subscription = nc.subscribe(`${this.inbox}.>`, { callback: (error, msg) => (error ? this.failAll(new SinkUnavailableError(`the subscription for PubAcks failed (${error.message}); the batch is retried.`)) : this.onAck(msg)) });
  }

  /**
   * Resolves once JetStream acknowledged every event (a duplicate counts: the stream holds it already);
   * SinkRejectedError when some were refused for good, with the rest as accepted.
   */
  publish(records: readonly SinkRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const id = this.nextBatch++;
      const batch: PendingBatch = { records, settledAt: new Uint8Array(records.length), remaining: records.length, accepted: new Set(), rejected: new Map(), timer: undefined, resolve, reject };
      this.batches.set(id, batch);
      const { stream, subjects } = this.options;
      try {
        for (let i = 0; i < records.length; i += 1) {
          const record = records[i] as SinkRecord;
          const data = Buffer.from(record.payload, "utf8");
          const h = headers();
          h.set("Nats-Msg-Id", record.eventId);
          h.set("Nats-Expected-Stream", stream);
          const subject = subjects.subjectOf(record.connectorId, record.stream);
          try {
            this.nc.publish(subject, data, { reply: `${this.inbox}.${id}.${i}`, headers: h });
          } catch (error) {
            // The client refuses a message above the server's max_payload before sending it: that event alone can never go.
            if (!(error instanceof Error) || !/max_payload/.test(error.message)) throw error;
            const max = this.nc.info?.max_payload;
            this.refuse(batch, i, `the event is ${data.length} bytes plus headers and the NATS server's max_payload is ${max ?? "smaller"} bytes; raise max_payload in the nats-server configuration to publish it`);
          }
        }
      } catch (error) {
        this.fail(id, new SinkUnavailableError(`publishing to NATS failed (${error instanceof Error ? error.message : String(error)}); the batch stays in the outbox.`, { cause: error }));
        return;
      }
      if (batch.remaining === 0) {
        this.finish(id);
        return;
      }
      batch.timer = setTimeout(() => {
        this.fail(
          id,
          new SinkUnavailableError(
            `JetStream acknowledged ${records.length - batch.remaining} of ${records.length} events within ${this.options.ackTimeoutMs} ms; the batch is retried (the server is slow, overloaded or electing a stream leader).`,
          ),
        );
      }, this.options.ackTimeoutMs);
      batch.timer.unref();
    });
  }

  /** Fails every batch still waiting (the connection dropped: their PubAcks will never come). */
  failAll(error: Error): void {
    for (const id of [...this.batches.keys()]) this.fail(id, error);
  }

  close(error: Error): void {
    this.failAll(error);
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
  }

  private onAck(msg: Msg): void {
    const tail = msg.subject.slice(this.inbox.length + 1);
    const dot = tail.indexOf(".");
    const id = Number(tail.slice(0, dot));
    const index = Number(tail.slice(dot + 1));
    const batch = this.batches.get(id);
    if (!batch || !(index >= 0 && index < batch.records.length) || batch.settledAt[index] === 1) return;
    const record = batch.records[index] as SinkRecord;
    const { stream } = this.options;
    if (msg.headers?.code === 503 || (msg.data.length === 0 && msg.headers?.hasError)) {
      const capture = this.options.subjects.capture;
      this.fail(
        id,
        new SinkConfigError(
          `no JetStream stream captures the subject ${this.options.subjects.subjectOf(record.connectorId, record.stream)} (NATS answered ${msg.headers?.code ?? "?"} no responders: the stream ${stream} is missing, does not capture it, or JetStream is off).`,
          `Run \`wizbridge sink setup ${this.options.sinkId}\` (or set createStream: true) to create stream ${stream} capturing ${capture}, or add ${capture} to the subjects of stream ${stream}.`,
        ),
      );
      return;
    }
    let ack: PubAckBody;
    try {
      ack = JSON.parse(TEXT.decode(msg.data)) as PubAckBody;
    } catch {
      this.fail(id, new SinkUnavailableError(`NATS answered a publish with something that is not a PubAck (${TEXT.decode(msg.data.subarray(0, 200))}); the batch is retried.`));
      return;
    }
    if (ack.error) {
      const { error } = ack;
      const said = `${error.description ?? "error"} (code ${error.code}${error.err_code !== undefined ? `, err_code ${error.err_code}` : ""})`;
      switch (pubAckVerdict(error)) {
        case "reject":
          this.refuse(batch, index, `JetStream stream ${ack.stream || stream} refused it: ${said}; the event is ${Buffer.byteLength(record.payload, "utf8")} bytes (raise the stream's max_msg_size to store it)`);
          break;
        case "config":
          this.fail(
            id,
            new SinkConfigError(
              `JetStream refused the publish: ${said}${ack.stream ? `; the subject is captured by stream ${ack.stream}, not ${stream}` : ""}.`,
              ack.stream && ack.stream !== stream
                ? `Set stream: ${ack.stream} for this sink, or change subject so that only stream ${stream} captures it.`
                : `Run \`wizbridge sink setup ${this.options.sinkId}\` (or set createStream: true) to create stream ${stream}, and make sure JetStream is enabled for the account.`,
            ),
          );
          return;
        case "retry":
          this.fail(id, new SinkUnavailableError(`JetStream could not store an event now: ${said}; the batch is retried.`));
          return;
      }
    } else {
      batch.accepted.add(record.eventId);
      batch.settledAt[index] = 1;
      batch.remaining -= 1;
    }
    if (batch.remaining === 0) this.finish(id);
  }

  /** Marks one event as refused for good (it is dead-lettered with the reason). */
  private refuse(batch: PendingBatch, index: number, reason: string): void {
    if (batch.settledAt[index] === 1) return;
    batch.settledAt[index] = 1;
    batch.remaining -= 1;
    batch.rejected.set((batch.records[index] as SinkRecord).eventId, reason);
  }

  private finish(id: number): void {
    const batch = this.batches.get(id);
    if (!batch) return;
    this.batches.delete(id);
    clearTimeout(batch.timer);
    if (batch.rejected.size > 0) {
      // An event refused and accepted in the same batch (two records with one id) is not acknowledged.
      for (const eventId of batch.rejected.keys()) batch.accepted.delete(eventId);
      batch.reject(new SinkRejectedError(batch.rejected, batch.accepted));
    } else batch.resolve();
  }

  private fail(id: number, error: Error): void {
    const batch = this.batches.get(id);
    if (!batch) return;
    this.batches.delete(id);
    clearTimeout(batch.timer);
    batch.reject(error);
  }
}
