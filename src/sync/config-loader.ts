import { exclusiveSinkResource, resolveSinkPaths, sinkConfigSchema, SINK_TYPE_NAMES } from "../sinks/sink-registry.js";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { STREAM_NAMES, type StreamName } from "../model/stream-name.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import type { WizFilterValidator } from "./filter-validator.js";
import { CONFIG_ID_PATTERN, CONNECTOR_DEFAULTS, DELIVERY_DEFAULTS, resolveConnection, syncConfigFileSchema, type ConnectorConfig, type SinkConfig, type StreamConfig, type SyncConfig } from "./sync-config.js";
import { parseStreamSchedule } from "./stream-schedule.js";
import { runtimeConfigSchema } from "../runtime/runtime-config.js";
import { resolveWorkflowsConfig, WORKFLOW_CONFIG_KEYS, WORKFLOW_JOB_KEYS } from "../workflows/workflow-config.js";
import { STREAM_CATALOGUE } from "./streams/stream-catalogue.js";

export interface ConfigLoadOptions {
  /** Values for `${NAME}` references. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths in the file resolve against this directory. */
  baseDir: string;
  validator: WizFilterValidator;
  /** Names the config in errors (the file path). */
  source: string;
  /** Told about values that were fixed up (trimmed credentials). */
  onWarning?: (message: string) => void;
}

/** Reads a YAML or JSON config file and validates it; throws ConfigError listing every problem by key. */
export function loadSyncConfigFile(path: string, options: Omit<ConfigLoadOptions, "baseDir" | "source"> & { readFile?: (path: string) => string }): SyncConfig {
  let text: string;
  try {
    text = (options.readFile ?? ((p) => readFileSync(p, "utf8")))(path);
  } catch (error) {
    throw new ConfigError(path, [{ path: "", message: `cannot be read (${error instanceof Error ? error.message : String(error)}); check the --config path.` }]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(path, [{ path: "", message: `is not valid YAML or JSON: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` }]);
  }
  return buildSyncConfig(parsed, { ...options, baseDir: dirname(resolve(path)), source: path });
}

/** Validates a config object (a parsed file, or one built in code such as the embedded default). */
export function buildSyncConfig(input: unknown, options: ConfigLoadOptions): SyncConfig {
  const problems: ConfigProblem[] = [];
  const substituted = substituteEnv(input, options.env ?? process.env, "", problems);
  const parsed = syncConfigFileSchema.safeParse(substituted);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => describeZodIssue(issue)));
    throw new ConfigError(options.source, problems);
  }
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  const file = parsed.data;
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(options.baseDir, p));
  const dataDir = at(file.dataDir ?? "./data");
  const connectors: ConnectorConfig[] = [];
  const seen = new Set<string>();
  file.connectors.forEach((c, i) => {
    const base = `connectors[${i}]`;
    if (seen.has(c.id)) problems.push({ path: `${base}.id`, message: `"${c.id}" is used by another connector; give each connector its own id.` });
    seen.add(c.id);
    const connector = connectorConfigOf(c, base, Object.keys(file.sinks), options, problems);
    if (connector) connectors.push(connector);
  });
  const delivery = { ...DELIVERY_DEFAULTS, ...file.delivery };
  if (delivery.retryMaxMs < delivery.retryInitialMs) problems.push({ path: "delivery.retryMaxMs", message: `must be at least delivery.retryInitialMs (${delivery.retryInitialMs}).` });
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  const sinks = Object.fromEntries(Object.entries(file.sinks).map(([id, sink]) => [id, resolveSinkPaths(sink, at)]));
  const owners = new Map<string, string>();
  for (const [id, sink] of Object.entries(sinks)) {
    const resource = exclusiveSinkResource(sink);
    if (resource === undefined) continue;
    const owner = owners.get(resource);
    if (owner !== undefined) problems.push({ path: `sinks.${id}`, message: `writes to ${resource}, which sink "${owner}" writes too; two writers interleave and lose rotated files: give each sink its own directory, or feed both connectors into one sink.` });
    else owners.set(resource, id);
  }
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  let runtime: SyncConfig["runtime"];
  if (file.runtime && file.runtime.enabled !== false) {
    const { connector: named, ...runtimeConfig } = file.runtime;
    const connectorId = named ?? (connectors.length === 1 ? connectors[0]?.id : undefined);
    if (connectorId === undefined) problems.push({ path: "runtime.connector", message: `name the connector whose Wiz tenant receives the runtime detections (one of: ${connectors.map((c) => c.id).join(", ")}).` });
    else if (!connectors.some((c) => c.id === connectorId)) problems.push({ path: "runtime.connector", message: `no connector "${connectorId}"; use one of: ${connectors.map((c) => c.id).join(", ")}.` });
    else runtime = { connector: connectorId, config: runtimeConfig };
    if (problems.length > 0) throw new ConfigError(options.source, problems);
  }
  const workflows = file.workflows ? resolveWorkflowsConfig(file.workflows, { connectorIds: connectors.map((c) => c.id), baseDir: options.baseDir }, problems) : undefined;
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  const server = file.server ? { host: file.server.host ?? "127.0.0.1", port: file.server.port ?? DEFAULT_HTTP_PORT, metricsPublic: file.server.metricsPublic ?? false, ...(file.server.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: file.server.requestTimeoutMs }) } : undefined;
  return { dataDir, storePath: file.store ? at(file.store.path) : resolve(dataDir, "wizbridge.db"), delivery, ...(server ? { server } : {}), ...(runtime ? { runtime } : {}), ...(workflows ? { workflows } : {}), connectors, sinks };
}

