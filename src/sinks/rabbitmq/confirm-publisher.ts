import type { ConfirmChannel, Message, Options } from "amqplib";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../sink.js";
import { AMQP, RabbitmqConfigError } from "./rabbitmq-errors.js";
import { eventKindOf, type RoutingKeyTemplate } from "./routing-key.js";

export interface ConfirmPublisherOptions {
  sinkId: string;
  exchange: string;
  keys: RoutingKeyTemplate;
  mandatory: boolean;
  confirmTimeoutMs: number;
  /** Scrubs secrets from texts that came from the broker or the client. */
  redact(text: string): string;
}

/** The part of a ConfirmChannel the publisher uses (a fake in unit tests). */
export type PublishChannel = Pick<ConfirmChannel, "publish" | "on" | "once" | "off">;

interface PendingBatch {
  readonly records: readonly SinkRecord[];
  /** 1 confirmed (ack), 2 nacked, 3 lost (channel closed before its confirm). */
  readonly outcome: Uint8Array;
  /** Publish callbacks still to come (one per published message). */
  remaining: number;
  /** Messages published so far (stops early when the channel fails). */
  published: number;
  /** Returned as unroutable (mandatory): index -> the broker's reply. */
  readonly returned: Map<number, string>;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Publishes batches on one confirm channel: every message persistent, `messageId` = event id, and the
 * batch settles once the broker confirmed each message (per-message callbacks, so batches written
 * concurrently on the channel never wait for each other's confirms). A `false` from publish (the
 * channel's buffer is full) waits for `drain` before the next message. Unroutable messages come back
 * (mandatory) before their confirm and turn the batch into a binding error.
 */
export class ConfirmPublisher {
  /** Event id -> the batch and position that published it last (for `basic.return`). */
  private readonly byMessageId = new Map<string, { batch: PendingBatch; index: number }>();
  private readonly batches = new Set<PendingBatch>();
  /** Why the channel failed (the broker's close reason), once it has. */
  private channelError: Error | undefined;
  private closed = false;

  constructor(
    private readonly channel: PublishChannel,
    private readonly options: ConfirmPublisherOptions,
  ) {
    channel.on("return", (message: Message) => this.onReturn(message));
    channel.on("error", (error: Error) => {
      this.channelError ??= error;
    });
    channel.on("close", () => {
      this.closed = true;
    });
  }

  /** The broker's reason the channel failed, if it did. */
  get failure(): Error | undefined {
    return this.channelError;
  }

  async publish(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch: PendingBatch = { records, outcome: new Uint8Array(records.length), remaining: 0, published: 0, returned: new Map(), settled: false, timer: undefined, resolve, reject };
    this.batches.add(batch);
    const { exchange, keys, mandatory } = this.options;
    try {
      for (let i = 0; i < records.length; i += 1) {
        if (batch.settled) break;
        if (this.closed) throw this.channelError ?? new Error("channel closed");
        const record = records[i] as SinkRecord;
        const options: Options.Publish = {
          persistent: true,
          mandatory,
          messageId: record.eventId,
          contentType: "application/json",
          type: record.stream,
          appId: "wizbridge",
          headers: { "wiz-stream": record.stream, "wiz-kind": eventKindOf(record.payload), "wiz-connector": record.connectorId },
        };
        this.byMessageId.set(record.eventId, { batch, index: i });
        const index = i;
        const writable = this.channel.publish(exchange, keys.keyOf(record.connectorId, record.stream), Buffer.from(record.payload, "utf8"), options, (error: unknown) => this.onConfirm(batch, index, error));
        // Counted once publish returned: when it throws (the channel is closed) no callback will come.
        batch.remaining += 1;
        batch.published += 1;
        if (!writable) await this.drained();
      }
    } catch (error) {
      // Publishing itself failed (the channel closed under us): the callbacks of what was sent still settle the batch.
      this.channelError ??= error instanceof Error ? error : new Error(String(error));
      this.closed = true;
      if (batch.remaining === 0) this.settle(batch);
      return promise;
    }
    if (batch.remaining === 0) this.settle(batch);
    else if (!batch.settled) {
      batch.timer = setTimeout(() => {
        const confirmed = batch.outcome.reduce((n, o) => n + (o === 1 ? 1 : 0), 0);
        this.fail(batch, new SinkUnavailableError(`RabbitMQ confirmed ${confirmed} of ${records.length} messages within ${this.options.confirmTimeoutMs} ms; the batch is retried (the broker is slow, or blocks publishers on a memory or disk alarm).`));
      }, this.options.confirmTimeoutMs);
      batch.timer.unref();
    }
    return promise;
  }

  /** Fails every batch still waiting for confirms (the connection is gone: they will never come). */
  failAll(error: Error): void {
    for (const batch of [...this.batches]) this.fail(batch, error);
  }

  private drained(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.channel.off("drain", done);
        this.channel.off("close", done);
        resolve();
      };
      this.channel.once("drain", done);
      this.channel.once("close", done);
    });
  }

  private onReturn(message: Message): void {
    const id = message.properties.messageId as string | undefined;
    const entry = id === undefined ? undefined : this.byMessageId.get(id);
    if (!entry) return;
    const fields = message.fields as Message["fields"] & { replyCode?: number; replyText?: string };
    entry.batch.returned.set(entry.index, `${fields.replyCode ?? AMQP.noRoute} ${fields.replyText ?? "NO_ROUTE"} (routing key ${fields.routingKey})`);
  }

  private onConfirm(batch: PendingBatch, index: number, error: unknown): void {
    if (batch.outcome[index] !== 0) return;
    batch.outcome[index] = error === null || error === undefined ? 1 : error instanceof Error && /nack/i.test(error.message) ? 2 : 3;
    batch.remaining -= 1;
    if (batch.remaining === 0 && batch.published === batch.records.length) this.settle(batch);
    else if (batch.remaining === 0 && this.closed) this.settle(batch);
  }

  /** Every published message has its outcome: resolve, or say why not. */
  private settle(batch: PendingBatch): void {
    if (batch.settled) return;
    const { records } = batch;
    const { exchange } = this.options;
    const lost = batch.published < records.length || batch.outcome.some((o) => o === 3);
    if (lost) {
      this.fail(batch, this.channelFailure(batch));
      return;
    }
    const nacked = batch.outcome.reduce((n, o) => n + (o === 2 ? 1 : 0), 0);
    if (nacked > 0) {
      this.fail(batch, new SinkUnavailableError(`RabbitMQ nacked ${nacked} of ${records.length} messages (it could not take them: a queue at its length limit with overflow reject-publish, or an internal error); the batch is retried.`));
      return;
    }
    if (batch.returned.size > 0) {
      const keys = [...new Set([...batch.returned.keys()].map((i) => this.options.keys.keyOf((records[i] as SinkRecord).connectorId, (records[i] as SinkRecord).stream)))];
      const said = [...batch.returned.values()][0] ?? "";
      this.fail(
        batch,
        new RabbitmqConfigError(
          `RabbitMQ returned ${batch.returned.size} of ${records.length} events as unroutable: exchange ${exchange} has no queue bound for routing key ${keys.slice(0, 5).join(", ")} (${this.options.redact(said)}).`,
          `Bind a durable queue to exchange ${exchange} with a pattern that matches (for example: rabbitmqadmin declare binding source=${exchange} destination=<queue> routing_key="${this.options.keys.bindingPattern}"), or set mandatory: false to let RabbitMQ drop unroutable events.`,
        ),
      );
      return;
    }
    this.done(batch);
    batch.resolve();
  }

  /** The batch lost confirms to a channel failure: a size refusal names its event, setup errors their fix, the rest retries. */
  private channelFailure(batch: PendingBatch): Error {
    const error = this.channelError;
    const code = (error as { code?: number } | undefined)?.code;
    const said = this.options.redact(error?.message ?? "channel closed");
    const { exchange, sinkId } = this.options;
    if (code === AMQP.preconditionFailed && /max(imum)? size|message size|larger than/i.test(said)) {
      const culprit = batch.records[oversizedIndex(batch, said)];
      if (culprit) {
        const accepted = new Set<string>();
        batch.outcome.forEach((o, i) => {
          if (o === 1 && !batch.returned.has(i)) accepted.add((batch.records[i] as SinkRecord).eventId);
        });
        accepted.delete(culprit.eventId);
        return new SinkRejectedError(new Map([[culprit.eventId, `RabbitMQ refused the message: ${said}; the event is ${Buffer.byteLength(culprit.payload, "utf8")} bytes (raise max_message_size in rabbitmq.conf to take it)`]]), accepted);
      }
    }
    if (code === AMQP.notFound) return new RabbitmqConfigError(`RabbitMQ refused the publish: ${said}.`, `Create exchange ${exchange} (or set exchange.declare: true, or run \`wizbridge sink setup ${sinkId}\`).`);
    if (code === AMQP.accessRefused) return new RabbitmqConfigError(`RabbitMQ refused the publish: ${said}.`, `Grant the user write permission on exchange ${exchange} in this vhost (rabbitmqctl set_permissions -p <vhost> <user> <configure> <write> <read>).`);
    return new SinkUnavailableError(`the RabbitMQ channel closed before every message was confirmed (${said}); the batch is retried.`);
  }

  private fail(batch: PendingBatch, error: Error): void {
    if (batch.settled) return;
    this.done(batch);
    batch.reject(error);
  }

  private done(batch: PendingBatch): void {
    batch.settled = true;
    clearTimeout(batch.timer);
    this.batches.delete(batch);
    for (const record of batch.records) if (this.byMessageId.get(record.eventId)?.batch === batch) this.byMessageId.delete(record.eventId);
  }
}

/**
 * Which event RabbitMQ refused for its size: the one whose body has the size the broker named ("message
 * size 20312 is larger than configured max size 8192"), else the first larger than the limit, else the
 * first without a confirm (the broker closes the channel at the message it refused).
 */
function oversizedIndex(batch: PendingBatch, said: string): number {
  const sizes = /size (\d+) is larger than configured max size (\d+)/i.exec(said);
  const published = batch.records.slice(0, batch.published);
  if (sizes) {
    const [size, max] = [Number(sizes[1]), Number(sizes[2])];
    const exact = published.findIndex((r, i) => batch.outcome[i] !== 1 && Buffer.byteLength(r.payload, "utf8") === size);
    if (exact >= 0) return exact;
    const larger = published.findIndex((r, i) => batch.outcome[i] !== 1 && Buffer.byteLength(r.payload, "utf8") > max);
    if (larger >= 0) return larger;
  }
  return batch.outcome.findIndex((o, i) => o !== 1 && i < batch.published);
}
