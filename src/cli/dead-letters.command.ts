import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { DeadLetterRepository } from "../store/dead-letter.repository.js";
import { openStore } from "../store/store-database.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import { createSyncLogger } from "../sync/sync-logger.js";
import { openSyncSession } from "../sync/sync-session.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import type { CommandIo } from "./start.command.js";
import { counted } from "../sync/connector-status.js";

export interface DeadLettersCommandOptions {
  config?: string;
  dataDir: string;
  connector?: string;
  sink?: string;
  replay: boolean;
  all: boolean;
  json: boolean;
  logLevel: string;
}

/**
 * `wizbridge dead-letters`: events a sink refused for good, with the reason; `--replay` writes them to
 * the sink again once the cause is fixed (it needs the config, which says how to reach the sink).
 */
export async function runDeadLettersCommand(opts: DeadLettersCommandOptions, io: CommandIo): Promise<number> {
  if (opts.replay) {
    if (!opts.config || !opts.connector || !opts.sink) {
      io.out.write("wizbridge: --replay needs --config (to reach the sink), --connector and --sink.\n");
      return 2;
    }
    const logger = io.logger ?? createSyncLogger(opts.logLevel);
    let config;
    try {
      config = loadSyncConfigFile(opts.config, { validator: new WizFilterValidator(loadWizSchema()), env: io.env, onWarning: (m) => logger.warn(m) });
    } catch (error) {
      if (error instanceof ConfigError) {
        io.out.write(`wizbridge: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const session = await openSyncSession(config, logger);
    try {
      const replayed = await session.engine.replayDeadLetters(opts.connector, opts.sink);
      io.out.write(`replayed ${counted(replayed, "dead letter")} of ${opts.connector} to ${opts.sink}\n`);
      return 0;
    } catch (error) {
      io.out.write(`wizbridge: replay failed: ${error instanceof Error ? error.message : String(error)}. The dead letters stay pending; fix the sink and run --replay again.\n`);
      return 1;
    } finally {
      await session.close();
    }
  }
  const path = resolve(opts.dataDir, "wizbridge.db");
  if (!existsSync(path)) {
    io.out.write(`wizbridge: no store at ${path}; pass --data-dir where start/sync keep their state.\n`);
    return 2;
  }
  const store = await openStore(path);
  try {
    const letters = await new DeadLetterRepository(store.db).list({ ...(opts.connector ? { connectorId: opts.connector } : {}), ...(opts.sink ? { sinkId: opts.sink } : {}), pendingOnly: !opts.all });
    if (opts.json) io.out.write(`${JSON.stringify(letters.map(({ payload: _payload, ...rest }) => rest))}\n`);
    else if (letters.length === 0) io.out.write("No dead letters.\n");
    else {
      for (const l of letters) {
        io.out.write(`${l.id}\t${l.connectorId}\t${l.sinkId}\t${l.stream}\t${l.eventId}\t${new Date(l.failedAt).toISOString()}${l.replayedAt ? "\treplayed" : ""}\t${l.reason}\n`);
      }
      io.out.write(`${counted(letters.length, "dead letter")}. Fix the cause, then: wizbridge dead-letters --replay --config <file> --connector <id> --sink <id>\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

export function registerDeadLettersCommand(program: Command): Command {
  return program
    .command("dead-letters")
    .description("List events a sink refused for good (with the reason), or --replay them to the sink after fixing the cause")
    .option("-c, --config <file>", "connector config file (needed for --replay)")
    .option("--data-dir <dir>", "the data directory of `start`/`sync`", "./data")
    .option("--connector <id>", "only this connector")
    .option("--sink <id>", "only this sink")
    .option("--replay", "write the pending dead letters to the sink again", false)
    .option("--all", "include dead letters already replayed", false)
    .option("--json", "print JSON (without payloads)", false)
    .option("--log-level <level>", "log level: fatal, error, warn, info, debug", "warn")
    .action(async (opts: DeadLettersCommandOptions) => {
      process.exitCode = await runDeadLettersCommand(opts, { out: process.stdout, env: process.env });
    });
}