export const DEFAULT_HTTP_PORT = 8787;

type ConnectorInput = z.output<typeof syncConfigFileSchema>["connectors"][number];

/** One validated connector entry; problems are pushed under `base` (undefined when its connection is unusable). */
function connectorConfigOf(c: ConnectorInput, base: string, sinkIds: readonly string[], options: Pick<ConfigLoadOptions, "validator" | "onWarning">, problems: ConfigProblem[]): ConnectorConfig | undefined {
  const at = (key: string): string => (base ? `${base}.${key}` : key);
  for (const [j, sink] of c.sinks.entries()) {
    if (!sinkIds.includes(sink)) {
      problems.push({ path: `${at("sinks")}[${j}]`, message: `no sink named "${sink}" in the top-level sinks map${sinkIds.length ? `; defined: ${sinkIds.join(", ")}` : "; define it under sinks:"}.` });
    }
  }
  const connection = resolveConnection(c.connection, options.onWarning ?? (() => undefined));
  if ("error" in connection) {
    const setting = connection.error.setting === "settings" ? "" : `.${connection.error.setting}`;
    problems.push({ path: `${at("connection")}${setting}`, message: `${connection.error.what} Fix: ${connection.error.fix}` });
  }
  const streams = streamConfigsOf(c.streams, at("streams"), options.validator, problems);
  if ("error" in connection) return undefined;
  const rateLimit = { ...CONNECTOR_DEFAULTS.rateLimit, ...c.rateLimit };
  return {
    id: c.id,
    enabled: c.enabled ?? true,
    connection,
    rateLimit,
    concurrency: c.concurrency ?? Math.max(CONNECTOR_DEFAULTS.concurrency, rateLimit.maxConcurrency),
    streamConcurrency: c.streamConcurrency ?? CONNECTOR_DEFAULTS.streamConcurrency,
    overlapSeconds: c.overlapSeconds ?? CONNECTOR_DEFAULTS.overlapSeconds,
    outboxLimit: c.outboxLimit ?? CONNECTOR_DEFAULTS.outboxLimit,
    ...(c.sampling ? { sampling: { assets: c.sampling.assets ?? CONNECTOR_DEFAULTS.samplingAssets } } : {}),
    sinks: [...new Set(c.sinks)],
    streams,
    ...(c.webhook ? { webhook: c.webhook } : {}),
    ...(c.output ? { output: c.output } : {}),
  };
}

/**
 * One connector entry exactly as the config file's `connectors:` list takes it (the API's POST/PUT
 * /api/connectors body), validated by the same schema and rules. No `${ENV}` substitution: values are taken
 * as given. Problems are named from the entry's root (`connection.clientId`, `streams.issues.schedule`).
 */
