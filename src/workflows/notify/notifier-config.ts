import { z } from "zod";
import { isLoopbackHost } from "../../sinks/webhook/webhook-url.js";

/** A receiver URL: https, or http only to this machine (a local relay, a test), so a secret URL never crosses a network in clear. */
const receiverUrl = z.url({ error: "must be an absolute http(s) URL" }).refine(
  (url) => {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname));
  },
  { error: "must use https (plain http only to localhost / 127.0.0.1)" },
);

const timeoutSeconds = z.number().positive().max(300).default(15);
const secret = z.string().min(8, "must be at least 8 characters; use ${ENV} to keep it out of the file");

/** `workflows.notifiers.<name>`: where workflow digests go. */
export const notifierConfigSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("slack"), url: receiverUrl, timeoutSeconds }),
  z.strictObject({ type: z.literal("teams"), url: receiverUrl, timeoutSeconds }),
  z.strictObject({
    type: z.literal("webhook"),
    url: receiverUrl,
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name"), z.string()).optional(),
    secret: secret.optional(),
    timeoutSeconds,
  }),
  z
    .strictObject({
      type: z.literal("smtp"),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      security: z.enum(["starttls", "tls", "none"]).default("starttls"),
      auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
      from: z.string().min(3, "must be the sender address, e.g. \"wizbridge <wizbridge@example.com>\""),
      to: z.array(z.email({ error: "must be an e-mail address" })).default([]),
      caFile: z.string().min(1).optional(),
      timeoutSeconds,
    })
    // Login over a plain connection would send the password in clear.
    .refine((s) => s.security !== "none" || !s.auth || isLoopbackHost(s.host), {
      error: "security: none with auth would send the password in clear; use starttls (port 587) or tls (port 465)",
      path: ["security"],
    }),
]);

export type NotifierConfig = z.output<typeof notifierConfigSchema>;
export const NOTIFIER_TYPES = ["slack", "teams", "webhook", "smtp"] as const;
