import { Admin, type BaseOptions, type ClusterMetadata, type SASLOptions } from "@platformatic/kafka";
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { sinkTestRecord, tlsConnectionOptions } from "../sink-settings.js";
import { KafkaConfigError, configFix, diagnoseConnection, flattenErrors, kafkaErrorName, metadataTopicAnswers, metadataTopicErrors, partitionVerdict, unknownTopicFix, type PartitionVerdict } from "./kafka-errors.js";
import { KafkaMessageMapper, type KafkaOutgoingMessage } from "./kafka-message.js";
import { partitionForKey } from "./kafka-partitioner.js";
import { encodeProduceRequest, encodeRecordBatch } from "./kafka-record-batch.js";
import { KAFKA_DEFAULTS, availableCompressions, kafkaBrokers, kafkaTopicFor, kafkaTopics, type KafkaSinkSettings } from "./kafka-settings.js";
import { KafkaWireError, initProducerId, produceVersion, sendProduce, type ProduceResponse } from "./kafka-wire.js";

/** Extra attempts at one partition batch inside a write (same producer id and sequence numbers, so the broker drops a repeat). */
const PARTITION_RETRIES = 3;
const RETRY_DELAY_MS = 250;
/** Cap on send rounds in one write (retries and halving included; far beyond any real need). */
const MAX_ROUNDS = 64;
/** Kafka's acks=all. */
const ACKS_ALL = -1;

/** An idempotent producer identity and its next sequence number per partition. */
interface ProducerSession {
  producerId: bigint;
  producerEpoch: number;
  sequences: Map<string, number>;
  /** A batch's fate is unknown (or the broker rejects the sequence state): never reuse this session. */
  failed: boolean;
}

/** Records of one partition, in batch order, cut into chunks that each fit one record batch. */
interface PartitionQueue {
  topic: string;
  partition: number;
  key: string;
  chunks: KafkaOutgoingMessage[][];
  attempts: number;
  /** The head chunk's last attempt may have been stored: the session must not be reused unless a retry settles it. */
  uncertain: boolean;
}

interface PartitionOutcome {
  queue: PartitionQueue;
  verdict: PartitionVerdict;
  code?: number;
  offset?: bigint;
  detail: string;
  recordErrors?: Array<{ batchIndex: number; batchIndexErrorMessage?: string | null }>;
  /** For config, retry, stale, uncertain and sequence: what to throw if the write gives up here. */
  error?: Error;
}

