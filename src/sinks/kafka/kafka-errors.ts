import { protocolErrorsCodesById } from "@platformatic/kafka";
import { SinkUnavailableError } from "../sink.js";

/** How long the dispatcher waits before trying again after a setup problem: nobody creates a topic in a second. */
export const CONFIG_RETRY_AFTER_MS = 30_000;

/**
 * Kafka is not set up for this sink (missing topic, missing ACL, wrong credentials or TLS): not the
 * events' fault, so nothing is dead-lettered; the batch stays in the outbox and is retried slowly until
 * someone applies the fix the message names.
 */
export class KafkaConfigError extends SinkUnavailableError {
  /** Retrying alone does not help: a person must apply the fix. */
  readonly configProblem = true;

  constructor(
    message: string,
    /** What to change, for `wizbridge sink test`. */
    readonly fix: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${message} ${fix}`, { retryAfterMs: CONFIG_RETRY_AFTER_MS, ...options });
  }
}

/** Kafka's name for an error code (MESSAGE_TOO_LARGE...). */
export function kafkaErrorName(code: number): string {
  return (protocolErrorsCodesById as Record<string, string | undefined>)[String(code)] ?? `error code ${code}`;
}

/**
 * What one partition's answer to a produce means for its records:
 * ok | duplicate (the broker held them already: a retry; success) | split (batch too large: send it in
 * halves) | reject (these records can never be stored: dead-letter) | config (ACL or topic setup: keep
 * them, retry slowly) | stale (the metadata is out of date: refresh, then retry; nothing was stored) |
 * retry (transient, nothing was stored) | uncertain (transient, but the leader may have stored them) |
 * sequence (the broker lost or rejects this producer's sequence state: start a new producer session).
 */
export type PartitionVerdict = "ok" | "duplicate" | "split" | "reject" | "config" | "stale" | "retry" | "uncertain" | "sequence";

export function partitionVerdict(code: number, records: number): PartitionVerdict {
  switch (kafkaErrorName(code)) {
    case "NONE":
      return "ok";
    case "DUPLICATE_SEQUENCE_NUMBER":
      return "duplicate";
    case "MESSAGE_TOO_LARGE":
    case "RECORD_LIST_TOO_LARGE":
      return records > 1 ? "split" : "reject";
    case "INVALID_RECORD":
      return "reject";
    case "TOPIC_AUTHORIZATION_FAILED":
    case "CLUSTER_AUTHORIZATION_FAILED":
    case "TRANSACTIONAL_ID_AUTHORIZATION_FAILED":
    case "UNSUPPORTED_COMPRESSION_TYPE":
    case "UNSUPPORTED_FOR_MESSAGE_FORMAT":
    case "INVALID_REQUIRED_ACKS":
    case "POLICY_VIOLATION":
    case "INVALID_TOPIC_EXCEPTION":
      return "config";
    case "NOT_LEADER_OR_FOLLOWER":
    case "LEADER_NOT_AVAILABLE":
    case "UNKNOWN_TOPIC_OR_PARTITION":
    case "FENCED_LEADER_EPOCH":
    case "UNKNOWN_LEADER_EPOCH":
      return "stale";
    case "NOT_ENOUGH_REPLICAS":
    case "CORRUPT_MESSAGE":
    case "THROTTLING_QUOTA_EXCEEDED":
    case "INVALID_TIMESTAMP":
      return "retry";
    case "OUT_OF_ORDER_SEQUENCE_NUMBER":
    case "UNKNOWN_PRODUCER_ID":
    case "INVALID_PRODUCER_EPOCH":
    case "PRODUCER_FENCED":
    case "INVALID_PRODUCER_ID_MAPPING":
      return "sequence";
    default:
      // REQUEST_TIMED_OUT and NOT_ENOUGH_REPLICAS_AFTER_APPEND come after the leader appended; anything
      // unknown is treated the same way (safe: a retry with the same sequence numbers is dropped if stored).
      return "uncertain";
  }
}

/** The fix for a partition error that is a setup problem. */
export function configFix(code: number, topic: string): string {
  switch (kafkaErrorName(code)) {
    case "TOPIC_AUTHORIZATION_FAILED":
      return `This is a permission problem, not bad events: they stay in the outbox. Grant this client's principal WRITE and DESCRIBE on topic ${topic} (kafka-acls.sh --add --allow-principal User:<name> --operation Write --operation Describe --topic ${topic}).`;
    case "CLUSTER_AUTHORIZATION_FAILED":
    case "TRANSACTIONAL_ID_AUTHORIZATION_FAILED":
      return "This is a permission problem, not bad events: they stay in the outbox. The idempotent producer needs IDEMPOTENT_WRITE on the cluster (Kafka before 3.0) or WRITE on the topics: grant it to this client's principal.";
    case "UNKNOWN_TOPIC_OR_PARTITION":
      return unknownTopicFix([topic]);
    case "UNSUPPORTED_COMPRESSION_TYPE":
      return `The broker or topic ${topic} refuses this compression (compression.type); set compression to one the topic accepts, or none.`;
    case "POLICY_VIOLATION":
      return `A broker policy refused the write to ${topic}; ask the Kafka administrators which policy applies.`;
    default:
      return `Check topic ${topic} and this client's permissions on it.`;
  }
}

