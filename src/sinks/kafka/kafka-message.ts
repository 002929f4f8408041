import type { SinkRecord } from "../sink.js";
import type { KafkaRecordInput } from "./kafka-record-batch.js";
import { kafkaTopicFor } from "./kafka-settings.js";

/** One event as a Kafka record; the partition is chosen once the topic's partition count is known. */
export interface KafkaOutgoingMessage extends KafkaRecordInput {
  eventId: string;
  topic: string;
  partition: number;
  /** Bytes the record adds to a batch, roughly (key, value, headers, framing). */
  size: number;
}

/**
 * The event's top-level `kind` read without parsing the whole payload: WizEvent is serialised with id,
 * source and kind first, and a `"kind":"` inside a string value would be escaped (`\"kind\":\"`), so the
 * first match is the event's own field.
 */
export function eventKindOf(payload: string): string {
  const at = payload.indexOf('"kind":"');
  if (at < 0) return "unknown";
  const start = at + 8;
  const end = payload.indexOf('"', start);
  return end > start && end - start <= 32 ? payload.slice(start, end) : "unknown";
}

/**
 * Builds Kafka records from sink records: key = event id (so compaction and the partitioner keep every
 * version of one event together), value = the payload bytes exactly, headers naming the stream, the
 * event kind and the connector. Header buffers are shared between records: they never change.
 */
export class KafkaMessageMapper {
  private readonly headerKeys: { stream: Buffer; kind: Buffer; connector: Buffer; contentType: Buffer };
  private readonly contentType = Buffer.from("application/json");
  private readonly extra: Array<readonly [Buffer, Buffer]>;
  private readonly values = new Map<string, Buffer>();
  private readonly topics = new Map<string, string>();

  constructor(
    private readonly topicTemplate: string,
    extraHeaders: Record<string, string> = {},
  ) {
    this.headerKeys = { stream: Buffer.from("wiz-stream"), kind: Buffer.from("wiz-event-kind"), connector: Buffer.from("wiz-connector"), contentType: Buffer.from("content-type") };
    this.extra = Object.entries(extraHeaders).map(([k, v]) => [Buffer.from(k), Buffer.from(v)]);
  }

  topicOf(stream: string): string {
    let topic = this.topics.get(stream);
    if (topic === undefined) {
      topic = kafkaTopicFor(this.topicTemplate, stream);
      this.topics.set(stream, topic);
    }
    return topic;
  }

  /** The record with partition -1: the sink sets it from the key once it knows the topic's partitions. */
  map(record: SinkRecord): KafkaOutgoingMessage {
    const key = Buffer.from(record.eventId, "utf8");
    const valueBytes = Buffer.byteLength(record.payload, "utf8");
    const headers: Array<readonly [Buffer, Buffer]> = [
      [this.headerKeys.stream, this.shared(record.stream)],
      [this.headerKeys.kind, this.shared(eventKindOf(record.payload))],
      [this.headerKeys.connector, this.shared(record.connectorId)],
      [this.headerKeys.contentType, this.contentType],
      ...this.extra,
    ];
    return { eventId: record.eventId, topic: this.topicOf(record.stream), partition: -1, key, value: record.payload, valueBytes, headers, size: key.length + valueBytes + 120 };
  }

  /** Header values repeat (a handful of streams, kinds and connectors): one buffer each. */
  private shared(text: string): Buffer {
    let b = this.values.get(text);
    if (!b) {
      b = Buffer.from(text, "utf8");
      if (this.values.size < 10_000) this.values.set(text, b);
    }
    return b;
  }
}
