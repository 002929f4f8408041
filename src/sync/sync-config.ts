import { z } from "zod";
import { resolveConnectionSettings, WizSettingsError, type ResolvedConnectionSettings } from "../wiz/index.js";
import { STREAM_NAMES, type StreamName } from "../model/stream-name.js";
import { runtimeConfigSchema, type RuntimeConfig } from "../runtime/runtime-config.js";
import { workflowsConfigSchema, type WorkflowsConfig } from "../workflows/workflow-config.js";
import type { StreamMode } from "./stream-runner.js";
import { parseStreamSchedule, type StreamSchedule } from "./stream-schedule.js";
import { PROFILE_NAME, type OutputSetting } from "../transform/output-profile.js";
import { sinkConfigSchema, type SinkConfig } from "../sinks/sink-registry.js";
import { severityLadderSettingSchema } from "../transform/severity/severity-ladder.js";

/** The config file, as written (after `${ENV}` substitution). Strict: an unknown key is an error naming it. */
const streamSettingsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  schedule: z.string().optional(),
  filters: z.record(z.string(), z.unknown()).optional(),
  pageSize: z.number().int().positive().optional(),
  mode: z.enum(["incremental", "snapshot"]).optional(),
  backfillDays: z.number().positive().optional(),
  budget: z.strictObject({ pages: z.number().int().positive().optional(), minutes: z.number().positive().optional() }).optional(),
  // Walk only records changed at least this long ago (late-indexed records), and re-read this far before the cursor.
  lagSeconds: z.number().min(0).optional(),
  overlapSeconds: z.number().min(0).optional(),
});

const secret = z.string().min(8, "must be at least 8 characters (a secret that short is guessable); use ${ENV} to keep it out of the file");
const webhookAuthSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("bearer"), token: secret }),
  z.strictObject({ type: z.literal("header"), name: z.string().regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name"), value: secret }),
  z.strictObject({ type: z.literal("basic"), username: z.string().min(1), password: secret }),
]);

/** Connector and sink ids: they name files, log fields and URL path segments. */
export const CONFIG_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const connectorSchema = z.strictObject({
  id: z.string().regex(CONFIG_ID_PATTERN, "must be letters, digits, '.', '_' or '-' (it names files and log fields)"),
  enabled: z.boolean().optional(),
  connection: z.record(z.string(), z.unknown()),
  // 0 means unpaced (a simulator, a test); Wiz itself needs a few per second at most.
  rateLimit: z.strictObject({ requestsPerSecond: z.number().min(0).optional(), maxConcurrency: z.number().int().positive().optional() }).optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  streamConcurrency: z.number().int().min(1).max(9).optional(),
  overlapSeconds: z.number().min(0).optional(),
  outboxLimit: z.number().int().positive().optional(),
  sampling: z.strictObject({ assets: z.number().int().positive().optional() }).optional(),
  sinks: z.array(z.string()).min(1, "name at least one sink from the top-level sinks map"),
  // Wiz automation-rule webhooks into this connector's outbox, checked with a shared secret or bearer token.
  webhook: z.strictObject({ auth: webhookAuthSchema }).optional(),
  streams: z.union([z.literal("all"), z.partialRecord(z.enum(STREAM_NAMES), z.union([z.literal(true), streamSettingsSchema]))]),
  output: z
    .strictObject({
      profile: z.string().regex(PROFILE_NAME, "must be canonical, ocsf, ecs or map:<map name> (see `wizbridge map list`)"),
      severityLadder: severityLadderSettingSchema.optional(),
    })
    .optional(),
});


