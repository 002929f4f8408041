import { z } from "zod";
import { STREAM_NAMES } from "../../model/stream-name.js";
import { hasNoUrlCredentials, httpTimeoutsSchema, isHttpUrl, sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { hecOrigin, SplunkHecSink } from "./splunk-hec.sink.js";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ONE_LINE = /^[^\r\n\0]*$/;

const indexName = z.string().regex(/^[a-z0-9_][a-z0-9_-]*$/, "must be a Splunk index name: lowercase letters, digits, _ and - (e.g. wiz)");
const sourcetype = z.string().min(1, "must not be empty; leave it out for the default wiz:<stream>").regex(ONE_LINE, "must be one line");
const source = z.string().min(1, "must not be empty; leave it out for the default wizbridge").regex(ONE_LINE, "must be one line");
const host = z.string().min(1, "must not be empty; leave it out to let Splunk fill in the sender's host").regex(ONE_LINE, "must be one line");

/** Per-stream metadata: each key overrides the sink-wide one for that stream only. */
const streamOverride = z.strictObject({ index: indexName.optional(), sourcetype: sourcetype.optional(), source: source.optional() });

export const splunkHecSinkSchema = z
  .strictObject({
    type: z.literal("splunk-hec"),
    /** HEC's base URL: https://splunk.example.com:8088 (no /services/collector). */
    url: z
      .string()
      .min(1, "set HEC's base URL, e.g. https://splunk.example.com:8088")
      .refine(isHttpUrl, "must be an http:// or https:// URL, e.g. https://splunk.example.com:8088")
      .refine(hasNoUrlCredentials, "must not hold user:password@; the HEC token goes in token")
      .refine((u) => !URL.canParse(u) || (new URL(u).search === "" && new URL(u).hash === ""), "must not have a ?query or #fragment")
      .refine((u) => !/\/services\/collector/i.test(u), "must be the base URL only (e.g. https://splunk.example.com:8088): the sink adds /services/collector/event itself"),
    /** The HEC token (a GUID): never logged. */
    token: z
      .string()
      .min(1, "set the HEC token (Settings > Data inputs > HTTP Event Collector); use ${ENV} to keep it out of the file")
      .regex(/^[^\s]+$/, "must be the bare token without spaces (no \"Splunk \" in front)"),
    /** Default: the token's default index. */
    index: indexName.optional(),
    /** Default: wiz:<stream>, e.g. wiz:issues. */
    sourcetype: sourcetype.optional(),
    /** Default: wizbridge. */
    source: source.optional(),
    /** Default: none (Splunk records the sender). */
    host: host.optional(),
    /** Per-stream index / sourcetype / source. */
    streams: z.strictObject(Object.fromEntries(STREAM_NAMES.map((name) => [name, streamOverride.optional()])) as Record<(typeof STREAM_NAMES)[number], z.ZodOptional<typeof streamOverride>>).optional(),
    /** gzip request bodies (default false). */
    gzip: z.boolean().optional(),
    /** Indexer acknowledgement: an event counts as delivered only once Splunk says it is indexed. */
    ack: z
      .strictObject({
        enabled: z.boolean().optional(),
        pollIntervalMs: z.number().int().min(10, "must be at least 10 (milliseconds)").max(60_000, "must be at most 60000 (one minute)").optional(),
        timeoutMs: z.number().int().min(1_000, "must be at least 1000 (milliseconds)").max(3_600_000, "must be at most 3600000 (one hour)").optional(),
      })
      .optional(),
    /** The data channel (a GUID); default: a random one per sink instance. */
    channel: z.string().regex(GUID, "must be a GUID, e.g. 0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba (or leave it out for a random one)").optional(),
    /** Bytes of one request body at most (uncompressed); keep it at or under Splunk's max_content_length. */
    maxContentLength: z.number().int().min(1024, "must be at least 1024 (bytes)").max(838_860_800, "must be at most 838860800 (Splunk's own ceiling)").optional(),
    /** Milliseconds: one number for connect, headers and body, or each on its own. */
    timeoutMs: httpTimeoutsSchema.optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    if (s.tls && URL.canParse(s.url) && new URL(s.url).protocol === "http:") {
      ctx.addIssue({ code: "custom", path: ["tls"], message: "only applies to https:// URLs; use https:// in url (HEC has SSL on by default), or remove tls" });
    }
    if (s.ack?.pollIntervalMs !== undefined && s.ack.timeoutMs !== undefined && s.ack.pollIntervalMs * 2 > s.ack.timeoutMs) {
      ctx.addIssue({ code: "custom", path: ["ack", "timeoutMs"], message: "must be at least twice ack.pollIntervalMs" });
    }
  });

export type SplunkHecSinkSettings = z.output<typeof splunkHecSinkSchema>;

export const splunkHecSinkType = defineSinkType<SplunkHecSinkSettings>({
  type: "splunk-hec",
  schema: splunkHecSinkSchema,
  create: (id, settings, context) => new SplunkHecSink(id, settings, context),
  describe: (id, s) => {
    const traits = [`index ${s.index ?? "(token default)"}`, s.ack?.enabled === false ? "no indexer ack" : "indexer ack", ...(s.gzip ? ["gzip"] : [])];
    return `${id}: Splunk HEC at ${hecOrigin(s.url)} (${traits.join(", ")})`;
  },
});
