import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { countStoredSecrets } from "../store/credential.repository.js";
import { masterKeySource, readKeyFile, parseMasterKey, MASTER_KEY_ENV } from "../store/master-key.js";
import { leftoverKeyFiles } from "../store/master-key-rotation.js";
import { SecretBox } from "../store/secret-box.js";
import { openStore } from "../store/store-database.js";
import { countProfileSecrets } from "./profile-file-writer.js";

/** Where one master key comes from and its public id; never the key. */
export interface KeyStatus {
  /** "WIZBRIDGE_MASTER_KEY" or the key file's path. */
  source: string;
  /** Undefined when there is no key yet, or it cannot be read (see problem). */
  keyId?: string;
  problem?: string;
  /** master.key.new / .old left by an interrupted rotation. */
  leftovers: string[];
}

/** What `keys status` reports for the store and for the profile file. */
export interface KeysStatus {
  store: { path: string; exists: boolean; key: KeyStatus; secretsByKey: Record<string, number> };
  profiles: { path: string; exists: boolean; key: KeyStatus; encrypted: number; plainText: string[]; secretsByKey: Record<string, number> };
}

function keyStatus(dir: string, env: NodeJS.ProcessEnv): KeyStatus {
  const source = masterKeySource({ dataDir: dir, env });
  const leftovers = source.kind === "file" ? leftoverKeyFiles(dir) : [];
  try {
    if (source.kind === "env") return { source: source.name, keyId: new SecretBox(parseMasterKey(env[MASTER_KEY_ENV] ?? "", MASTER_KEY_ENV)).keyId, leftovers };
    if (!source.exists) return { source: source.path, leftovers };
    return { source: source.path, keyId: readKeyFile(source.path).keyId, leftovers };
  } catch (error) {
    return { source: source.kind === "env" ? source.name : source.path, problem: (error as Error).message, leftovers };
  }
}

/** Reads where the keys come from and how many secrets each seals, without opening any secret or taking the store lock. */
export async function readKeysStatus(target: { dataDir: string; storePath: string; profilePath: string; env: NodeJS.ProcessEnv }): Promise<KeysStatus> {
  const storeExists = existsSync(target.storePath);
  let secretsByKey: Record<string, number> = {};
  if (storeExists) {
    const store = await openStore(target.storePath);
    try {
      secretsByKey = await countStoredSecrets(store.db);
    } finally {
      await store.close();
    }
  }
  const profileCounts = countProfileSecrets(target.profilePath);
  return {
    store: { path: target.storePath, exists: storeExists, key: keyStatus(resolve(target.dataDir), target.env), secretsByKey },
    profiles: {
      path: target.profilePath,
      exists: profileCounts !== undefined,
      key: keyStatus(resolve(dirname(target.profilePath)), target.env),
      encrypted: profileCounts?.encrypted ?? 0,
      plainText: profileCounts?.plainText ?? [],
      secretsByKey: profileCounts?.byKey ?? {},
    },
  };
}

function renderKey(key: KeyStatus): string[] {
  const lines: string[] = [];
  if (key.problem) lines.push(`  master key   ${key.source}: ${key.problem}`);
  else if (key.keyId) lines.push(`  master key   ${key.source} (key id ${key.keyId})`);
  else lines.push(`  master key   none yet: ${key.source} is created (mode 0600) when the first secret is stored`);
  if (key.leftovers.length > 0) lines.push(`  note         ${key.leftovers.join(", ")} left by an interrupted \`wizbridge keys rotate\`: run it again to finish`);
  return lines;
}

function renderCounts(byKey: Record<string, number>, key: KeyStatus): string[] {
  const entries = Object.entries(byKey);
  if (entries.length === 0) return ["  secrets      none stored"];
  const lines = [`  secrets      ${entries.map(([id, n]) => `${n} sealed under ${id}`).join(", ")}`];
  const foreign = entries.filter(([id]) => key.keyId !== undefined && id !== key.keyId);
  if (foreign.length > 0) lines.push(`  warning      ${foreign.map(([id, n]) => `${n} under ${id}`).join(", ")}: not the current key (${key.keyId}), so they do not open; use the key they were sealed with`);
  return lines;
}

/** The human-readable `keys status`. */
export function renderKeysStatus(status: KeysStatus): string {
  const lines: string[] = [];
  lines.push(`Store ${status.store.path}${status.store.exists ? "" : " (none yet)"}`, ...renderKey(status.store.key));
  if (status.store.exists) lines.push(...renderCounts(status.store.secretsByKey, status.store.key));
  lines.push(`Profile file ${status.profiles.path}${status.profiles.exists ? "" : " (none)"}`);
  if (status.profiles.exists) {
    lines.push(...renderKey(status.profiles.key), ...renderCounts(status.profiles.secretsByKey, status.profiles.key));
    for (const name of status.profiles.plainText) lines.push(`  plain text   profile "${name}" keeps clientSecret in clear: run \`wizbridge login --profile ${name}\` to encrypt it`);
  }
  return `${lines.join("\n")}\n`;
}
