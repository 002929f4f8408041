import { dirname } from "node:path";
import type { Command } from "commander";
import { loadMasterKey } from "../store/master-key.js";
import { SecretBoxError } from "../store/secret-box.js";
import type { CliIo } from "./cli-io.js";
import { CliInputError } from "./cli-input-error.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES } from "./exit-codes.js";
import { saveProfile } from "./profile-file-writer.js";
import { DEFAULT_PROFILE, loadConnectionProfile, profileFilePath, readProfileFile, type ConnectionProfile } from "./profile-file.js";

export interface LoginFlags extends ConnectionFlags {
  clientSecretStdin?: boolean;
  plaintext?: boolean;
}

export interface LoginIo extends Pick<CliIo, "stdout" | "stderr" | "env" | "readStdin"> {
  /** Asks for the secret without echo; undefined when there is no terminal. */
  promptSecret?: (question: string) => Promise<string | undefined>;
}

const SETTING_KEYS = ["clientId", "region", "endpoint", "tenantType", "authFlavor", "tokenUrl", "audience", "proxy", "caFile", "allowNonWizHosts"] as const;

/**
 * `wizbridge login`: writes a profile of the profile file from the flags given, keeping its other settings.
 * The client secret (stdin, WIZ_CLIENT_SECRET, --client-secret, a prompt, or the one the profile already has)
 * is stored encrypted under the master key beside the profile file, unless --plaintext.
 */
export async function runLoginCommand(flags: LoginFlags, io: LoginIo): Promise<number> {
  const secrets: string[] = [];
  try {
    const path = profileFilePath(io.env);
    const name = flags.profile ?? (io.env.WIZBRIDGE_PROFILE || DEFAULT_PROFILE);
    const exists = Object.hasOwn(readProfileFile(path, undefined) ?? {}, name);
    const settings: ConnectionProfile = {};
    for (const key of SETTING_KEYS) if (flags[key] !== undefined) Object.assign(settings, { [key]: flags[key] });
    let secret = await newSecret(flags, io);
    // No new secret: the profile's own is kept (and sealed, when it was plain text).
    if (secret === undefined && exists) secret = loadConnectionProfile(path, name, undefined, { env: io.env }).clientSecret;
    if (secret === undefined || secret === "") {
      throw new CliInputError(
        `No client secret for profile "${name}".`,
        "pipe it in with --client-secret-stdin (e.g. `wizbridge login --client-secret-stdin < secret.txt`), set WIZ_CLIENT_SECRET, or run `wizbridge login` in a terminal to be asked for it.",
      );
    }
    secrets.push(secret);
    const existingId = exists ? readProfileFile(path, undefined)?.[name]?.clientId : undefined;
    if (settings.clientId === undefined && existingId === undefined) {
      throw new CliInputError(`No client id for profile "${name}".`, "pass --client-id (the service account's Client ID, Settings > Access Management > Service Accounts).");
    }
    const box = flags.plaintext ? undefined : loadMasterKey({ dataDir: dirname(path), env: io.env, create: true });
    saveProfile(path, name, { ...settings, clientSecret: secret }, box);
    const how = box ? `clientSecret encrypted with master key ${box.keyId} (${box.source})` : "clientSecret in plain text (--plaintext); run `wizbridge login` again without it to encrypt it";
    io.stdout.write(`Saved profile "${name}" to ${path}: ${how}.\nCheck it with \`wizbridge test-connection${name === DEFAULT_PROFILE ? "" : ` --profile ${name}`}\`.\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof SecretBoxError) {
      io.stderr.write(`wizbridge: ${error.message}\n`);
      return EXIT_CODES.input;
    }
    io.stderr.write(`${formatCliError(error, { secrets })}\n`);
    return error instanceof CliInputError ? EXIT_CODES.input : EXIT_CODES.other;
  }
}

async function newSecret(flags: LoginFlags, io: LoginIo): Promise<string | undefined> {
  if (flags.clientSecretStdin) {
    const text = (await io.readStdin()).trim();
    if (text === "") throw new CliInputError("--client-secret-stdin read nothing from stdin.", "pipe the secret in, e.g. `wizbridge login --client-secret-stdin < secret.txt`.");
    return text;
  }
  const given = flags.clientSecret ?? (io.env.WIZ_CLIENT_SECRET || undefined);
  if (given !== undefined) return given.trim();
  return io.promptSecret ? (await io.promptSecret("Client secret (not shown; Enter to keep the profile's): "))?.trim() || undefined : undefined;
}

export function registerLoginCommand(program: Command, io: LoginIo): Command {
  const command = program
    .command("login")
    .description("Save a tenant connection as a profile (default: `default`) of the profile file, its client secret encrypted under the master key beside it")
    .option("--client-secret-stdin", "read the client secret from stdin (keeps it out of the shell history and process list)")
    .option("--plaintext", "store the client secret in plain text instead of encrypted (not recommended)");
  addConnectionOptions(command);
  command.action(async (flags: LoginFlags) => {
    process.exitCode = await runLoginCommand(flags, io);
  });
  return command;
}
