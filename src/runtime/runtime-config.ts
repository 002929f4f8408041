import { z } from "zod";
import { RUNTIME_SOURCES } from "../model/runtime-alert.js";

/**
 * The `runtime` section of the config file: the push path (sensor intake -> Wiz). Strict: an unknown
 * key is an error naming it. Intake fields first; the delivery fields (resolver, uploader) follow.
 */

/** How one sensor source proves who it is on `POST /ingest/<source>`. */
export const sourceAuthSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("bearer"),
    /** The shared token; write `${ENV_VAR}` in the file so it never sits in config. */
    token: z.string().min(16, "use a token of at least 16 characters"),
  }),
  z.strictObject({
    type: z.literal("hmac"),
    secret: z.string().min(16, "use a secret of at least 16 characters"),
    /** Header carrying the hex HMAC-SHA256 of `<timestamp>.<raw body>`, optionally prefixed `sha256=`. */
    header: z.string().min(1).default("x-wizbridge-signature"),
    /** Header carrying the Unix time (seconds) the sender signed at; part of what is signed. */
    timestampHeader: z.string().min(1).default("x-wizbridge-timestamp"),
    /** A signature older or newer than this, or seen before within it, is refused (replays). */
    replayWindowSeconds: z.number().int().min(10).max(86_400).default(300),
    /** false: also take a signature of the body alone without a timestamp (GitHub style), with no replay protection. */
    requireTimestamp: z.boolean().default(true),
  }),
  /** Only for a receiver bound to localhost or behind an authenticating proxy. */
  z.strictObject({ type: z.literal("none") }),
]);
export type SourceAuth = z.output<typeof sourceAuthSchema>;

export const runtimeSourceSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  auth: sourceAuthSchema,
  /** Environment this sensor reports from (prod, staging...): part of the Wiz data source id. */
  environment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/u, "letters, digits, '.', '_' or '-'").default("default"),
});

export const clusterIdentitySchema = z.strictObject({
  /** The name the sensor reports (Falco custom field, KubeArmor ClusterName, Sysdig label...) or a node-name prefix. */
  match: z.strictObject({ clusterName: z.string().min(1).optional(), nodeNamePrefix: z.string().min(1).optional(), source: z.enum(RUNTIME_SOURCES).optional() }),
  /** The cluster as Wiz knows it. */
  cluster: z.strictObject({
    name: z.string().min(1),
    providerId: z.string().min(1).optional(),
    cloudPlatform: z.string().min(1).optional(),
    accountId: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  }),
});

export const serviceMappingSchema = z.strictObject({
  /** A service name, host name or endpoint URL prefix found in the alert's identifiers. */
  match: z.string().min(1),
  /** The Wiz resource: its provider unique id (ARN, Azure id...) or Wiz graph id. */
  providerId: z.string().min(1),
  cloudPlatform: z.string().min(1).optional(),
});

export const runtimeIntakeSettingsSchema = z.strictObject({
  /** Largest request body accepted (bytes); larger -> 413. */
  bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Most records in one request (JSON array or NDJSON lines). */
  maxRecordsPerRequest: z.number().int().min(1).max(100_000).default(10_000),
  /** Deepest JSON nesting accepted in a record. */
  maxDepth: z.number().int().min(4).max(512).default(64),
});

export const runtimeConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  sources: z.partialRecord(z.enum(RUNTIME_SOURCES), runtimeSourceSettingsSchema).default({}),
  intake: runtimeIntakeSettingsSchema.default({ bodyLimitBytes: 5 * 1024 * 1024, maxRecordsPerRequest: 10_000, maxDepth: 64 }),
  clusterIdentities: z.array(clusterIdentitySchema).default([]),
  serviceMappings: z.array(serviceMappingSchema).default([]),
  /** Wiz data source id per `<source>:<environment>`; default `wizbridge-<source>-<environment>`. */
  dataSourceIds: z.record(z.string(), z.string().min(1)).default({}),
  /** Micro-batch window before an upload (ms). */
  batchWindowMs: z.number().int().min(100).max(3_600_000).default(5_000),
  /** How long an event stays in its data source's active set (ms); default 7 days, Wiz's staleness horizon. */
  retentionMs: z.number().int().min(60_000).default(7 * 24 * 3_600_000),
  /** Upload attempts before an alert is dead-lettered with its reason. */
  retryBudget: z.number().int().min(1).max(100).default(8),
  /**
   * Where Wiz events and issue notes link back for alerts whose sensor gives no link: `<base><event id>`.
   * Default: the main job's own `/api/runtime/alerts/`; set it when users reach wizbridge at another
   * address (a reverse proxy, a DNS name).
   */
  alertLinkBase: z
    .url("use an absolute URL such as https://wizbridge.example.com/api/runtime/alerts/")
    .transform((u) => (u.endsWith("/") ? u : `${u}/`))
    .optional(),
});

export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type RuntimeIntakeSettings = z.output<typeof runtimeIntakeSettingsSchema>;

/** Parses a `runtime` section; throws a message naming the first bad key. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  const result = runtimeConfigSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? ["runtime", ...issue.path.map(String)].join(".") : "runtime";
  throw new Error(`The config's ${path} is invalid: ${issue?.message ?? "invalid value"}. Fix that key (docs/runtime-sources.md lists the runtime section) and start again.`);
}
