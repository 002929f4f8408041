import { z } from "zod";
import type { Sink } from "./sink.js";
import type { SinkContext } from "./sink-context.js";
import type { SinkType } from "./sink-type.js";
import { jsonlSinkType } from "./jsonl/jsonl.sink-type.js";
import { stdoutSinkType } from "./stdout/stdout.sink-type.js";
import { webhookSinkType } from "./webhook/webhook.sink-type.js";
import { splunkHecSinkType } from "./splunk-hec/splunk-hec.sink-type.js";
import { elasticsearchSinkType, opensearchSinkType } from "./elasticsearch/elasticsearch.sink-type.js";
import { kafkaSinkType } from "./kafka/kafka.sink-type.js";
import { natsSinkType } from "./nats/nats.sink-type.js";
import { rabbitmqSinkType } from "./rabbitmq/rabbitmq.sink-type.js";
import { syslogSinkType } from "./syslog/syslog.sink-type.js";
import { postgresSinkType } from "./postgres/postgres.sink-type.js";

/** Every sink type: a new sink adds its import above and one entry here (its folder holds the rest). */
const SINK_TYPE_LIST = [jsonlSinkType, stdoutSinkType, webhookSinkType, splunkHecSinkType, elasticsearchSinkType, opensearchSinkType, kafkaSinkType, natsSinkType, rabbitmqSinkType, syslogSinkType, postgresSinkType] as const;

/** A sink's settings as configured: one variant per type. */
export type SinkConfig = z.output<(typeof SINK_TYPE_LIST)[number]["schema"]>;

type AnySinkType = SinkType<SinkConfig>;
const byType = new Map<string, AnySinkType>(SINK_TYPE_LIST.map((t) => [t.type, t as unknown as AnySinkType]));

export const SINK_TYPE_NAMES: readonly string[] = SINK_TYPE_LIST.map((t) => t.type);

/** The config file's sink entry: the variant is picked by `type`; an unknown key is an error naming it. */
export const sinkConfigSchema = z.discriminatedUnion(
  "type",
  SINK_TYPE_LIST.map((t) => t.schema) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...Array<z.ZodObject<{ type: z.ZodLiteral<string> }>>],
) as unknown as z.ZodType<SinkConfig, unknown>;

function typeOf(settings: SinkConfig): AnySinkType {
  const type = byType.get(settings.type);
  if (!type) throw new Error(`unknown sink type ${settings.type}; use one of: ${SINK_TYPE_NAMES.join(", ")}.`);
  return type;
}

export function createSink(id: string, settings: SinkConfig, context: SinkContext): Sink {
  return typeOf(settings).create(id, settings, context);
}

/** Where a sink writes, for the start-up banner and status (no secrets). */
export function describeSink(id: string, settings: SinkConfig): string {
  return typeOf(settings).describe(id, settings);
}

/** Relative paths (a directory, TLS files) made absolute against the config file's directory. */
export function resolveSinkPaths(settings: SinkConfig, at: (path: string) => string): SinkConfig {
  const resolved = typeOf(settings).resolvePaths?.(settings, at) ?? settings;
  const tls = (resolved as { tls?: Record<string, unknown> }).tls;
  if (!tls) return resolved;
  const files = Object.fromEntries(["caFile", "certFile", "keyFile"].flatMap((k) => (typeof tls[k] === "string" ? [[k, at(tls[k])]] : [])));
  return { ...resolved, tls: { ...tls, ...files } } as unknown as SinkConfig;
}

export function exclusiveSinkResource(settings: SinkConfig): string | undefined {
  return typeOf(settings).exclusiveResource?.(settings);
}
