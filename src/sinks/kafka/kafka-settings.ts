import zlib from "node:zlib";
import { z } from "zod";
import { STREAM_NAMES } from "../../model/stream-name.js";
import { sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";

/** Kafka's own limit on topic names (Topic.java): letters, digits, '.', '_' and '-', at most 249. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const HEADER_NAME = /^[\x21-\x7e]{1,128}$/;

/** Headers the sink sets on every record itself; a custom header of the same name would contradict them. */
export const STANDARD_HEADERS = ["wiz-stream", "wiz-event-kind", "wiz-connector", "content-type"] as const;

/**
 * Compression codecs this build can use: @platformatic/kafka needs native add-ons for snappy and lz4
 * (not installed), and zstd needs a Node.js whose zlib has it (22.15+).
 */
export function availableCompressions(): Array<"none" | "gzip" | "zstd"> {
  return ["none", "gzip", ...(typeof (zlib as unknown as { zstdCompressSync?: unknown }).zstdCompressSync === "function" ? (["zstd"] as const) : [])];
}

const timeoutMs = z.number().int().min(100, "must be at least 100 (milliseconds)").max(600_000, "must be at most 600000 (10 minutes)");
const secret = z.string().min(1, "set the password; use ${ENV} to keep it out of the file");

export const kafkaSinkSchema = z
  .strictObject({
    type: z.literal("kafka"),
    /** Bootstrap brokers: the client learns the rest of the cluster from them. */
    brokers: z
      .array(
        z
          .string()
          .regex(BROKER, "must be host:port, e.g. kafka-1.example.com:9092 ([v6-address]:port for IPv6)")
          .refine((b) => Number(BROKER.exec(b)?.[2]) >= 1 && Number(BROKER.exec(b)?.[2]) <= 65_535, "must have a port between 1 and 65535"),
        "must be a list of host:port strings",
      )
      .min(1, "list at least one bootstrap broker, e.g. [kafka-1.example.com:9092]"),
    /** Client id the brokers log and apply quotas to. */
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, "must be letters, digits, '.', '_' or '-' (at most 249)")
      .optional(),
    /** Topic name, or a template with {stream} for one topic per stream (default wiz.{stream}). */
    topic: z
      .string()
      .min(1, "set a topic name, or a template such as wiz.{stream}")
      .refine((t) => !/\{(?!stream\})[^}]*\}/.test(t), "may only use the {stream} placeholder")
      .refine((t) => STREAM_NAMES.every((s) => TOPIC_NAME.test(t.replaceAll("{stream}", s))), "must give Kafka topic names: letters, digits, '.', '_' or '-', at most 249 characters")
      .optional(),
    /**
     * none (default), gzip, or zstd where Node.js supports it. snappy and lz4 need native add-ons this build
     * does not ship.
     */
    compression: z.enum(["none", "gzip", "zstd"], "must be none, gzip or zstd (snappy and lz4 need native add-ons wizbridge does not ship)").optional(),
    sasl: z
      .strictObject({
        mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"], "must be plain, scram-sha-256 or scram-sha-512"),
        username: z.string().min(1, "set the SASL user name"),
        password: secret,
      })
      .optional(),
    tls: sinkTlsSchema.optional(),
    /** Extra headers on every record (name -> value), besides wiz-stream, wiz-event-kind, wiz-connector and content-type. */
    headers: z.record(z.string().regex(HEADER_NAME, "must be 1-128 printable ASCII characters without spaces"), z.string().max(4096, "must be at most 4096 characters")).optional(),
    /**
     * Largest record batch sent to one partition, in bytes of payload: keep it at or below the topic's
     * max.message.bytes (Kafka's default is 1048588). A larger batch is split; one event larger than
     * this still goes alone.
     */
    maxBatchBytes: z.number().int().min(1024, "must be at least 1024 (bytes)").max(64 * 1024 * 1024, "must be at most 67108864 (64 MiB)").optional(),
    /** Ask the broker to create unknown topics itself (needs auto.create.topics.enable=true on the brokers). */
    autoCreateTopics: z.boolean().optional(),
    /** wizbridge creates the topics (`wizbridge sink setup`, or when a write finds one missing). */
    createTopics: z
      .strictObject({
        partitions: z.number().int().min(1, "must be at least 1").max(10_000, "must be at most 10000"),
        replicationFactor: z.number().int().min(1, "must be at least 1 (3 in production)").max(32, "must be at most 32"),
        /** Topic configs, e.g. {cleanup.policy: compact, retention.ms: "604800000"}. */
        configs: z.record(z.string().min(1), z.string()).optional(),
      })
      .optional(),
    timeouts: z
      .strictObject({
        /** Connecting (TCP, TLS and SASL) to one broker. */
        connectMs: timeoutMs.optional(),
        /** How long a broker may take to acknowledge a produce with acks=all (its timeout_ms); the client gives up after its retries on top. */
        requestMs: timeoutMs.optional(),
      })
      .optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    for (const name of Object.keys(s.headers ?? {})) {
      if ((STANDARD_HEADERS as readonly string[]).includes(name.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: ["headers", name], message: "is set by the sink itself on every record; remove it from headers" });
      }
    }
    if (s.autoCreateTopics && s.createTopics) {
      ctx.addIssue({ code: "custom", path: ["autoCreateTopics"], message: "conflicts with createTopics: either wizbridge creates the topics with your settings, or the broker does with its defaults; keep one" });
    }
  });

export type KafkaSinkSettings = z.output<typeof kafkaSinkSchema>;

export const KAFKA_DEFAULTS = Object.freeze({
  clientId: "wizbridge",
  topic: "wiz.{stream}",
  compression: "none" as const,
  maxBatchBytes: 1_000_000,
  connectMs: 10_000,
  requestMs: 30_000,
});

/** The topic a stream's events go to. */
export function kafkaTopicFor(template: string, stream: string): string {
  return template.replaceAll("{stream}", stream);
}

/** Every topic the sink may write: one per stream with {stream}, else the single fixed topic. */
export function kafkaTopics(template: string): string[] {
  return template.includes("{stream}") ? STREAM_NAMES.map((s) => kafkaTopicFor(template, s)) : [template];
}

/** host:port strings as the client takes them (IPv6 without brackets). */
export function kafkaBrokers(brokers: readonly string[]): Array<{ host: string; port: number }> {
  return brokers.map((b) => {
    const m = BROKER.exec(b);
    const host = m?.[1] ?? b;
    return { host: host.startsWith("[") ? host.slice(1, -1) : host, port: Number(m?.[2] ?? 9092) };
  });
}
