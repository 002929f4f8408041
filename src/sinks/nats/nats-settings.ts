import { z } from "zod";
import { sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { DEFAULT_SUBJECT_TEMPLATE, SUBJECT_TEMPLATE_MESSAGE, SUBJECT_TEMPLATE_RULE } from "./nats-subject.js";

/** host:port, nats://host:port or tls://host:port; credentials never in the URL (they would show in logs). */
const serverUrl = z
  .string()
  .regex(/^(?:(?:nats|tls):\/\/)?[^\s/@]+(?::\d+)?\/?$/, "must be host:port, nats://host:port or tls://host:port, without credentials (use token, user/password, credsFile or nkeySeedFile)");

export const natsSinkSchema = z
  .strictObject({
    type: z.literal("nats"),
    /** One server or several of the same cluster; the client picks one and fails over. */
    servers: z.union([serverUrl, z.array(serverUrl).min(1, "must list at least one server")]),
    /** Subject of each event. */
    subject: z.string().regex(SUBJECT_TEMPLATE_RULE, SUBJECT_TEMPLATE_MESSAGE).optional(),
    /** The JetStream stream expected to capture the subjects (checked on every publish). */
    stream: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "must be a JetStream stream name: letters, digits, '_' or '-'")
      .optional(),
    /** Create the stream (or add the subject to it) when the sink starts, as `wizbridge sink setup` does. */
    createStream: z.boolean().optional(),
    /** JetStream drops a message whose Nats-Msg-Id it stored within this window: a retried batch is stored once. */
    duplicateWindowSeconds: z.number().int().min(1, "must be at least 1 second").max(7 * 24 * 3600, "must be at most a week").optional(),
    token: z.string().min(1, "must not be empty").optional(),
    user: z.string().min(1, "must not be empty").optional(),
    password: z.string().optional(),
    /** A .creds file (user JWT and nkey seed) from nsc or a NATS operator. */
    credsFile: z.string().min(1).optional(),
    /** A file holding an nkey seed (SU...). */
    nkeySeedFile: z.string().min(1).optional(),
    /** Prefix of the reply subjects PubAcks arrive on, for accounts whose permissions allow only some inboxes. */
    inboxPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/, "must be dot-separated tokens of letters, digits, '_' or '-'")
      .optional(),
    /** How long connecting (TCP, TLS and the handshake) may take. */
    connectTimeoutMs: z.number().int().min(100).max(300_000).optional(),
    /** How long a batch may wait for its last PubAck before it is retried. */
    ackTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    const methods = [s.token !== undefined && "token", s.user !== undefined && "user/password", s.credsFile !== undefined && "credsFile", s.nkeySeedFile !== undefined && "nkeySeedFile"].filter(Boolean);
    if (methods.length > 1) ctx.addIssue({ code: "custom", path: [], message: `sets ${methods.join(" and ")}; pick one way to authenticate.` });
    if (s.password !== undefined && s.user === undefined) ctx.addIssue({ code: "custom", path: ["password"], message: "needs user: set user too, or remove password." });
  });

export type NatsSinkSettings = z.output<typeof natsSinkSchema>;

export const NATS_DEFAULTS = Object.freeze({
  subject: DEFAULT_SUBJECT_TEMPLATE,
  stream: "WIZBRIDGE",
  duplicateWindowSeconds: 120,
  connectTimeoutMs: 10_000,
  ackTimeoutMs: 30_000,
});

export function natsServers(settings: NatsSinkSettings): string[] {
  return Array.isArray(settings.servers) ? settings.servers : [settings.servers];
}

