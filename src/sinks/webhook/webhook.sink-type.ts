import { z } from "zod";
import { hasNoUrlCredentials, httpTimeoutsSchema, isHttpUrl, sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { DEFAULT_SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./webhook-signature.js";
import { WebhookSink } from "./webhook.sink.js";
import { webhookOrigin } from "./webhook-url.js";

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const headerName = z.string().regex(HEADER_NAME, "must be an HTTP header name (letters, digits and -, no spaces or colons)");
const secret = z.string().min(8, "must be at least 8 characters (a secret that short is guessable); use ${ENV} to keep it out of the file");

/** Headers the sink sets itself: a custom header of the same name would corrupt the request or its signature. */
const RESERVED_HEADERS = ["host", "content-type", "content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "upgrade", "expect", TIMESTAMP_HEADER.toLowerCase()];


export const webhookSinkSchema = z
  .strictObject({
    type: z.literal("webhook"),
    url: z
      .string()
      .min(1, "set the receiver's URL, e.g. https://siem.example.com/wiz-events")
      .refine(isHttpUrl, "must be an http:// or https:// URL")
      .refine(hasNoUrlCredentials, "must not hold user:password@; use auth: {type: basic, username, password}")
      .refine((u) => !URL.canParse(u) || new URL(u).hash === "", "must not have a #fragment (it is never sent)"),
    /** json-array (default): one JSON array per batch; ndjson: one event per line. */
    format: z.enum(["json-array", "ndjson"], "must be json-array or ndjson").optional(),
    /** Extra request headers (values may be secrets: never logged). */
    // Names are checked in superRefine: zod reports a bad record key only as "Invalid key in record".
    headers: z.record(z.string(), z.string().regex(/^[^\r\n\0]*$/, "must be one line (no CR, LF or NUL)")).optional(),
    gzip: z.boolean().optional(),
    signing: z
      .strictObject({
        secret,
        header: headerName.optional(),
      })
      .optional(),
    auth: z
      .discriminatedUnion(
        "type",
        [
          z.strictObject({ type: z.literal("bearer"), token: secret }),
          z.strictObject({ type: z.literal("basic"), username: z.string().min(1, "set the user name").regex(/^[^:\r\n]*$/, "must not contain ':' or line breaks"), password: secret }),
        ],
        "must be {type: bearer, token} or {type: basic, username, password}",
      )
      .optional(),
    /** Milliseconds: one number for all three, or each on its own. */
    timeoutMs: httpTimeoutsSchema.optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    const signatureHeader = (s.signing?.header ?? DEFAULT_SIGNATURE_HEADER).toLowerCase();
    const reserved = new Set([...RESERVED_HEADERS, ...(s.signing ? [signatureHeader] : []), ...(s.auth ? ["authorization"] : [])]);
    for (const name of Object.keys(s.headers ?? {})) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: ["headers", name], message: "must be an HTTP header name (letters, digits and -, no spaces or colons)" });
      } else if (reserved.has(name.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: ["headers", name], message: `is set by the sink itself (${name.toLowerCase() === "authorization" ? "from auth" : "from format, gzip or signing"}); remove it from headers` });
      }
    }
    if (s.tls && URL.canParse(s.url) && new URL(s.url).protocol === "http:") {
      ctx.addIssue({ code: "custom", path: ["tls"], message: "only applies to https:// URLs; use https:// in url, or remove tls" });
    }
    if (s.signing && s.signing.header !== undefined && s.signing.header.toLowerCase() === TIMESTAMP_HEADER.toLowerCase()) {
      ctx.addIssue({ code: "custom", path: ["signing", "header"], message: `must differ from ${TIMESTAMP_HEADER}, which the sink sends too` });
    }
  });

export type WebhookSinkSettings = z.output<typeof webhookSinkSchema>;

export const webhookSinkType = defineSinkType<WebhookSinkSettings>({
  type: "webhook",
  schema: webhookSinkSchema,
  create: (id, settings, context) => new WebhookSink(id, settings, context),
  // Only scheme://host:port: many webhook URLs carry a token in their path or query.
  describe: (id, s) => {
    const traits = [s.format ?? "json-array", ...(s.gzip ? ["gzip"] : []), ...(s.signing ? ["signed"] : []), ...(s.auth ? [`${s.auth.type} auth`] : [])];
    return `${id}: webhook POST to ${webhookOrigin(s.url)} (${traits.join(", ")})`;
  },
});
