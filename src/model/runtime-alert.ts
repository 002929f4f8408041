import { z } from "zod";

/**
 * The canonical runtime alert: what every sensor adapter produces and what the push path (resolver,
 * fold, uploader, enricher) consumes. It is also the documented *generic* format (see
 * `docs/runtime-sources.md`): a RASP or app-level product can POST `GenericRuntimeAlertInput` to
 * `/ingest/generic` and get the same treatment as a Falco or GuardDuty alert.
 */

/** Wiz's severity enum (schema/wiz.graphql `Severity`; the ingestion model's `eventSeverity`). */
export const WIZ_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"] as const;
export const wizSeveritySchema = z.enum(WIZ_SEVERITIES);
export type WizSeverity = z.infer<typeof wizSeveritySchema>;

/** Sources wizbridge has an adapter for; the value is the `:source` of `POST /ingest/:source`. */
export const RUNTIME_SOURCES = [
  "falco",
  "falcosidekick",
  "tetragon",
  "tracee",
  "kubearmor",
  "sysdig",
  "guardduty",
  "aws-waf",
  "modsecurity",
  "generic",
] as const;
export const runtimeSourceSchema = z.enum(RUNTIME_SOURCES);
export type RuntimeSource = z.infer<typeof runtimeSourceSchema>;

/**
 * Life of an alert in the store (`runtime_alerts.state`). Intake writes `received`; the delivery
 * pipeline drives the rest. `unresolved` and `dead_lettered` carry a reason in `state_detail`.
 */
export const RUNTIME_ALERT_STATES = [
  "received",
  "resolved",
  "unresolved",
  "uploaded",
  "confirmed",
  "linked",
  "dead_lettered",
] as const;
export const runtimeAlertStateSchema = z.enum(RUNTIME_ALERT_STATES);
export type RuntimeAlertState = z.infer<typeof runtimeAlertStateSchema>;

/** ATT&CK tactic id, e.g. `TA0006`. */
export const mitreTacticIdSchema = z.string().regex(/^TA\d{4}$/u, "a MITRE ATT&CK tactic id like TA0006");
/** ATT&CK technique or sub-technique id, e.g. `T1555` or `T1059.004`. */
export const mitreTechniqueIdSchema = z
  .string()
  .regex(/^T\d{4}(?:\.\d{3})?$/u, "a MITRE ATT&CK technique id like T1059 or T1059.004");

/** Where the MITRE ids came from: the payload itself, derived from its tags/categories, or the per-source fallback table. */
export const mitreOriginSchema = z.enum(["payload", "derived", "fallback"]);

export const runtimeMitreSchema = z.object({
  /** Never empty: Wiz requires at least one tactic and one technique on an event. */
  tactics: z.array(mitreTacticIdSchema).min(1),
  techniques: z.array(mitreTechniqueIdSchema).min(1),
  origin: mitreOriginSchema,
});
export type RuntimeMitre = z.infer<typeof runtimeMitreSchema>;

const optionalText = z.string().nullable().default(null);
const optionalInt = z.number().int().nullable().default(null);

export const runtimeProcessSchema = z.object({
  name: optionalText,
  pid: optionalInt,
  executable: optionalText,
  commandLine: optionalText,
  user: optionalText,
  uid: optionalInt,
  cwd: optionalText,
  parentName: optionalText,
  parentPid: optionalInt,
  parentCommandLine: optionalText,
  /** Ancestor process names or executables, nearest first (parent, grandparent...). */
  ancestors: z.array(z.string()).default([]),
});
export type RuntimeProcess = z.infer<typeof runtimeProcessSchema>;

export const runtimeContainerSchema = z.object({
  id: optionalText,
  name: optionalText,
  /** Image reference as the sensor saw it (repository[:tag]). */
  image: optionalText,
  /** `sha256:<hex>` when known. */
  imageDigest: optionalText,
  runtime: optionalText,
  privileged: z.boolean().nullable().default(null),
});
export type RuntimeContainer = z.infer<typeof runtimeContainerSchema>;

export const runtimePodSchema = z.object({
  name: optionalText,
  uid: optionalText,
  ip: optionalText,
  labels: z.record(z.string(), z.string()).default({}),
});

export const runtimeWorkloadSchema = z.object({
  /** Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob... */
  kind: optionalText,
  name: optionalText,
});

export const runtimeRequestSchema = z.object({
  method: optionalText,
  url: optionalText,
  host: optionalText,
  path: optionalText,
  clientIp: optionalText,
  status: optionalInt,
  userAgent: optionalText,
  /** What the sensor did with it: BLOCK, ALLOW, COUNT, intercepted... */
  action: optionalText,
  /** Attack class the sensor named: sql_injection, xss, rce, lfi... */
  attackClass: optionalText,
  /** The matched fragment (truncated), useful for triage. */
  matchedData: optionalText,
});
export type RuntimeRequest = z.infer<typeof runtimeRequestSchema>;

export const runtimeCloudSchema = z.object({
  /** AWS, Azure, GCP... */
  provider: optionalText,
  accountId: optionalText,
  region: optionalText,
});