export function unknownTopicFix(topics: readonly string[]): string {
  return `Create ${topics.length === 1 ? "it" : "them"} (kafka-topics.sh --create --topic ${topics[0] ?? "<name>"} --partitions <n> --replication-factor 3), set createTopics: {partitions, replicationFactor} in this sink so wizbridge creates ${topics.length === 1 ? "it" : "them"} (wizbridge sink setup), or set autoCreateTopics: true if the brokers allow auto-creation.`;
}

/** Every error in a library error tree (MultipleErrors hold `errors`, wrapped errors a `cause`), depth first. */
export function flattenErrors(error: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (e === undefined || e === null || depth > 8) return;
    out.push(e);
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested)) for (const n of nested) visit(n, depth + 1);
    visit((e as { cause?: unknown }).cause, depth + 1);
  };
  visit(error, 0);
  return out;
}

/** Every topic of the (last) Metadata answer inside a failed call: name, Kafka error name (NONE when fine), partition count. */
export function metadataTopicAnswers(error: unknown): Array<{ name: string; error: string; partitions: number }> {
  let found: Array<{ name: string; error: string; partitions: number }> = [];
  for (const e of flattenErrors(error)) {
    const topics = (e as { response?: { topics?: unknown } }).response?.topics;
    if (!Array.isArray(topics)) continue;
    found = (topics as Array<{ name?: string | null; errorCode?: number; partitions?: unknown[] }>).flatMap((t) => (t.name ? [{ name: t.name, error: kafkaErrorName(t.errorCode ?? 0), partitions: t.partitions?.length ?? 0 }] : []));
  }
  return found;
}

/** Topic-level errors of a failed Metadata call: name -> Kafka error name. */
export function metadataTopicErrors(error: unknown): Map<string, string> {
  return new Map(metadataTopicAnswers(error).flatMap((t) => (t.error === "NONE" ? [] : [[t.name, t.error] as const])));
}

/** What went wrong reaching a broker, in words, and what to change; `config` when retrying alone will not help. */
export interface ConnectionDiagnosis {
  message: string;
  fix: string;
  config: boolean;
}

/**
 * Reads a connection-level failure (refused, unresolvable, TLS, SASL, timeout) out of a library error.
 * Never includes credentials: only codes and the broker's own words.
 */
export function diagnoseConnection(error: unknown, brokers: string): ConnectionDiagnosis {
  const all = flattenErrors(error);
  const codes = all.map((e) => String((e as { code?: unknown }).code ?? ""));
  const messages = all.map((e) => (e instanceof Error ? e.message : String(e)));
  const has = (pattern: RegExp): boolean => codes.some((c) => pattern.test(c)) || messages.some((m) => pattern.test(m));
  const brokerWords = all.map((e) => (e as { response?: { errorMessage?: unknown } }).response?.errorMessage).find((m): m is string => typeof m === "string" && m.length > 0);
  const offered = all.map((e) => (e as { response?: { mechanisms?: unknown } }).response?.mechanisms).find((m): m is string[] => Array.isArray(m));
  if (has(/Cannot find a suitable SASL mechanism|UNSUPPORTED_SASL_MECHANISM/)) {
    return { message: `The brokers at ${brokers} do not enable this SASL mechanism${offered ? ` (they offer ${offered.join(", ") || "none"})` : ""}.`, fix: "Set sasl.mechanism to one the listener enables, or use the listener configured for it.", config: true };
  }
  if (has(/SASL authentication failed|SASL_AUTHENTICATION_FAILED|PLT_KFK_AUTHENTICATION/)) {
    return { message: `The brokers at ${brokers} refused the SASL credentials${brokerWords ? ` (${brokerWords})` : ""}.`, fix: "Check sasl.username, sasl.password and sasl.mechanism (SCRAM users are per mechanism: kafka-configs.sh --describe --entity-type users).", config: true };
  }
  if (has(/CERT|certificate|self[- ]signed|ERR_TLS|UNABLE_TO_VERIFY|altnames/i)) {
    return { message: `TLS to ${brokers} failed: the broker's certificate was not accepted (${messages.find((m) => /cert|self|altname|verify/i.test(m)) ?? "certificate"}).`, fix: "Set tls.caFile to the CA that signed the brokers' certificates, and tls.serverName if the certificate names another host.", config: true };
  }
  if (has(/EPROTO|wrong version number|before secure TLS connection/i)) {
    return { message: `TLS to ${brokers} failed: the listener does not speak TLS (or speaks it where tls is not set).`, fix: "Use the broker's TLS listener port with tls, or remove tls for a plaintext listener.", config: true };
  }
  if (has(/ECONNREFUSED/)) return { message: `Nothing accepts connections at ${brokers} (connection refused).`, fix: "Check brokers: is Kafka running and listening on that host and port?", config: false };
  if (has(/ENOTFOUND|EAI_AGAIN/)) return { message: `The broker host in ${brokers} does not resolve (DNS).`, fix: "Check the host names in brokers.", config: true };
  if (has(/timed out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/i)) {
    return { message: `Connecting to ${brokers} timed out.`, fix: "Check that a firewall lets this host reach the brokers, that the port is the right listener, and that advertised.listeners names addresses reachable from here.", config: false };
  }
  if (has(/Connection closed|ECONNRESET|EPIPE/)) {
    return { message: `The brokers at ${brokers} closed the connection.`, fix: "If the listener needs TLS or SASL, set tls and sasl to match it; otherwise the broker may be restarting.", config: false };
  }
  return { message: `Kafka at ${brokers} failed: ${messages[messages.length - 1] ?? String(error)}.`, fix: "Check brokers, tls and sasl against the broker's listener configuration.", config: false };
}
