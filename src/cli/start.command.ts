import { randomBytes } from "node:crypto";
import { commandStopOf } from "./stop-signal.js";
import { resolve } from "node:path";
import type { Writable } from "node:stream";
import { InvalidArgumentError, type Command } from "commander";
import type { Logger } from "pino";
import type { Simulator } from "../sim/index.js";
import { startDemoTenant, type DemoTenant } from "./demo-tenant.js";
import { describeSink } from "../sinks/sink-registry.js";
import { ConfigError } from "../sync/config-error.js";
import { buildSyncConfig, DEFAULT_HTTP_PORT, loadSyncConfigFile } from "../sync/config-loader.js";
import { startMainJobServer, type MainJobServer } from "../server/main-job-server.js";
import { openRoutesProblem } from "../server/open-route-check.js";
import { embeddedDefaultConfig, EMBEDDED_CONNECTOR_ID } from "../sync/embedded-default.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import type { SyncConfig } from "../sync/sync-config.js";
import { createSyncLogger } from "../sync/sync-logger.js";
import { createProgressReporter } from "../sync/sync-progress.js";
import { openSyncSession, type SyncSession } from "../sync/sync-session.js";
import { StoreLockedError } from "../store/store-lock.js";
import { ApiTokenRepository } from "../store/api-token.repository.js";
import { EXIT_CODES } from "./exit-codes.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { runScheduledWorkflows } from "../workflows/workflow-scheduler.js";

export interface StartCommandOptions {
  config?: string;
  dataDir: string;
  /** The HTTP server (webhooks, metrics) when the config has no server section; 0 picks a free port. */
  httpHost?: string;
  httpPort?: number;
  logLevel: string;
  seed: number;
}