/** Where a write's records landed (for `sink test`). */
export interface KafkaDelivery {
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * Apache Kafka with an idempotent producer and acks=all (-1, fixed), on @platformatic/kafka's connections.
 *
 * Guarantee: at-least-once. `write` resolves only after the partition leader answered every record's
 * batch with no error under acks=all: the records are in the log of every in-sync replica (at least the
 * topic's min.insync.replicas; set it to 2 with replication factor 3 for a copy to survive a broker loss).
 * Each record's key is the event id, so the default partitioner (murmur2, as the Java client) sends every
 * copy of an event to one partition and log compaction keeps one.
 * Idempotence: each write numbers its batches per partition under a producer id (InitProducerId); a
 * batch retried inside the write after a lost answer, a timeout or a leader change carries the same
 * numbers, and the broker drops it if it already holds it. A batch the dispatcher writes again after the
 * write gave up, or after a crash between write and acknowledgement, goes under a new producer id and
 * can be stored a second time: consumers deduplicate by key (the event id).
 *
 * Per-record results: a partition batch too large (MESSAGE_TOO_LARGE) is split in halves until the event
 * that does not fit is alone, and that one is refused; INVALID_RECORD refuses the records the broker names.
 * Refused events go to the dead-letter table through SinkRejectedError with Kafka's error name, the
 * partitions that were stored as accepted. A missing topic or ACL (TOPIC_AUTHORIZATION_FAILED) is a
 * configuration problem, not bad events: the batch stays in the outbox (KafkaConfigError). Leader moves,
 * timeouts, missing replicas and lost connections are retried.
 */
export class KafkaSink implements Sink {
  readonly guarantee = "at-least-once" as const;
  private readonly brokerList: Array<{ host: string; port: number }>;
  private readonly brokersText: string;
  private readonly topicTemplate: string;
  private readonly compression: "none" | "gzip" | "zstd";
  private readonly maxBatchBytes: number;
  private readonly connectMs: number;
  private readonly requestMs: number;
  private readonly tls: TlsConnectionOptions | undefined;
  private readonly sasl: SASLOptions | undefined;
  private readonly mapper: KafkaMessageMapper;
  /** Connections, metadata and API versions, shared by every session. */
  private client: Admin | undefined;
  private version: number | undefined;
  /**
   * Idle producer sessions. A write holds one for its whole length, so its batches are numbered in
   * order; concurrent writes (up to maxInFlight) each have their own producer id and pipeline freely.
   */
  private readonly idle: ProducerSession[] = [];
  private readonly permits: Semaphore;
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    readonly id: string,
    private readonly settings: KafkaSinkSettings,
    private readonly context: SinkContext,
  ) {
    this.brokerList = kafkaBrokers(settings.brokers);
    this.brokersText = settings.brokers.join(",");
    this.topicTemplate = settings.topic ?? KAFKA_DEFAULTS.topic;
    this.compression = settings.compression ?? KAFKA_DEFAULTS.compression;
    if (!(availableCompressions() as string[]).includes(this.compression)) {
      throw new Error(`sinks.${id}.compression: ${this.compression} needs Node.js 22.15 or later (this is ${process.version}); use gzip or none.`);
    }
    this.maxBatchBytes = settings.maxBatchBytes ?? KAFKA_DEFAULTS.maxBatchBytes;
    this.connectMs = settings.timeouts?.connectMs ?? KAFKA_DEFAULTS.connectMs;
    this.requestMs = settings.timeouts?.requestMs ?? KAFKA_DEFAULTS.requestMs;
    this.tls = tlsConnectionOptions(id, settings.tls, context.logger, context.baseDir);
    this.sasl = settings.sasl
      ? { mechanism: ({ plain: "PLAIN", "scram-sha-256": "SCRAM-SHA-256", "scram-sha-512": "SCRAM-SHA-512" } as const)[settings.sasl.mechanism], username: settings.sasl.username, password: settings.sasl.password }
      : undefined;
    this.mapper = new KafkaMessageMapper(this.topicTemplate, settings.headers);
    this.permits = new Semaphore(Math.max(1, settings.maxInFlight ?? 1));
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await this.withSession((session) => this.deliver(session, batch, { createMissing: true }));
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    const how = [this.tls ? "TLS" : "plaintext", ...(this.sasl ? [`SASL ${this.sasl.mechanism} as ${this.settings.sasl?.username ?? ""}`] : [])].join(", ");
    for (const broker of this.brokerList) {
      const name = `${broker.host}:${broker.port}`;
      const probe = new Admin(this.clientOptions([broker], 0));
      try {
        const apis = await withDeadline(probe.listApis(), this.connectMs + this.requestMs, `no answer from ${name}`);
        steps.push({ step: `connect to ${name}`, ok: true, detail: `connected (${how}); the broker offers ${apis.length} APIs` });
      } catch (error) {
        const d = diagnoseConnection(error, name);
        steps.push({ step: `connect to ${name}`, ok: false, detail: d.message, fix: d.fix });
      } finally {
        await closeQuietly(probe);
      }
    }
    if (!steps.some((s) => s.ok)) return steps;

    try {
      const md = await withDeadline(this.kafka().metadata({ topics: [], forceUpdate: true }), this.connectMs + this.requestMs, "no metadata answer");
      const advertised = [...md.brokers.values()].map((b) => `${b.host}:${b.port}`);
      steps.push({ step: "read cluster metadata", ok: true, detail: `cluster ${md.id}, ${advertised.length} broker(s) advertised: ${advertised.join(", ")}` });
    } catch (error) {
      const d = diagnoseConnection(error, this.brokersText);
      steps.push({ step: "read cluster metadata", ok: false, detail: d.message, fix: d.fix });
      return steps;
    }

    const topics = kafkaTopics(this.topicTemplate);
    try {
      const { missing, denied } = await this.topicPresence(topics);
      if (missing.length === 0 && denied.length === 0) {
        steps.push({ step: "check topics", ok: true, detail: `${topics.length} topic(s) exist: ${topics.join(", ")}` });
      } else {
        const detail = [missing.length ? `missing: ${missing.join(", ")}` : "", denied.length ? `not visible to this principal (TOPIC_AUTHORIZATION_FAILED): ${denied.join(", ")}` : ""].filter(Boolean).join("; ");
        const fix = [
          missing.length ? (this.settings.createTopics ? "Run `wizbridge sink setup` to create them (createTopics is set; a write also creates a missing topic)." : unknownTopicFix(missing)) : "",
          denied.length ? `Grant this client's principal DESCRIBE and WRITE on ${denied.join(", ")}.` : "",
        ]
          .filter(Boolean)
          .join(" ");
        steps.push({ step: "check topics", ok: false, detail, fix });
      }
    } catch (error) {
      const d = error instanceof KafkaConfigError ? { message: error.message, fix: error.fix } : diagnoseConnection(error, this.brokersText);
      steps.push({ step: "check topics", ok: false, detail: d.message, fix: d.fix });
      return steps;
    }

    const record = sinkTestRecord(this.id, this.context.now());
    const topic = kafkaTopicFor(this.topicTemplate, record.stream);
    const step = `produce a test event to ${topic} (acks=all)`;
    try {
      const landed = await this.withSession((session) => this.deliver(session, [record], { createMissing: false }));
      const at = landed[0];
      steps.push({ step, ok: true, detail: `event ${record.eventId} stored by the idempotent producer${at ? ` at partition ${at.partition}, offset ${at.offset}` : ""}` });
    } catch (error) {
      const fix =
        error instanceof KafkaConfigError
          ? error.fix
          : error instanceof SinkRejectedError
            ? "The broker refused the test event itself: check the topic's max.message.bytes and validation settings."
            : diagnoseConnection(error, this.brokersText).fix;
      steps.push({ step, ok: false, detail: error instanceof Error ? error.message : String(error), fix });
    }
    return steps;
  }

  async setup(): Promise<string[]> {
    const topics = kafkaTopics(this.topicTemplate);
    const { missing, present, denied } = await this.topicPresence(topics);
    if (denied.length > 0) throw new KafkaConfigError(`Kafka denied access to topic(s) ${denied.join(", ")} (TOPIC_AUTHORIZATION_FAILED).`, configFix(29, denied[0] as string));
    const lines = present.map(([t, n]) => `topic ${t} exists (${n} partition${n === 1 ? "" : "s"})`);
    if (missing.length === 0) return lines;
    if (!this.settings.createTopics) throw new KafkaConfigError(`Topic(s) ${missing.join(", ")} do not exist on the Kafka cluster at ${this.brokersText} and createTopics is not set.`, unknownTopicFix(missing));
    await this.createTopics(missing);
    const { partitions, replicationFactor } = this.settings.createTopics;
    return [...lines, ...missing.map((t) => `created topic ${t} (${partitions} partitions, replication factor ${replicationFactor})`)];
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
    this.idle.length = 0;
    const client = this.client;
    this.client = undefined;
    await closeQuietly(client);
  }

  /** Runs `task` with a producer session of its own; a session marked failed is dropped instead of reused. */
  private async withSession<T>(task: (session: ProducerSession) => Promise<T>): Promise<T> {
    if (this.closed) throw new SinkUnavailableError(`Kafka sink ${this.id} is closed.`);
    await this.permits.acquire();
    let session: ProducerSession | undefined;
    const run = (async () => {
      session = this.idle.pop() ?? (await this.newSession());
      return task(session);
    })();
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
      const done = session as ProducerSession | undefined;
      if (done && !done.failed && !this.closed) this.idle.push(done);
      this.permits.release();
    }
  }

