import type { Command } from "commander";
import { runSinkSelfTest } from "../sync/sink-self-test.js";
import type { Logger } from "pino";
import type { SinkTestStep } from "../sinks/sink.js";
import { createSink, describeSink } from "../sinks/sink-registry.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import type { SyncConfig } from "../sync/sync-config.js";
import { createSyncLogger } from "../sync/sync-logger.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CommandIo } from "./start.command.js";

export interface SinkCommandOptions {
  config: string;
  json: boolean;
  logLevel: string;
}

type LoadedConfig = { config: SyncConfig; logger: Logger } | { exitCode: number };

function loadConfig(opts: SinkCommandOptions, io: CommandIo): LoadedConfig {
  const logger = io.logger ?? createSyncLogger(opts.logLevel);
  try {
    return { config: loadSyncConfigFile(opts.config, { validator: new WizFilterValidator(loadWizSchema()), env: io.env, onWarning: (m) => logger.warn(m) }), logger };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.out.write(`wizbridge: ${error.message}\n`);
      return { exitCode: EXIT_CODES.input };
    }
    throw error;
  }
}

function unknownSink(config: SyncConfig, name: string, io: CommandIo): number {
  const known = Object.keys(config.sinks);
  io.out.write(`wizbridge: no sink named "${name}" in the config; its sinks: ${known.length > 0 ? known.join(", ") : "(none)"}.\n`);
  return EXIT_CODES.input;
}

/** `wizbridge sink list`: every configured sink, where it writes and which connectors feed it. */
export function runSinkListCommand(opts: SinkCommandOptions, io: CommandIo): number {
  const loaded = loadConfig(opts, io);
  if ("exitCode" in loaded) return loaded.exitCode;
  const { config } = loaded;
  const rows = Object.entries(config.sinks).map(([id, settings]) => ({
    sink: id,
    type: settings.type,
    target: describeSink(id, settings),
    connectors: config.connectors.filter((c) => c.sinks.includes(id)).map((c) => c.id),
  }));
  if (opts.json) io.out.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) io.out.write(`${r.target}  [${r.type}; fed by ${r.connectors.length > 0 ? r.connectors.join(", ") : "no connector"}]\n`);
  return EXIT_CODES.ok;
}

/**
 * `wizbridge sink test <name>`: connects, authenticates and writes one marked test event, printing PASS or
 * FAIL per step with the fix. Exit 0 when every step passed, 6 when one failed.
 */
export async function runSinkTestCommand(name: string, opts: SinkCommandOptions, io: CommandIo): Promise<number> {
  const loaded = loadConfig(opts, io);
  if ("exitCode" in loaded) return loaded.exitCode;
  const { config, logger } = loaded;
  const settings = config.sinks[name];
  if (!settings) return unknownSink(config, name, io);
  const { steps } = await runSinkSelfTest(name, settings, { logger, now: Date.now });
  return report(name, settings.type, steps, opts, io);
}

/** `wizbridge sink setup <name>`: installs what the destination needs (index template, stream, tables). */
export async function runSinkSetupCommand(name: string, opts: SinkCommandOptions, io: CommandIo): Promise<number> {
  const loaded = loadConfig(opts, io);
  if ("exitCode" in loaded) return loaded.exitCode;
  const { config, logger } = loaded;
  const settings = config.sinks[name];
  if (!settings) return unknownSink(config, name, io);
  const sink = createSink(name, settings, { logger, baseDir: process.cwd(), now: Date.now });
  try {
    if (!sink.setup) {
      io.out.write(`${name} (${settings.type}) needs no setup: it writes to what exists. Run \`wizbridge sink test ${name}\` to check it.\n`);
      return EXIT_CODES.ok;
    }
    const done = await sink.setup();
    for (const line of done) io.out.write(`${line}\n`);
    io.out.write(`${name}: setup complete. Run \`wizbridge sink test ${name}\` to check it end to end.\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    io.out.write(`wizbridge: setup of ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.network;
  } finally {
    await sink.close().catch(() => undefined);
  }
}

function report(name: string, type: string, steps: readonly SinkTestStep[], opts: SinkCommandOptions, io: CommandIo): number {
  const ok = steps.length > 0 && steps.every((s) => s.ok);
  if (opts.json) io.out.write(`${JSON.stringify({ sink: name, type, ok, steps })}\n`);
  else {
    for (const s of steps) io.out.write(`${s.ok ? "PASS" : "FAIL"}  ${s.step}: ${s.detail}${!s.ok && s.fix ? `\n      fix: ${s.fix}` : ""}\n`);
    io.out.write(ok ? `${name} (${type}): all checks passed.\n` : `${name} (${type}): ${steps.filter((s) => !s.ok).length} of ${steps.length} checks failed.\n`);
  }
  return ok ? EXIT_CODES.ok : EXIT_CODES.network;
}

export function registerSinkCommand(program: Command, io: CommandIo): Command {
  const sink = program.command("sink").description("Configured sinks: list them, test one end to end, set one up (index template, stream, tables)");
  const common = (c: Command): Command =>
    c
      .requiredOption("-c, --config <file>", "connector config file (YAML or JSON) that defines the sink")
      .option("--json", "print JSON", false)
      .option("--log-level <level>", "log level on stderr", "warn");
  common(sink.command("list").description("List the sinks of the config, where each writes and which connectors feed it")).action((opts: SinkCommandOptions) => {
    process.exitCode = runSinkListCommand(opts, io);
  });
  common(sink.command("test <name>").description("Connect, authenticate and write one marked test event; PASS/FAIL per step with the fix")).action(async (name: string, opts: SinkCommandOptions) => {
    process.exitCode = await runSinkTestCommand(name, opts, io);
  });
  common(sink.command("setup <name>").description("Install what the destination needs (an index template, a JetStream stream, tables); idempotent")).action(async (name: string, opts: SinkCommandOptions) => {
    process.exitCode = await runSinkSetupCommand(name, opts, io);
  });
  return sink;
}
