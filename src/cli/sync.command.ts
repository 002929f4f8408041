import type { Command } from "commander";
import { commandStopOf } from "./stop-signal.js";
import { isStreamName, STREAM_NAMES, type StreamName } from "../model/stream-name.js";
import { ConfigError } from "../sync/config-error.js";
import { EMBEDDED_CONNECTOR_ID } from "../sync/embedded-default.js";
import { createProgressReporter } from "../sync/sync-progress.js";
import { createSyncLogger } from "../sync/sync-logger.js";
import { syncOnce } from "../sync/sync-session.js";
import { loadManagedCatalog, masterKeyForStore } from "../sync/managed-catalog.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { EXIT_CODES } from "./exit-codes.js";
import { openSessionOrExplain, positiveNumber, resolveRunConfig, type CommandIo, type ResolvedRunConfig } from "./start.command.js";

export interface SyncCommandOptions {
  config?: string;
  dataDir: string;
  connector: string[];
  stream: string[];
  full: boolean;
  drainTimeout: number;
  logLevel: string;
  seed: number;
  json: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `wizbridge sync`: the selected connectors' streams once, delivered, then exit. Returns the exit code. */
export async function runSyncCommand(opts: SyncCommandOptions, io: CommandIo & { tty?: boolean }): Promise<number> {
  const logger = io.logger ?? createSyncLogger(opts.logLevel);
  const unknownStreams = opts.stream.filter((s) => !isStreamName(s));
  if (unknownStreams.length > 0) {
    io.out.write(`wizbridge: unknown stream ${unknownStreams.map((s) => `"${s}"`).join(", ")} for --stream; streams are ${STREAM_NAMES.join(", ")}.\n`);
    return 2;
  }
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
  const { config: fileConfig, simulator } = resolved;
  const stop = commandStopOf(io.signal);
  // With a stdout sink, stdout carries the events: the progress and the run summary go to stderr.
  const report = Object.values(fileConfig.sinks).some((sink) => sink.type === "stdout") ? (io.err ?? process.stderr) : io.out;
  const progress = createProgressReporter({ tty: !opts.json && (io.tty ?? false), out: report, logger });
  const session = await openSessionOrExplain(fileConfig, logger, { onProgress: (id, p, final) => progress.onProgress(id, p, final) }, io);
  if (!session) {
    stop.release();
    await simulator?.close();
    return EXIT_CODES.other;
  }
  const refuse = async (message: string, code: number): Promise<number> => {
    io.out.write(`wizbridge: ${message}\n`);
    stop.release();
    await session.close();
    await simulator?.close();
    return code;
  };
  // Connectors and sinks created through the API are in the store: they sync here too.
  await session.engine.prepare();
  await loadManagedCatalog({ engine: session.engine, store: session.store, masterKey: masterKeyForStore(session.store.path, { ...io.env }), validator: new WizFilterValidator(loadWizSchema()), dataDir: fileConfig.dataDir, logger, now: Date.now });
  const config = session.engine.config;
  const known = config.connectors.map((c) => c.id);
  const unknownConnectors = opts.connector.filter((c) => !known.includes(c));
  if (unknownConnectors.length > 0) {
    return refuse(`no connector ${unknownConnectors.map((c) => `"${c}"`).join(", ")} in the config or the store (--connector); connectors are ${known.join(", ")}.`, 2);
  }
  // A stream no selected connector syncs would "succeed" doing nothing.
  const selected = config.connectors.filter((c) => opts.connector.length === 0 || opts.connector.includes(c.id));
  const notSynced = opts.stream.filter((s) => !selected.some((c) => c.streams.some((cs) => cs.name === s)));
  if (notSynced.length > 0) {
    return refuse(
      `no selected connector syncs ${notSynced.map((s) => `"${s}"`).join(", ")} (--stream); ${selected.map((c) => `${c.id} syncs ${c.streams.map((cs) => cs.name).join(", ") || "nothing"}`).join("; ")}. Add the stream under the connector's streams: in the config, or pick one of those.`,
      EXIT_CODES.input,
    );
  }
  try {
    // A fresh embedded simulator is a new tenant: export it in full.
    const full = opts.full || simulator !== undefined;
    const result = await syncOnce(session, {
      ...(opts.connector.length > 0 ? { connectors: opts.connector } : simulator ? { connectors: [EMBEDDED_CONNECTOR_ID] } : {}),
      ...(opts.stream.length > 0 ? { streams: opts.stream as StreamName[] } : {}),
      full,
      drainTimeoutMs: opts.drainTimeout * 1000,
      signal: stop.signal,
    });
    if (opts.json) {
      report.write(`${JSON.stringify({ ...result, stopped: stop.signal.aborted })}\n`);
    } else {
      for (const summary of result.summaries) {
        report.write(`${summary.connectorId}: run ${summary.runId} ${summary.status}${summary.error ? ` (${summary.error.code}: ${summary.error.message}${summary.error.fix ? ` Fix: ${summary.error.fix}` : ""})` : ""}\n`);
        for (const s of summary.streams) {
          report.write(`  ${s.stream.padEnd(24)} ${String(s.records).padStart(9)} records ${String(s.emitted).padStart(9)} new or changed ${String(s.pages).padStart(6)} pages  ${s.status}\n`);
        }
      }
      if (result.undelivered > 0) report.write(`${result.undelivered} deliveries are still waiting in the outbox (a sink is down or slow: \`wizbridge status\` shows which, and why); the next sync or start delivers them.\n`);
    }
    if (stop.signal.aborted) return 130;
    const failed = result.summaries.find((s) => s.status !== "succeeded");
    // The documented exit codes: 3 when Wiz refused the credentials, 6 when it could not be reached, ...
    if (failed) return EXIT_CODES[failed.error?.kind ?? failed.streams.find((s) => s.error?.kind)?.error?.kind ?? "other"];
    // The pull worked but a sink did not take everything: not a success a script may build on.
    return result.undelivered > 0 ? EXIT_CODES.network : EXIT_CODES.ok;
  } finally {
    stop.release();
    await session.close();
    await simulator?.close();
  }
}

export function registerSyncCommand(program: Command): Command {
  return program
    .command("sync")
    .description("Sync once and exit: each connector's streams (full the first time, then incremental) into its sinks. Without --config: the embedded demo tenant")
    .option("-c, --config <file>", "connector config file (YAML or JSON)")
    .option("--data-dir <dir>", "where the embedded default keeps its store and events", "./data")
    .option("--connector <id>", "only this connector; repeatable", collect, [])
    .option("--stream <name>", `only this stream (${STREAM_NAMES.join(", ")}); repeatable`, collect, [])
    .option("--full", "full resync of the selected streams: forget their cursors and export everything again", false)
    .option("--drain-timeout <seconds>", "how long to wait for the sinks to take every event before exiting", positiveNumber("--drain-timeout"), 60)
    .option("--seed <n>", "seed of the embedded simulator's demo tenant", positiveNumber("--seed"), 1)
    .option("--log-level <level>", "log level: fatal, error, warn, info, debug", "info")
    .option("--json", "print the run summaries as one JSON line", false)
    .action(async (opts: SyncCommandOptions) => {
      process.exitCode = await runSyncCommand(opts, { out: process.stdout, env: process.env, tty: process.stdout.isTTY === true });
    });
}