export interface CommandIo {
  out: Writable;
  /** Where diagnostics go when `out` carries data (a stdout sink); default process.stderr. */
  err?: Writable;
  env: Readonly<Record<string, string | undefined>>;
  /** Stops the command (tests); default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  logger?: Logger;
}

/** The config to run, and the embedded simulator when there is no config file. */
export interface ResolvedRunConfig {
  config: SyncConfig;
  simulator?: Simulator;
  /** The embedded default's webhook token, for the simulator's automation rule. */
  webhookToken?: string;
  /** The embedded default's demo tenant, saved in the data dir so the next start continues it. */
  demo?: DemoTenant;
}

/** Loads the config file, or starts the embedded default: the simulator with a demo tenant and one connector with every stream. */
export async function resolveRunConfig(opts: { config?: string; dataDir: string; seed: number }, io: CommandIo, logger: Logger): Promise<ResolvedRunConfig> {
  const validator = new WizFilterValidator(loadWizSchema());
  if (opts.config) {
    return { config: loadSyncConfigFile(opts.config, { validator, env: io.env, onWarning: (message) => logger.warn(message) }) };
  }
  // Realtime with background activity, so the demo tenant changes and incremental runs have something to find.
  const dataDir = resolve(opts.dataDir);
  const demo = await startDemoTenant({ dataDir, seed: opts.seed, logger });
  const simulator = demo.simulator;
  const connection = { clientId: simulator.clientId, clientSecret: simulator.clientSecret, endpoint: simulator.graphqlUrl, tokenUrl: simulator.tokenUrl, audience: simulator.audience, allowNonWizHosts: true };
  const webhookToken = randomBytes(24).toString("base64url");
  const config = buildSyncConfig(embeddedDefaultConfig(dataDir, connection, webhookToken), { baseDir: dataDir, validator, source: "the embedded default", env: io.env });
  return { config, simulator, webhookToken, demo };
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0, got ${JSON.stringify(value)}.`);
    return n;
  };
}

/** What a user needs to find everything: where the data comes from, where it goes, where state lives. */
export function describeRun(config: SyncConfig, simulator: Simulator | undefined, server?: MainJobServer): string {
  const lines = [simulator ? "wizbridge is running the embedded default (no --config given):" : "wizbridge is running:"];
  if (simulator) {
    const t = simulator.info().tenant;
    lines.push(`  Wiz simulator  ${simulator.graphqlUrl}  (demo tenant: ${t.issues} issues, ${t.vulnerabilityFindings} findings, ${t.cloudResources} resources, ${t.detections} detections)`);
  }
  for (const c of config.connectors) {
    const streams = c.streams.map((s) => `${s.name} (${s.schedule.kind === "once" ? "once" : s.schedule.kind === "interval" ? `every ${s.schedule.source}` : `cron ${s.schedule.source}`})`).join(", ");
    lines.push(`  Connector      ${c.id}${c.enabled ? "" : " (disabled)"}: ${c.connection.endpoint}, ${c.rateLimit.requestsPerSecond} req/s; ${streams}`);
    lines.push(`                 sinks: ${c.sinks.join(", ")}${c.sampling ? `; sampling the top ${c.sampling.assets} assets by risk` : ""}`);
    const hook = server?.webhookUrl(c.id);
    if (hook) lines.push(`                 Wiz webhooks: POST ${hook} (${c.webhook?.auth.type} auth)${simulator ? "; the simulator's automation rules post there" : ""}`);
  }
  lines.push(`  Store          ${config.storePath} (SQLite: connectors, cursors, runs, outbox, dead letters)`);
  for (const [id, spec] of Object.entries(config.sinks)) lines.push(`  Sink           ${describeSink(id, spec)}`);
  if (server) {
    lines.push(`  HTTP           ${server.http.url}  (/metrics, /healthz, /readyz${config.connectors.some((c) => c.webhook) ? ", /webhooks/wiz/<connector>" : ""})`);
    lines.push(`  API            ${server.http.url}/api  (bearer token; e.g. GET /api/connectors, POST /api/connectors/<id>/sync, GET /api/sinks)`);
    lines.push(`  Console        ${server.http.url}/  (web console: sign in with an API token)`);
    lines.push(`  OpenAPI        ${server.http.url}/api/openapi.json  (every route, its role and its request and answer schemas)`);
  }
  if (server?.runtime && config.runtime) {
    const sources = Object.entries(config.runtime.config.sources).filter(([, s]) => s && s.enabled !== false).map(([name]) => name);
    lines.push(`  Runtime intake POST ${server.http.url}/ingest/<source>  (${sources.join(", ")}) -> Wiz tenant of connector ${server.runtime.connector}; \`wizbridge alerts list\` or GET ${server.http.url}/api/runtime/alerts/<id> shows each alert's state`);
  }
  lines.push("  Logs           stderr (pino JSON)");
  return lines.join("\n");
}