  /** One write: partition, chunk, then send round by round until every chunk has an answer (see the class comment). */
  private async deliver(session: ProducerSession, batch: readonly SinkRecord[], options: { createMissing: boolean }): Promise<KafkaDelivery[]> {
    const messages = batch.map((r) => this.mapper.map(r));
    const topics = [...new Set(messages.map((m) => m.topic))];
    let metadata = await this.topicMetadata(topics, options.createMissing, false);
    const queues = this.partitionQueues(messages, metadata);
    const version = await this.produceVersion();

    const accepted = new Set<string>();
    const rejected = new Map<string, string>();
    const landed: KafkaDelivery[] = [];
    let stop: Error | undefined;
    let refresh = false;
    for (let round = 0; round < MAX_ROUNDS && !stop; round++) {
      const heads = queues.filter((q) => q.chunks.length > 0);
      if (heads.length === 0) break;
      if (refresh) {
        try {
          metadata = await this.topicMetadata(topics, false, true);
        } catch (error) {
          stop = error instanceof Error ? error : new SinkUnavailableError(String(error));
          break;
        }
        refresh = false;
      }
      const byLeader = new Map<number, PartitionQueue[]>();
      for (const q of heads) {
        const leader = metadata.topics.get(q.topic)?.partitions[q.partition]?.leader ?? -1;
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), q]);
      }
      const outcomes = (await Promise.all([...byLeader].map(([leader, group]) => this.sendToLeader(session, metadata, leader, group, version)))).flat();
      let again = false;
      for (const o of outcomes) {
        const q = o.queue;
        const chunk = q.chunks[0] as KafkaOutgoingMessage[];
        if (o.verdict !== "uncertain") q.uncertain = false;
        switch (o.verdict) {
          case "ok":
          case "duplicate":
            session.sequences.set(q.key, ((session.sequences.get(q.key) ?? 0) + chunk.length) | 0);
            for (const m of chunk) accepted.add(m.eventId);
            if (o.offset !== undefined && o.offset >= 0n) landed.push({ topic: q.topic, partition: q.partition, offset: o.offset });
            q.chunks.shift();
            q.attempts = 0;
            break;
          case "split": {
            const half = Math.ceil(chunk.length / 2);
            q.chunks.splice(0, 1, chunk.slice(0, half), chunk.slice(half));
            this.context.logger.warn({ sink: this.id, topic: q.topic, events: chunk.length }, `Kafka refused a batch of ${chunk.length} events as too large (MESSAGE_TOO_LARGE); sending it in halves. Set maxBatchBytes below the topic's max.message.bytes to save the extra round trips.`);
            break;
          }
          case "reject": {
            const name = kafkaErrorName(o.code ?? -1);
            const named = (o.recordErrors ?? []).filter((e) => e.batchIndex >= 0 && e.batchIndex < chunk.length);
            const bad = named.length > 0 ? new Set(named.map((e) => e.batchIndex)) : new Set(chunk.map((_, i) => i));
            chunk.forEach((m, i) => {
              if (bad.has(i)) rejected.set(m.eventId, rejectionReason(name, m, q.topic, named.find((e) => e.batchIndex === i)?.batchIndexErrorMessage ?? o.detail));
            });
            const rest = chunk.filter((_, i) => !bad.has(i));
            q.chunks.splice(0, 1, ...(rest.length > 0 ? [rest] : []));
            break;
          }
          case "config":
            stop ??= o.error;
            break;
          case "sequence":
            session.failed = true;
            stop ??= o.error;
            break;
          case "stale":
          case "retry":
          case "uncertain":
            if (o.verdict === "uncertain") q.uncertain = true;
            if (o.verdict === "stale") refresh = true;
            q.attempts += 1;
            if (q.attempts > PARTITION_RETRIES) stop ??= o.error;
            else again = true;
            break;
        }
      }
      if (again && !stop) await sleep(RETRY_DELAY_MS);
    }
    if (!stop && queues.some((q) => q.chunks.length > 0)) stop = new SinkUnavailableError(`Kafka sink ${this.id} gave up after ${MAX_ROUNDS} send rounds in one write; the batch is retried.`);
    // A batch whose last answer never came may be stored: reusing its sequence numbers for other events
    // would have the broker drop those as duplicates, so this producer id is retired.
    if (queues.some((q) => q.uncertain)) session.failed = true;
    if (rejected.size > 0) {
      this.context.logger.warn({ sink: this.id, refused: rejected.size, accepted: accepted.size }, "Kafka refused events for good; they go to the dead-letter table");
      throw new SinkRejectedError(rejected, accepted);
    }
    if (stop) throw stop;
    return landed;
  }

  /** One Produce request with the head chunk of each partition this leader serves; never throws. */
  private async sendToLeader(session: ProducerSession, metadata: ClusterMetadata, leader: number, group: PartitionQueue[], version: number): Promise<PartitionOutcome[]> {
    const broker = metadata.brokers.get(leader);
    if (!broker) {
      return group.map((queue) => ({ queue, verdict: "stale", detail: "no leader is known for the partition", error: new SinkUnavailableError(`Kafka has no leader for ${queue.topic} partition ${queue.partition} (an election may be running); the batch is retried.`) }));
    }
    const timestamp = this.context.now();
    const partitions = group.map((queue) => ({
      topic: queue.topic,
      partition: queue.partition,
      batch: encodeRecordBatch(queue.chunks[0] as KafkaOutgoingMessage[], {
        producerId: session.producerId,
        producerEpoch: session.producerEpoch,
        baseSequence: session.sequences.get(queue.key) ?? 0,
        timestamp,
        compression: this.compression,
      }),
    }));
    let response: ProduceResponse;
    try {
      response = await sendProduce(this.kafka(), broker, version, encodeProduceRequest(ACKS_ALL, this.requestMs, partitions), this.requestMs + this.connectMs);
    } catch (error) {
      const sent = !(error instanceof KafkaWireError) || error.sent;
      const d = diagnoseConnection(error, `${broker.host}:${broker.port}`);
      return group.map((queue): PartitionOutcome => {
        if (d.config) return { queue, verdict: "config", detail: d.message, error: new KafkaConfigError(d.message, d.fix, { cause: error }) };
        const detail = `${error instanceof Error ? error.message : String(error)}: ${d.message}`;
        return { queue, verdict: sent ? "uncertain" : "stale", detail, error: new SinkUnavailableError(`Kafka did not confirm the write to ${queue.topic}: ${d.message} ${d.fix}`, { cause: error }) };
      });
    }
    return group.map((queue): PartitionOutcome => {
      const answer = response.responses.find((t) => t.name === queue.topic)?.partitionResponses.find((p) => p.index === queue.partition);
      if (!answer) return { queue, verdict: "uncertain", detail: "the broker's answer left this partition out", error: new SinkUnavailableError(`Kafka's answer did not cover ${queue.topic} partition ${queue.partition}; the batch is retried.`) };
      const chunk = queue.chunks[0] as KafkaOutgoingMessage[];
      const verdict = partitionVerdict(answer.errorCode, chunk.length);
      const name = kafkaErrorName(answer.errorCode);
      const detail = `${name}${answer.errorMessage ? ` (${answer.errorMessage})` : ""}`;
      const outcome: PartitionOutcome = { queue, verdict, code: answer.errorCode, offset: answer.baseOffset, detail: answer.errorMessage ?? name, recordErrors: answer.recordErrors };
      if (verdict === "config") outcome.error = new KafkaConfigError(`Kafka refused the write to ${queue.topic}: ${detail}.`, configFix(answer.errorCode, queue.topic));
      else if (verdict === "sequence") outcome.error = new SinkUnavailableError(`Kafka rejected the producer's sequence state for ${queue.topic} (${detail}); a new producer session takes over on the retry.`);
      else if (verdict === "stale" || verdict === "retry" || verdict === "uncertain") outcome.error = new SinkUnavailableError(`Kafka could not store events in ${queue.topic} yet: ${detail}; the batch is retried.`);
      return outcome;
    });
  }

  /** Partition per record (key hash, as Kafka's default partitioner), then per partition the records in batch order cut at maxBatchBytes. */
  private partitionQueues(messages: KafkaOutgoingMessage[], metadata: ClusterMetadata): PartitionQueue[] {
    const queues = new Map<string, PartitionQueue & { bytes: number }>();
    for (const m of messages) {
      const topic = metadata.topics.get(m.topic);
      if (!topic || topic.partitionsCount < 1) throw new SinkUnavailableError(`Kafka reported no partitions for topic ${m.topic}; the batch is retried.`);
      m.partition = partitionForKey(m.key, topic.partitionsCount);
      const key = `${m.topic}:${m.partition}`;
      let q = queues.get(key);
      if (!q) {
        q = { topic: m.topic, partition: m.partition, key, chunks: [[]], attempts: 0, uncertain: false, bytes: 0 };
        queues.set(key, q);
      }
      if (q.bytes > 0 && q.bytes + m.size > this.maxBatchBytes) {
        q.chunks.push([]);
        q.bytes = 0;
      }
      (q.chunks[q.chunks.length - 1] as KafkaOutgoingMessage[]).push(m);
      q.bytes += m.size;
    }
    return [...queues.values()];
  }

  /** Partition counts and leaders of the topics; a missing topic is created when createTopics allows, else a KafkaConfigError. */
  private async topicMetadata(topics: string[], createMissing: boolean, forceUpdate: boolean): Promise<ClusterMetadata> {
    try {
      return await withDeadline(this.kafka().metadata({ topics, autocreateTopics: this.settings.autoCreateTopics ?? false, forceUpdate }), this.clientDeadlineMs(), "no metadata answer");
    } catch (error) {
      const errors = metadataTopicErrors(error);
      const unknown = topics.filter((t) => errors.get(t) === "UNKNOWN_TOPIC_OR_PARTITION");
      const denied = topics.filter((t) => errors.get(t) === "TOPIC_AUTHORIZATION_FAILED");
      if (denied.length > 0) throw new KafkaConfigError(`Kafka denied access to topic(s) ${denied.join(", ")} (TOPIC_AUTHORIZATION_FAILED).`, configFix(29, denied[0] as string));
      if (unknown.length > 0 && createMissing && this.settings.createTopics) {
        await this.createTopics(unknown);
        return this.topicMetadata(topics, false, true);
      }
      if (unknown.length > 0) throw new KafkaConfigError(`Topic(s) ${unknown.join(", ")} do not exist on the Kafka cluster at ${this.brokersText}.`, unknownTopicFix(unknown));
      throw this.connectionError(error);
    }
  }

  /** Which topics exist (with their partition counts), which do not, which this principal may not see: one Metadata request. */
  private async topicPresence(topics: string[]): Promise<{ missing: string[]; denied: string[]; present: Array<[string, number]> }> {
    let answers: Array<{ name: string; error: string; partitions: number }>;
    try {
      const md = await withDeadline(this.kafka().metadata({ topics, forceUpdate: true }), this.clientDeadlineMs(), "no metadata answer");
      answers = topics.map((name) => ({ name, error: "NONE", partitions: md.topics.get(name)?.partitionsCount ?? 0 }));
    } catch (error) {
      answers = metadataTopicAnswers(error);
      if (answers.length === 0) throw this.connectionError(error);
    }
    const of = (name: string): { error: string; partitions: number } => answers.find((a) => a.name === name) ?? { error: "UNKNOWN_TOPIC_OR_PARTITION", partitions: 0 };
    return {
      missing: topics.filter((t) => of(t).error === "UNKNOWN_TOPIC_OR_PARTITION"),
      denied: topics.filter((t) => of(t).error === "TOPIC_AUTHORIZATION_FAILED"),
      present: topics.filter((t) => of(t).error === "NONE").map((t) => [t, of(t).partitions]),
    };
  }

  /** CreateTopics through the library's admin client; a topic someone else created meanwhile is fine. */
  private async createTopics(topics: string[]): Promise<void> {
    const spec = this.settings.createTopics;
    if (!spec) return;
    try {
      await withDeadline(
        this.kafka().createTopics({ topics, partitions: spec.partitions, replicas: spec.replicationFactor, configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })) }),
        this.clientDeadlineMs(),
        "no CreateTopics answer",
      );
      this.context.logger.info({ sink: this.id, topics, partitions: spec.partitions, replicationFactor: spec.replicationFactor }, "created Kafka topics");
    } catch (error) {
      const answers = flattenErrors(error).flatMap((e) => {
        const list = (e as { response?: { topics?: unknown } }).response?.topics;
        return Array.isArray(list) ? (list as Array<{ name: string; errorCode: number; errorMessage: string | null }>) : [];
      });
      if (answers.length === 0) throw this.connectionError(error);
      const first = answers.find((t) => t.errorCode !== 0 && kafkaErrorName(t.errorCode) !== "TOPIC_ALREADY_EXISTS");
      if (!first) return;
      const name = kafkaErrorName(first.errorCode);
      const fix =
        name === "INVALID_REPLICATION_FACTOR"
          ? "Lower createTopics.replicationFactor to at most the number of brokers."
          : name === "TOPIC_AUTHORIZATION_FAILED" || name === "CLUSTER_AUTHORIZATION_FAILED"
            ? "Grant this client's principal CREATE on the cluster or the topics, or create the topics yourself and remove createTopics."
            : name === "POLICY_VIOLATION" || name === "INVALID_CONFIG"
              ? "Adjust createTopics.configs to what the cluster's policy accepts."
              : "Check createTopics (partitions, replicationFactor, configs).";
      throw new KafkaConfigError(`Kafka refused to create topic ${first.name}: ${name}${first.errorMessage ? ` (${first.errorMessage})` : ""}.`, fix, { cause: error });
    }
  }

  /** A new producer id: a fresh idempotent session whose sequence numbers start at 0 on every partition. */
  private async newSession(): Promise<ProducerSession> {
    try {
      const { producerId, producerEpoch } = await withDeadline(initProducerId(this.kafka(), this.requestMs), this.clientDeadlineMs(), "no InitProducerId answer");
      return { producerId, producerEpoch, sequences: new Map(), failed: false };
    } catch (error) {
      const refused = flattenErrors(error).some((e) => (e as { apiId?: unknown }).apiId === "CLUSTER_AUTHORIZATION_FAILED");
      if (refused) throw new KafkaConfigError("Kafka refused to give this client a producer id (CLUSTER_AUTHORIZATION_FAILED).", configFix(31, ""), { cause: error });
      throw this.connectionError(error);
    }
  }

  private async produceVersion(): Promise<number> {
    if (this.version === undefined) {
      try {
        this.version = await produceVersion(this.kafka());
      } catch (error) {
        throw error instanceof Error && /Kafka 2\.4/.test(error.message) ? new KafkaConfigError(`The brokers at ${this.brokersText} are too old: ${error.message}.`, "Upgrade Kafka to 2.4 or later (3.5+ is tested).") : this.connectionError(error);
      }
    }
    return this.version;
  }

  private kafka(): Admin {
    this.client ??= new Admin(this.clientOptions(this.brokerList, PARTITION_RETRIES));
    return this.client;
  }

  /** The client's worst case for one metadata or admin call: every attempt waits a full timeout. */
  private clientDeadlineMs(): number {
    return (PARTITION_RETRIES + 1) * (this.requestMs + RETRY_DELAY_MS) + this.connectMs;
  }

  private connectionError(error: unknown): Error {
    if (error instanceof KafkaDeadlineError) {
      // Kafka answers a connection's requests in order: one stuck request blocks every later one on it.
      const stuck = this.client;
      this.client = undefined;
      this.version = undefined;
      void closeQuietly(stuck);
    }
    if (error instanceof SinkUnavailableError) return error;
    const d = diagnoseConnection(error, this.brokersText);
    return d.config ? new KafkaConfigError(d.message, d.fix, { cause: error }) : new SinkUnavailableError(`${d.message} ${d.fix}`, { cause: error });
  }

  private clientOptions(brokers: Array<{ host: string; port: number }>, retries: number): BaseOptions {
    return {
      clientId: this.settings.clientId ?? KAFKA_DEFAULTS.clientId,
      bootstrapBrokers: brokers,
      connectTimeout: this.connectMs,
      timeout: this.requestMs,
      retries,
      retryDelay: RETRY_DELAY_MS,
      metadataMaxAge: 30_000,
      autocreateTopics: this.settings.autoCreateTopics ?? false,
      ...(this.tls ? { tls: this.tls } : {}),
      ...(this.sasl ? { sasl: this.sasl } : {}),
    };
  }
}