export const runtimeContextSchema = z.object({
  process: runtimeProcessSchema.nullable().default(null),
  container: runtimeContainerSchema.nullable().default(null),
  pod: runtimePodSchema.nullable().default(null),
  namespace: optionalText,
  workload: runtimeWorkloadSchema.nullable().default(null),
  /** Kubernetes node name or host name the sensor runs on. */
  node: optionalText,
  cluster: optionalText,
  request: runtimeRequestSchema.nullable().default(null),
  cloud: runtimeCloudSchema.nullable().default(null),
});
export type RuntimeContext = z.infer<typeof runtimeContextSchema>;

/**
 * Identifiers kept per kind and alert. Each one can cost a Wiz look-up: an alert listing 100,000 ids once
 * cost about 1,000 requests. The first ones (sensors list the alert's own workload first), deduplicated, are
 * plenty to resolve one workload.
 */
export const MAX_IDENTIFIERS_PER_KIND = 50;

const identifierList = z
  .array(z.string())
  .default([])
  .transform((ids) => (ids.length <= 1 ? ids : [...new Set(ids)].slice(0, MAX_IDENTIFIERS_PER_KIND)));

/** Every workload identifier the payload carries; the resolver walks its ladder over these. */
export const runtimeIdentifiersSchema = z.object({
  /** ARNs, Azure resource ids (`/subscriptions/...`), GCP resource names (`//compute.googleapis.com/...`). */
  cloudIds: identifierList,
  /** Cloud VM ids such as `i-0abc...` (without ARN). */
  instanceIds: identifierList,
  /** Container ids without runtime prefix (`docker://`, `containerd://` stripped); short or full. */
  containerIds: identifierList,
  /** Image references and digests (`nginx:latest`, `sha256:...`). */
  images: identifierList,
  podUids: identifierList,
  /** `namespace/pod` pairs. */
  pods: identifierList,
  clusterNames: identifierList,
  clusterUids: identifierList,
  hostnames: identifierList,
  ips: identifierList,
  /** Application/service names for the operator-supplied service -> resource mapping. */
  serviceNames: identifierList,
  /** Endpoint URLs or hosts of web/API attacks (endpoint rung). */
  endpoints: identifierList,
});
export type RuntimeIdentifiers = z.infer<typeof runtimeIdentifiersSchema>;

const isoDateTime = z.iso.datetime({ offset: true });

export const runtimeAlertSchema = z.object({
  /** Assigned at intake (UUID v7-style, time-ordered); the stable event id sent to Wiz. */
  id: z.string().min(1),
  source: runtimeSourceSchema,
  /** The product that raised it ("Falco", "AWS WAF", or the generic payload's own sensor name). */
  sensor: z.string().min(1),
  ruleId: z.string().min(1),
  ruleName: z.string().min(1),
  title: z.string().min(1),
  description: z.string(),
  /** When the sensor saw it (RFC 3339). */
  occurredAt: isoDateTime,
  /** When wizbridge accepted it (RFC 3339). */
  receivedAt: isoDateTime,
  severity: wizSeveritySchema,
  /** The source's own severity as given, e.g. "Warning", "7", "8.0", "CRITICAL". */
  originalSeverity: z.string().nullable(),
  mitre: runtimeMitreSchema,
  context: runtimeContextSchema,
  identifiers: runtimeIdentifiersSchema,
  /**
   * Values that tell two detections of the same rule on the same resource apart (file path, command
   * line, matched data...). Part of the fold fingerprint; adapter-chosen, order-stable.
   */
  salient: z.array(z.string()).default([]),
  /** Deep link back to the sensor's console, when the source has one. */
  sensorLink: z.url().nullable(),
  /** The source payload exactly as received. */
  raw: z.unknown(),
});
export type RuntimeAlert = z.infer<typeof runtimeAlertSchema>;
/** The alert before defaults are applied (what adapters may build). */
export type RuntimeAlertInput = z.input<typeof runtimeAlertSchema>;

/** What an adapter returns: the alert without the intake-assigned fields. */
export type AdaptedRuntimeAlert = Omit<RuntimeAlert, "id" | "receivedAt">;

/**
 * The documented generic format for RASP / WAF / app-level detections from any product
 * (`POST /ingest/generic`). Only `sensor`, `ruleId`, `title`, `occurredAt` and a severity are
 * required; MITRE ids fall back to the generic table when absent.
 */
export const genericRuntimeAlertInputSchema = z.strictObject({
  sensor: z.string().min(1).max(200),
  ruleId: z.string().min(1).max(500),
  ruleName: z.string().min(1).max(500).optional(),
  title: z.string().min(1).max(1000),
  description: z.string().max(20_000).optional(),
  occurredAt: isoDateTime,
  /** Either a Wiz severity... */
  severity: wizSeveritySchema.optional(),
  /** ...or the product's own word/number, mapped by the generic severity table. */
  originalSeverity: z.union([z.string().max(100), z.number()]).optional(),
  mitre: z
    .strictObject({
      tactics: z.array(mitreTacticIdSchema).max(50).default([]),
      techniques: z.array(mitreTechniqueIdSchema).max(200).default([]),
    })
    .optional(),
  /** Attack class for app-level detections (sql_injection, xss, rce...) used for MITRE fallback. */
  attackClass: z.string().max(100).optional(),
  context: runtimeContextSchema.partial().optional(),
  identifiers: runtimeIdentifiersSchema.partial().optional(),
  salient: z.array(z.string().max(2000)).max(20).optional(),
  sensorLink: z.url().optional(),
});
export type GenericRuntimeAlertInput = z.input<typeof genericRuntimeAlertInputSchema>;