/** `wizbridge start`: every connector on its schedule until SIGINT/SIGTERM; resumes where it stopped. Returns the exit code. */
export async function runStartCommand(opts: StartCommandOptions, io: CommandIo): Promise<number> {
  const logger = io.logger ?? createSyncLogger(opts.logLevel);
  let resolved: ResolvedRunConfig;
  try {
    resolved = await resolveRunConfig(opts, io, logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.out.write(`wizbridge: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { config, simulator, webhookToken, demo } = resolved;
  const host = config.server?.host ?? opts.httpHost ?? "127.0.0.1";
  const exposed = openRoutesProblem(config, host);
  if (exposed) {
    io.out.write(`wizbridge: ${exposed}\n`);
    demo?.stop();
    await simulator?.close();
    return EXIT_CODES.input;
  }
  const stop = commandStopOf(io.signal);
  // A long-running job: each stream's run ends in a log line (`wiz: fetched 1234 issues`), long ones report every 10 s.
  const progress = createProgressReporter({ tty: false, out: io.out, logger });
  const session = await openSessionOrExplain(config, logger, { onProgress: progress.onProgress }, io);
  if (!session) {
    stop.release();
    demo?.stop();
    await simulator?.close();
    return EXIT_CODES.other;
  }
  let server: MainJobServer | undefined;
  try {
    server = await startMainJobServer({ config, session, logger, host, port: config.server?.port ?? opts.httpPort ?? DEFAULT_HTTP_PORT, env: { ...io.env } });
    const demoHook = server.webhookUrl(EMBEDDED_CONNECTOR_ID);
    if (simulator && webhookToken && demoHook) {
      simulator.webhooks.addTarget({ url: demoHook, events: ["issue.created", "issue.updated", "issue.resolved", "detection.created"], authHeader: { name: "Authorization", value: `Bearer ${webhookToken}` } });
    }
    // A demo tenant continued from the data dir resumes from the connector's cursors; a fresh one (first start, or
    // a state that could not be restored) is exported whole (event ids are stable, so deduplicating sinks see no change).
    if (demo && !demo.resumed) await session.engine.requestResync(EMBEDDED_CONNECTOR_ID);
    const firstToken = await adminTokenAtFirstStart(session);
    // The engine's config: the file's connectors and sinks plus those created through the API.
    io.out.write(`${describeRun(session.engine.config, simulator, server)}\n${firstToken}Press Ctrl+C to stop; the next start resumes where this one stopped.\n`);
    await Promise.all([session.engine.runScheduled(stop.signal), runScheduledWorkflows({ config, session, logger, signal: stop.signal })]);
    logger.info("stopping: the page in flight is abandoned without moving its cursor; delivery stops after its current batch");
  } finally {
    stop.release();
    await server?.close();
    await session.close();
    demo?.stop();
    await simulator?.close();
  }
  return 0;
}

/** At the first start (no token yet) an admin token is created and shown once; later starts say how to make more. */
async function adminTokenAtFirstStart(session: SyncSession): Promise<string> {
  const tokens = new ApiTokenRepository(session.store.db);
  if ((await tokens.activeCount()) > 0) return "  API tokens     `wizbridge token list` / `wizbridge token create --role viewer|operator|admin`\n";
  const token = await tokens.create("admin (first start)", "admin");
  return `  API token      ${token.secret}\n                 admin, shown this once (only its hash is kept): send it as \`Authorization: Bearer <token>\`\n`;
}

/**
 * Opens the store and engine, or says plainly why not (another process holds the store; the data
 * directory is read-only, missing or not a wizbridge store) and returns undefined, so the command exits
 * instead of printing a raw SQLite error and leaving the embedded simulator running.
 */
export async function openSessionOrExplain(config: SyncConfig, logger: Logger, extra: Parameters<typeof openSyncSession>[2], io: Pick<CommandIo, "out">): Promise<SyncSession | undefined> {
  try {
    return await openSyncSession(config, logger, extra);
  } catch (error) {
    if (error instanceof StoreLockedError) {
      io.out.write(`wizbridge: ${error.message}\n`);
      return undefined;
    }
    const reason = error instanceof Error ? error.message : String(error);
    io.out.write(
      `wizbridge: cannot open the store ${config.storePath}: ${reason}. Check that its directory exists and is writable by this user (or pass another --data-dir), and that the file is a wizbridge store; a damaged store can be moved aside to start afresh (the pull then exports everything again).\n`,
    );
    return undefined;
  }
}

export function registerStartCommand(program: Command): Command {
  return program
    .command("start")
    .description("Run the main job: every connector's streams on their schedules into their sinks, until stopped. Without --config: the simulator, one connector with every stream, SQLite and JSONL under --data-dir")
    .option("-c, --config <file>", "connector config file (YAML or JSON)")
    .option("--data-dir <dir>", "where the embedded default keeps its store and events", "./data")
    .option("--seed <n>", "seed of the embedded simulator's demo tenant", positiveNumber("--seed"), 1)
    .option("--http-host <host>", "address of the HTTP server (Wiz webhooks, /metrics) when the config has no server section", "127.0.0.1")
    .option("--http-port <port>", "port of that server (0: any free port)", positiveNumber("--http-port"), DEFAULT_HTTP_PORT)
    .option("--log-level <level>", "log level: fatal, error, warn, info, debug", "info")
    .action(async (opts: StartCommandOptions) => {
      process.exitCode = await runStartCommand(opts, { out: process.stdout, env: process.env });
    });
}