export function buildConnectorConfig(input: unknown, options: Pick<ConfigLoadOptions, "validator" | "onWarning"> & { sinkIds: readonly string[] }): { connector: ConnectorConfig } | { problems: ConfigProblem[] } {
  const parsed = syncConfigFileSchema.shape.connectors.element.safeParse(input);
  if (!parsed.success) return { problems: parsed.error.issues.flatMap((issue) => describeZodIssue(issue, ["connectors", 0])).map((p) => ({ ...p, path: withoutPrefix(p.path, "connectors[0]") })) };
  const problems: ConfigProblem[] = [];
  const connector = connectorConfigOf(parsed.data, "", options.sinkIds, options, problems);
  return connector && problems.length === 0 ? { connector } : { problems };
}

/**
 * One sink's settings exactly as the config file's `sinks:` map takes them (the API's POST/PUT /api/sinks
 * body), with relative paths resolved by `at`. Problems are named from the settings' root (`auth.password`).
 */
export function buildSinkSettings(id: string, input: unknown, at: (path: string) => string): { settings: SinkConfig } | { problems: ConfigProblem[] } {
  if (!CONFIG_ID_PATTERN.test(id)) return { problems: [{ path: "id", message: "sink names are letters, digits, '.', '_' or '-'." }] };
  const parsed = sinkConfigSchema.safeParse(input);
  if (!parsed.success) return { problems: parsed.error.issues.flatMap((issue) => describeZodIssue(issue, ["sinks", id])).map((p) => ({ ...p, path: withoutPrefix(p.path, `sinks.${id}`) })) };
  return { settings: resolveSinkPaths(parsed.data, at) };
}

