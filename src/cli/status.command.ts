import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { openStore } from "../store/store-database.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { connectorStatuses, renderConnectorStatuses } from "../sync/connector-status.js";
import type { CommandIo } from "./start.command.js";

export interface StatusCommandOptions {
  /** The connector config file: its store is the one read. */
  config?: string;
  dataDir: string;
  store?: string;
  connector: string[];
  runs: number;
  json: boolean;
}

/** `wizbridge status`: connector states, cursors, outbox backlog, dead letters and recent runs, read from the store. */
export async function runStatusCommand(opts: StatusCommandOptions, io: Pick<CommandIo, "out"> & { env?: CommandIo["env"] }): Promise<number> {
  let path = resolve(opts.store ?? resolve(opts.dataDir, "wizbridge.db"));
  if (opts.config && !opts.store) {
    try {
      path = loadSyncConfigFile(opts.config, { validator: new WizFilterValidator(loadWizSchema()), env: io.env ?? process.env }).storePath;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.out.write(`wizbridge: ${error.message}\n`);
      return 2;
    }
  }
  if (!existsSync(path)) {
    io.out.write(`wizbridge: no store at ${path}. Run \`wizbridge start\` or \`wizbridge sync\` first, or pass --data-dir / --store where it keeps its state.\n`);
    return 2;
  }
  const store = await openStore(path);
  try {
    const statuses = await connectorStatuses(store.db, { connectors: opts.connector, runs: opts.runs });
    if (opts.connector.length > 0 && statuses.length === 0) {
      io.out.write(`wizbridge: no connector ${opts.connector.map((c) => `"${c}"`).join(", ")} in ${path}.\n`);
      return 2;
    }
    io.out.write(opts.json ? `${JSON.stringify(statuses)}\n` : renderConnectorStatuses(statuses));
    return 0;
  } finally {
    await store.close();
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerStatusCommand(program: Command): Command {
  return program
    .command("status")
    .description("Show each connector's state (Registered, Scheduled, Processing, Processed, Failed, Disabled), stream cursors, outbox backlog, dead letters and recent runs")
    .option("-c, --config <file>", "the connector config file: read the store it names")
    .option("--data-dir <dir>", "the data directory of `start`/`sync` (its store is <dir>/wizbridge.db)", "./data")
    .option("--store <file>", "the SQLite store file, when the config puts it elsewhere")
    .option("--connector <id>", "only this connector; repeatable", collect, [])
    .option("--runs <n>", "recent runs to show per connector", (v) => Math.max(0, Number.parseInt(v, 10) || 0), 5)
    .option("--json", "print JSON", false)
    .action(async (opts: StatusCommandOptions) => {
      process.exitCode = await runStatusCommand(opts, { out: process.stdout });
    });
}
