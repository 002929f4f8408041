import { z } from "zod";
import { hasNoUrlCredentials, isHttpUrl, sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { ElasticsearchSink } from "./elasticsearch.sink.js";
import { DEFAULT_INDEX_TEMPLATE, indexTemplateProblem } from "./index-naming.js";
import type { SearchFlavor } from "./index-template.js";

/**
 * Keys shared by `type: elasticsearch` and `type: opensearch`: both clusters speak the same `_bulk` API,
 * so one sink serves both, and the type names the engine (which changes a few mapping types in `setup`).
 */
const searchSinkShape = {
  url: z
    .string()
    .min(1, "set the cluster's URL, e.g. https://localhost:9200")
    .refine(isHttpUrl, "must be an http:// or https:// URL, e.g. https://localhost:9200")
    .refine(hasNoUrlCredentials, "must not hold user:password@; use auth: {type: basic, username, password}")
    .refine((u) => !URL.canParse(u) || (new URL(u).search === "" && new URL(u).hash === ""), "must not have a ?query or #fragment (a path prefix behind a proxy is fine)"),
  auth: z
    .discriminatedUnion(
      "type",
      [
        z.strictObject({
          type: z.literal("basic"),
          username: z.string().min(1, "set the user name").regex(/^[^:\r\n]*$/, "must not contain ':' or line breaks"),
          password: z.string().min(1, "set the password; use ${ENV} to keep it out of the file"),
        }),
        z.strictObject({
          type: z.literal("apiKey"),
          apiKey: z
            .string()
            .min(1, "set the API key; use ${ENV} to keep it out of the file")
            .regex(/^[A-Za-z0-9+/=_-]+$/, "must be the encoded API key (the `encoded` value Elasticsearch returns when it creates the key: base64 of id:key)"),
        }),
      ],
      "must be {type: basic, username, password} or {type: apiKey, apiKey}",
    )
    .optional(),
  /** Naming template of the index or data stream per event: {stream} and {connector} become lower-case kebab. */
  index: z
    .string()
    .min(1, 'set a naming template such as "wiz-{stream}"')
    .superRefine((template, ctx) => {
      const problem = indexTemplateProblem(template);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  /** index (default): one index per stream, `index` ops (a redelivery overwrites). data-stream: `create` ops (a redelivery is a 409, counted as delivered). */
  mode: z.enum(["index", "data-stream"], "must be index or data-stream").optional(),
  /** Ingest pipeline every document goes through. */
  pipeline: z.string().min(1, "name an ingest pipeline, or remove pipeline").optional(),
  /** Refresh after each batch: false (default: never; the cluster refreshes every second), true, or wait_for. */
  refresh: z.union([z.boolean(), z.literal("wait_for")], "must be false, true or wait_for").optional(),
  /** `raw` in the index template: stored-only (default: in _source, not searchable) or indexed (one flattened field). */
  storeRaw: z.enum(["stored-only", "indexed"], "must be stored-only or indexed").optional(),
  /** `record` in the index template: dynamic (default) or ecs (typed from the ECS field set, for connectors with profile: ecs). */
  recordMappings: z.enum(["dynamic", "ecs"], "must be dynamic or ecs").optional(),
  /** Milliseconds to wait for the cluster's answer to a request. */
  timeoutMs: z.number().int().min(1000, "must be at least 1000 (milliseconds)").max(600_000, "must be at most 600000 (10 minutes)").optional(),
  tls: sinkTlsSchema.optional(),
  ...sinkDeliveryShape,
};

function checkTlsScheme(s: { url: string; tls?: unknown }, ctx: z.RefinementCtx): void {
  if (s.tls && URL.canParse(s.url) && new URL(s.url).protocol === "http:") {
    ctx.addIssue({ code: "custom", path: ["tls"], message: "only applies to https:// URLs; use https:// in url, or remove tls" });
  }
}

export const elasticsearchSinkSchema = z.strictObject({ type: z.literal("elasticsearch"), ...searchSinkShape }).superRefine(checkTlsScheme);
export const opensearchSinkSchema = z.strictObject({ type: z.literal("opensearch"), ...searchSinkShape }).superRefine(checkTlsScheme);

export type ElasticsearchSinkSettings = z.output<typeof elasticsearchSinkSchema>;
export type OpensearchSinkSettings = z.output<typeof opensearchSinkSchema>;
/** Either engine's settings: the sink reads `type` as its flavor. */
export type SearchSinkSettings = ElasticsearchSinkSettings | OpensearchSinkSettings;

/** "es: Elasticsearch at https://es:9200 (index wiz-{stream}, data-stream, apiKey auth)": never a secret. */
export function describeSearchSink(id: string, s: SearchSinkSettings): string {
  const url = new URL(s.url);
  const address = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const traits = [`${s.mode ?? "index"} ${s.index ?? DEFAULT_INDEX_TEMPLATE}`, ...(s.pipeline ? [`pipeline ${s.pipeline}`] : []), s.auth ? `${s.auth.type} auth` : "no auth"];
  return `${id}: ${flavorOf(s) === "opensearch" ? "OpenSearch" : "Elasticsearch"} at ${address} (${traits.join(", ")})`;
}

export function flavorOf(s: SearchSinkSettings): SearchFlavor {
  return s.type;
}

export const elasticsearchSinkType = defineSinkType<ElasticsearchSinkSettings>({
  type: "elasticsearch",
  schema: elasticsearchSinkSchema,
  create: (id, settings, context) => new ElasticsearchSink(id, settings, context),
  describe: describeSearchSink,
});

export const opensearchSinkType = defineSinkType<OpensearchSinkSettings>({
  type: "opensearch",
  schema: opensearchSinkSchema,
  create: (id, settings, context) => new ElasticsearchSink(id, settings, context),
  describe: describeSearchSink,
});
