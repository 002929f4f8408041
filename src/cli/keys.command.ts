import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { SecretBoxError } from "../store/secret-box.js";
import { StoreLockedError } from "../store/store-lock.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { CliInputError } from "./cli-input-error.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES } from "./exit-codes.js";
import { rotateMasterKeys } from "./keys-rotation.js";
import { readKeysStatus, renderKeysStatus } from "./keys-status.js";
import { profileFilePath } from "./profile-file.js";
import { MASTER_KEY_ENV, NEW_MASTER_KEY_ENV } from "../store/master-key.js";

export interface KeysCommandOptions {
  config?: string;
  dataDir: string;
  json: boolean;
}

export interface KeysCommandIo {
  out: { write(chunk: string): unknown };
  err: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** The store of --config (its store.path, else dataDir) or of --data-dir; its master key sits beside it. */
function storeLocation(opts: KeysCommandOptions, env: NodeJS.ProcessEnv): { dataDir: string; storePath: string } {
  if (!opts.config) return { dataDir: resolve(opts.dataDir), storePath: resolve(opts.dataDir, "wizbridge.db") };
  const config = loadSyncConfigFile(opts.config, { validator: new WizFilterValidator(loadWizSchema()), env });
  return { dataDir: dirname(config.storePath), storePath: config.storePath };
}

/** Prints a failure and returns its exit code: input problems (bad or missing key, config) 2, a held store lock 1. */
function failed(error: unknown, io: KeysCommandIo): number {
  if (error instanceof StoreLockedError) {
    io.err.write(`wizbridge: ${error.message}\n  keys rotate needs the store to itself, like \`sync\`: stop \`wizbridge start\`, rotate, then start it again.\n`);
    return EXIT_CODES.other;
  }
  if (error instanceof ConfigError || error instanceof SecretBoxError) {
    io.err.write(`wizbridge: ${error.message}\n`);
    return EXIT_CODES.input;
  }
  if (error instanceof CliInputError) {
    io.err.write(`${formatCliError(error)}\n`);
    return EXIT_CODES.input;
  }
  throw error;
}

/** `wizbridge keys status`: where each master key comes from, its key id (never the key) and what it seals. */
export async function runKeysStatusCommand(opts: KeysCommandOptions, io: KeysCommandIo): Promise<number> {
  try {
    const status = await readKeysStatus({ ...storeLocation(opts, io.env), profilePath: resolve(profileFilePath(io.env)), env: io.env });
    io.out.write(opts.json ? `${JSON.stringify(status)}\n` : renderKeysStatus(status));
    return EXIT_CODES.ok;
  } catch (error) {
    return failed(error, io);
  }
}

/** `wizbridge keys rotate`: a new master key, every stored and profile secret sealed again under it. */
export async function runKeysRotateCommand(opts: KeysCommandOptions, io: KeysCommandIo): Promise<number> {
  try {
    const result = await rotateMasterKeys({
      ...storeLocation(opts, io.env),
      profilePath: resolve(profileFilePath(io.env)),
      env: io.env,
      now: (io.now ?? Date.now)(),
      command: "wizbridge keys rotate",
    });
    if (opts.json) {
      io.out.write(`${JSON.stringify(result)}\n`);
      return EXIT_CODES.ok;
    }
    if (result.keys.length === 0) io.out.write("No master key and no encrypted secret yet: nothing to rotate.\n");
    for (const key of result.keys) {
      io.out.write(`Rotated ${key.source}: key ${key.fromKeyId} -> ${key.toKeyId}; re-encrypted ${key.storeSecrets} stored secret(s) and ${key.profileSecrets} profile secret(s).\n`);
    }
    if (result.envUpdate && result.keys.length > 0) io.out.write(`Now set ${MASTER_KEY_ENV} to the value of ${NEW_MASTER_KEY_ENV} wherever wizbridge runs (and unset ${NEW_MASTER_KEY_ENV}): the old key no longer opens anything.\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    return failed(error, io);
  }
}

export function registerKeysCommand(program: Command, io: KeysCommandIo): Command {
  const keys = program.command("keys").description("The master key that encrypts stored secrets and profile secrets: status, rotate");
  const common = (c: Command): Command =>
    c
      .option("-c, --config <file>", "the connector config file: master.key sits beside the store it names")
      .option("--data-dir <dir>", "the main job's data directory (store <dir>/wizbridge.db, key <dir>/master.key)", "./data")
      .option("--json", "print JSON", false);
  common(keys.command("status").description("Where each master key comes from (WIZBRIDGE_MASTER_KEY or a key file) and its key id; never the key")).action(async (opts: KeysCommandOptions) => {
    process.exitCode = await runKeysStatusCommand(opts, io);
  });
  common(
    keys
      .command("rotate")
      .description(
        `Generate a new master key and re-encrypt every stored secret and the profile file's encrypted secrets; with ${MASTER_KEY_ENV} set, the new key comes from ${NEW_MASTER_KEY_ENV}. Stop \`wizbridge start\` first.`,
      ),
  ).action(async (opts: KeysCommandOptions) => {
    process.exitCode = await runKeysRotateCommand(opts, io);
  });
  return keys;
}