/** Counts concurrent producer sessions: at most maxInFlight, as many as the dispatcher writes at once. */
class Semaphore {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** Why an event was refused, for the dead-letter table: Kafka's error name first, then what to do. */
function rejectionReason(name: string, message: KafkaOutgoingMessage, topic: string, brokerWords: string | null): string {
  const said = brokerWords && brokerWords !== name ? ` (${brokerWords})` : "";
  if (name === "MESSAGE_TOO_LARGE" || name === "RECORD_LIST_TOO_LARGE") {
    return `${name}: Kafka refused this ${message.size}-byte event for topic ${topic}${said}; it is larger than the topic's max.message.bytes (or the broker's message.max.bytes). Raise that limit or enable compression, then replay the dead letter.`;
  }
  return `${name}: Kafka refused this event for topic ${topic}${said}; the broker's validation rejects it. Replay it once the topic accepts it.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A call to the brokers that got no answer in time: its connection may be stuck, so the client is replaced. */
class KafkaDeadlineError extends SinkUnavailableError {}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaDeadlineError(`${what} (after ${ms} ms); the broker may be overloaded or unreachable.`)), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function closeQuietly(client: Admin | undefined): Promise<void> {
  if (!client) return;
  await withDeadline(client.close(), 5_000, "close").catch(() => undefined);
}
