import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFileAtomically } from "./private-file.js";
import { MASTER_KEY_BYTES, SecretBox, SecretBoxError } from "./secret-box.js";

/** The env var holding the master key (base64 or hex of 32 bytes); it wins over any key file. */
export const MASTER_KEY_ENV = "WIZBRIDGE_MASTER_KEY";
/** The env var `keys rotate` takes the new key from when the current one comes from MASTER_KEY_ENV. */
export const NEW_MASTER_KEY_ENV = "WIZBRIDGE_NEW_MASTER_KEY";
export const MASTER_KEY_FILE = "master.key";

/** `<dir>/master.key`: beside the store (the data dir) or beside the profile file. */
export function masterKeyPath(dataDir: string): string {
  return join(dataDir, MASTER_KEY_FILE);
}

/** Where the master key comes from; never the key itself. */
export type MasterKeySource = { kind: "env"; name: string } | { kind: "file"; path: string; exists: boolean };

/** The source loadMasterKey would use, without reading or creating anything. */
export function masterKeySource(options: { dataDir: string; env: NodeJS.ProcessEnv }): MasterKeySource {
  if (options.env[MASTER_KEY_ENV]) return { kind: "env", name: MASTER_KEY_ENV };
  const path = masterKeyPath(options.dataDir);
  return { kind: "file", path, exists: existsSync(path) };
}

/**
 * The master key as a SecretBox: WIZBRIDGE_MASTER_KEY wins (base64 or hex, 32 bytes); else `<dataDir>/master.key`,
 * created (0600, directory 0700) when `create` is true. A key file others can read is refused, since anyone who
 * can read it can read every stored secret.
 */
export function loadMasterKey(options: { dataDir: string; env: NodeJS.ProcessEnv; create: boolean }): SecretBox {
  const fromEnv = options.env[MASTER_KEY_ENV];
  if (fromEnv) return new SecretBox(parseMasterKey(fromEnv, MASTER_KEY_ENV), { source: MASTER_KEY_ENV });
  const path = masterKeyPath(options.dataDir);
  if (!existsSync(path)) {
    if (!options.create) {
      throw new SecretBoxError(
        `no master key: ${MASTER_KEY_ENV} is not set and ${path} does not exist, so the encrypted secrets cannot be opened. ` +
          `Set ${MASTER_KEY_ENV} to the key they were sealed with, or restore ${path} from a backup (or point --data-dir at the right directory).`,
        "missing-key",
      );
    }
    const key = SecretBox.generateKey();
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    writeKeyFileAtomically(path, key);
    return new SecretBox(key, { source: path });
  }
  return readKeyFile(path);
}

/** Reads a key file, refusing one readable or writable by group or others. */
export function readKeyFile(path: string): SecretBox {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretBoxError(
      `the master key file ${path} is readable or writable by others (mode ${mode.toString(8).padStart(4, "0")}); anyone who can read it can read every stored secret. ` +
        `Fix it with \`chmod 600 ${path}\` (and check who could have copied it).`,
      "bad-key",
    );
  }
  return new SecretBox(parseMasterKey(readFileSync(path, "utf8").trim(), path), { source: path });
}

/**
 * 32 bytes from base64 (standard or url-safe) or 64 hex characters. The message names the source and the
 * length it found, never the value.
 */
export function parseMasterKey(text: string, source: string): Buffer {
  const value = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) key = Buffer.from(value, value.includes("-") || value.includes("_") ? "base64url" : "base64");
  if (key?.length !== MASTER_KEY_BYTES) {
    const found = key ? `it decodes to ${key.length} bytes` : `it is ${value.length} characters that are neither hex nor base64`;
    throw new SecretBoxError(
      `${source}: expected a ${MASTER_KEY_BYTES}-byte master key as base64 (44 characters) or hex (64 characters), but ${found}. Generate one with \`openssl rand -base64 32\`.`,
      "bad-key",
    );
  }
  return key;
}

/** Writes a key file as base64, mode 0600, through a temporary file and a rename: a crash leaves the old file or the new one, never half of one. */
export function writeKeyFileAtomically(path: string, key: Buffer): void {
  writePrivateFileAtomically(path, `${key.toString("base64")}\n`);
}