function withoutPrefix(path: string, prefix: string): string {
  if (path === prefix) return "";
  return path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

type StreamsInput = z.output<typeof syncConfigFileSchema>["connectors"][number]["streams"];

function streamConfigsOf(input: StreamsInput, base: string, validator: WizFilterValidator, problems: ConfigProblem[]): StreamConfig[] {
  const entries: Array<[StreamName, unknown]> = input === "all" ? STREAM_NAMES.map((n) => [n, true]) : (Object.entries(input) as Array<[StreamName, unknown]>);
  if (entries.length === 0) problems.push({ path: base, message: `name at least one stream (${STREAM_NAMES.join(", ")}), or write streams: all.` });
  const out: StreamConfig[] = [];
  for (const [name, value] of entries) {
    const def = STREAM_CATALOGUE[name];
    const settings = value === true ? {} : (value as Exclude<StreamsInput, "all">[StreamName] & object);
    if (settings.enabled === false) continue;
    const path = `${base}.${name}`;
    let schedule;
    try {
      schedule = parseStreamSchedule(settings.schedule ?? def.defaultSchedule);
    } catch (error) {
      problems.push({ path: `${path}.schedule`, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const pageSize = settings.pageSize ?? def.defaultPageSize;
    if (pageSize > def.pageSizeCap) problems.push({ path: `${path}.pageSize`, message: `${pageSize} is above Wiz's cap of ${def.pageSizeCap} for ${name} (Wiz refuses larger pages); use 1 to ${def.pageSizeCap}.` });
    const filter = settings.filters ?? {};
    for (const problem of validator.validate(def, filter)) {
      problems.push({ path: `${path}.filters${problem.path ? `.${problem.path}`.replace(/\.\[/g, "[") : ""}`, message: `${problem.message} (filters use Wiz's ${def.filterType} fields)` });
    }
    const mode = settings.mode ?? (def.cursorField === null ? "snapshot" : "incremental");
    out.push({
      name,
      schedule,
      filter,
      pageSize,
      mode,
      ...(settings.backfillDays !== undefined ? { backfillDays: settings.backfillDays } : {}),
      ...(settings.budget ? { budget: settings.budget } : def.defaultBudget ? { budget: def.defaultBudget } : {}),
      ...((settings.lagSeconds ?? def.window?.lagSeconds) !== undefined ? { lagSeconds: settings.lagSeconds ?? def.window?.lagSeconds } : {}),
      ...((settings.overlapSeconds ?? def.window?.overlapSeconds) !== undefined ? { overlapSeconds: settings.overlapSeconds ?? def.window?.overlapSeconds } : {}),
    });
  }
  return out;
}

/** Replaces `${NAME}` (and `${NAME:-default}`) in every string; `$${` stays a literal `${`. */
function substituteEnv(value: unknown, env: Readonly<Record<string, string | undefined>>, path: string, problems: ConfigProblem[]): unknown {
  if (typeof value === "string") {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (match: string, name: string, fallback: string | undefined) => {
      if (match.startsWith("$$")) return match.slice(1);
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path, message: `refers to the environment variable ${name}, which is not set; export ${name} (or write \${${name}:-default}).` });
      return "";
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}[${i}]`, problems));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, path ? `${path}.${k}` : k, problems)]));
  }
  return value;
}

function describeZodIssue(issue: z.core.$ZodIssue, prefix: ReadonlyArray<PropertyKey> = []): ConfigProblem[] {
  const fullPath = [...prefix, ...issue.path];
  const path = formatPath(fullPath);
  if (issue.code === "invalid_union" && issue.errors.length === 0) {
    // A discriminated union (sink `type`) that matched no variant.
    if (fullPath[0] === "sinks") return [{ path, message: `is not a sink type; use one of: ${SINK_TYPE_NAMES.join(", ")}.` }];
    if (fullPath.includes("webhook")) return [{ path, message: "is not a webhook auth type; use bearer (token), header (name, value: a shared secret) or basic (username, password)." }];
    return [{ path, message: `${issue.message}.` }];
  }
  if (issue.code === "invalid_union") {
    // `streams: all | {...}` and `issues: true | {...}`: report the branch the user was writing (the object one).
    const branch = issue.errors.find((branchIssues) => branchIssues.some((i) => i.path.length > 0 || i.code === "unrecognized_keys")) ?? issue.errors[issue.errors.length - 1];
    if (branch && branch.length > 0 && branch !== issue.errors[0]) return branch.flatMap((i) => describeZodIssue(i, fullPath));
    return [{ path, message: "must be `all` or a map of stream names to settings (`true` for the defaults)." }];
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(fullPath);
    return issue.keys.map((key) => {
      const suggestion = allowed ? closest(key, allowed) : undefined;
      return {
        path: path ? `${path}.${key}` : key,
        message: `is not a known key${suggestion ? `; did you mean "${suggestion}"?` : ""}${allowed ? ` Known keys here: ${allowed.join(", ")}.` : ""}`,
      };
    });
  }
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return [{ path, message: `is required (${issue.expected}).` }];
  return [{ path, message: issue.message.replace(/^Invalid input: /, "") + "." }];
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** The keys a strict object accepts at a path (for "did you mean"); undefined where the set is open. */
function allowedKeysAt(path: ReadonlyArray<PropertyKey>): string[] | undefined {
  const names = path.filter((p) => typeof p === "string");
  const last = names[names.length - 1];
  if (path.length === 0) return Object.keys(syncConfigFileSchema.shape);
  if (names[0] === "connectors" && names.length === 1) return Object.keys(syncConfigFileSchema.shape.connectors.element.shape);
  if (names[0] === "connectors" && last === "streams") return [...STREAM_NAMES];
  if (names[0] === "connectors" && names[1] === "streams" && names.length === 3) return ["enabled", "schedule", "filters", "pageSize", "mode", "backfillDays", "budget", "lagSeconds", "overlapSeconds"];
  if (names[0] === "connectors" && last === "rateLimit") return ["requestsPerSecond", "maxConcurrency"];
  if (names[0] === "connectors" && last === "output") return ["profile", "severityLadder"];
  if (last === "delivery") return ["batchSize", "retryInitialMs", "retryMaxMs"];
  if (last === "server") return ["host", "port", "metricsPublic", "requestTimeoutMs"];
  if (names[0] === "runtime" && names.length === 1) return [...Object.keys(runtimeConfigSchema.shape), "connector"];
  if (names[0] === "workflows" && names.length === 1) return WORKFLOW_CONFIG_KEYS;
  if (names[0] === "workflows" && names[1] === "jobs" && names.length === 2) return WORKFLOW_JOB_KEYS;
  if (last === "webhook") return ["auth"];
  return undefined;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