export const syncConfigFileSchema = z.strictObject({
  dataDir: z.string().optional(),
  store: z.strictObject({ path: z.string().min(1) }).optional(),
  delivery: z
    .strictObject({
      batchSize: z.number().int().min(1).max(10_000).optional(),
      retryInitialMs: z.number().int().positive().optional(),
      retryMaxMs: z.number().int().positive().optional(),
    })
    .optional(),
  // The push path: sensors -> /ingest/<source> -> Wiz, through one connector's tenant.
  runtime: runtimeConfigSchema.extend({ connector: z.string().min(1).optional() }).optional(),
  // Scheduled workflows (triage digest, threat response...), their notifiers and response actions.
  workflows: workflowsConfigSchema.optional(),
  // The HTTP server of the main job (webhook receiver, metrics); loopback by default.
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      metricsPublic: z.boolean().optional(),
      // A request whose headers and body have not all arrived by then is cut off (a slow or stalled sender holds a socket).
      requestTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
    })
    .optional(),
  connectors: z.array(connectorSchema).min(1, "add at least one connector"),
  sinks: z.record(z.string().regex(CONFIG_ID_PATTERN, "sink names are letters, digits, '.', '_' or '-'"), sinkConfigSchema),
});

export type SyncConfigFile = z.input<typeof syncConfigFileSchema>;

export type { SinkConfig };

export type WebhookAuth = z.output<typeof webhookAuthSchema>;

export interface StreamConfig {
  name: StreamName;
  schedule: StreamSchedule;
  filter: Record<string, unknown>;
  pageSize: number;
  mode: StreamMode;
  backfillDays?: number;
  budget?: { pages?: number; minutes?: number };
  /** A walk reads records changed up to this long before now (the stream's default, or 0). */
  lagSeconds?: number;
  /** Overrides the connector's overlapSeconds for this stream. */
  overlapSeconds?: number;
}

export interface ConnectorConfig {
  id: string;
  enabled: boolean;
  connection: ResolvedConnectionSettings;
  rateLimit: { requestsPerSecond: number; maxConcurrency: number };
  /** Slices of one stream walked at once. */
  concurrency: number;
  /** Streams of one run synced at once. */
  streamConcurrency: number;
  overlapSeconds: number;
  /** Undelivered events at which pulling pauses (backpressure). */
  outboxLimit: number;
  sampling?: { assets: number };
  sinks: string[];
  streams: StreamConfig[];
  webhook?: { auth: WebhookAuth };
  /** Output profile and severity ladder; absent means canonical records with Wiz's own severities. */
  output?: OutputSetting;
}

export interface SyncConfig {
  dataDir: string;
  storePath: string;
  delivery: { batchSize: number; retryInitialMs: number; retryMaxMs: number };
  /** The push path, when configured: its settings and the connector whose tenant receives the uploads. */
  runtime?: { connector: string; config: RuntimeConfig };
  /** The workflows section: notifiers, response actions and jobs (each job's connector checked). */
  workflows?: WorkflowsConfig;
  /** Set when the file has a server section; otherwise the command's --http-port applies. */
  server?: { host: string; port: number; metricsPublic: boolean; requestTimeoutMs?: number };
  connectors: ConnectorConfig[];
  sinks: Record<string, SinkConfig>;
}

export const CONNECTOR_DEFAULTS = Object.freeze({
  // Wiz's public guidance is 3 req/s; measurements put the sustained ceiling near 5.
  rateLimit: { requestsPerSecond: 3, maxConcurrency: 3 },
  concurrency: 3,
  streamConcurrency: 3,
  overlapSeconds: 120,
  outboxLimit: 100_000,
  samplingAssets: 1_000,
});

export const DELIVERY_DEFAULTS = Object.freeze({ batchSize: 500, retryInitialMs: 1_000, retryMaxMs: 60_000 });

/** Every stream's default settings: what the vendors ship (issues every 5 minutes, findings 30, resources daily). */
export function defaultStreamConfig(name: StreamName, defaults: { pageSize: number; schedule: string; mode: StreamMode }): StreamConfig {
  return { name, schedule: parseStreamSchedule(defaults.schedule), filter: {}, pageSize: defaults.pageSize, mode: defaults.mode };
}

export { parseStreamSchedule, type StreamSchedule };

/** Re-exported so callers type resolved settings without reaching into the SDK. */
export type { ResolvedConnectionSettings };

export function resolveConnection(raw: Record<string, unknown>, onWarning: (message: string) => void): ResolvedConnectionSettings | { error: WizSettingsError } {
  try {
    return resolveConnectionSettings(raw, { onWarning });
  } catch (error) {
    if (error instanceof WizSettingsError) return { error };
    throw error;
  }
}
