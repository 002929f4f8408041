import { z } from "zod";
import { sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { DEFAULT_ROUTING_KEY_TEMPLATE, ROUTING_KEY_TEMPLATE_MESSAGE, ROUTING_KEY_TEMPLATE_RULE } from "./routing-key.js";

const exchangeName = z
  .string()
  .min(1, "must name an exchange (the default exchange routes by queue name, which a template cannot target)")
  .max(255, "must be at most 255 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "must be letters, digits, '_', '.', ':' or '-'");

const exchangeSchema = z.strictObject({
  name: exchangeName,
  /** Exchange type; topic routes on the dot-separated routing key (wiz.<connector>.<stream>). */
  type: z.enum(["topic", "direct", "fanout", "headers"], "must be topic, direct, fanout or headers").optional(),
  /** Assert the exchange (durable) on connect and in `wizbridge sink setup`; otherwise it must exist. */
  declare: z.boolean().optional(),
});

export const rabbitmqSinkSchema = z
  .strictObject({
    type: z.literal("rabbitmq"),
    /** amqp://user:password@host:5672/vhost or amqps://...; the password is a secret (use ${ENV} in the config). */
    url: z
      .string()
      .regex(/^amqps?:\/\/[^\s]+$/, "must be an amqp:// or amqps:// URL, e.g. amqp://user:password@host:5672/vhost")
      .refine((u) => URL.canParse(u), "must be a valid URL (percent-encode special characters in the user name and password)"),
    /** The exchange, by name or as { name, type, declare } (a bare name is read as { name }). */
    exchange: z.preprocess((value) => (typeof value === "string" ? { name: value } : value), exchangeSchema),
    routingKey: z.string().regex(ROUTING_KEY_TEMPLATE_RULE, ROUTING_KEY_TEMPLATE_MESSAGE).optional(),
    /** RabbitMQ returns an event no queue is bound for; the sink then fails the batch with the binding fix (false: RabbitMQ drops it). */
    mandatory: z.boolean().optional(),
    /** AMQP heartbeat: a dead connection is noticed within about twice this. 0 turns heartbeats off. */
    heartbeatSeconds: z.number().int().min(0).max(3600).optional(),
    /** How long connecting (TCP, TLS and the AMQP handshake) may take. */
    connectTimeoutMs: z.number().int().min(100).max(300_000).optional(),
    /** How long a batch may wait for its publisher confirms before it is retried. */
    confirmTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    if (s.tls !== undefined && s.url.startsWith("amqp://")) ctx.addIssue({ code: "custom", path: ["tls"], message: "needs an amqps:// url (TLS is chosen by the URL scheme): write amqps://host:5671/..." });
  });

export type RabbitmqSinkSettings = z.output<typeof rabbitmqSinkSchema>;

export const RABBITMQ_DEFAULTS = Object.freeze({
  exchangeType: "topic" as const,
  routingKey: DEFAULT_ROUTING_KEY_TEMPLATE,
  mandatory: true,
  heartbeatSeconds: 30,
  connectTimeoutMs: 10_000,
  confirmTimeoutMs: 30_000,
});

export interface ExchangeSettings {
  name: string;
  type: "topic" | "direct" | "fanout" | "headers";
  declare: boolean;
}

export function exchangeOf(settings: RabbitmqSinkSettings): ExchangeSettings {
  const e = settings.exchange;
  return { name: e.name, type: e.type ?? RABBITMQ_DEFAULTS.exchangeType, declare: e.declare ?? false };
}

/** The URL with its password replaced by `***`: for describe, logs and errors. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable amqp url)";
  }
}

/** The password inside the URL, decoded and as written, for scrubbing texts. */
export function urlSecrets(url: string): string[] {
  try {
    const raw = new URL(url).password;
    if (raw === "") return [];
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // keep the raw form only
    }
    return [...new Set([raw, decoded])];
  } catch {
    return [];
  }
}
