import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { countStoredSecrets, CredentialRepository } from "../store/credential.repository.js";
import { MASTER_KEY_ENV, NEW_MASTER_KEY_ENV, parseMasterKey } from "../store/master-key.js";
import { abandonFileRotation, commitFileRotation, keyFilePaths, prepareFileRotation, type FileRotation } from "../store/master-key-rotation.js";
import { SecretBox } from "../store/secret-box.js";
import { openStore, type Store } from "../store/store-database.js";
import { acquireStoreLock, type StoreLock } from "../store/store-lock.js";
import { CliInputError } from "./cli-input-error.js";
import { countProfileSecrets, resealProfileFile } from "./profile-file-writer.js";

/** What a rotation covers: the store of a data directory and the CLI's profile file. */
export interface RotationTarget {
  dataDir: string;
  storePath: string;
  profilePath: string;
  env: NodeJS.ProcessEnv;
  now: number;
  /** Written into the store lock, so a `start` launched meanwhile says who holds the store. */
  command: string;
}

/** One key rotated: where it lives, the key ids before and after, and how many secrets were sealed again. */
export interface RotatedKey {
  source: string;
  fromKeyId: string;
  toKeyId: string;
  storeSecrets: number;
  profileSecrets: number;
}

export interface RotationResult {
  keys: RotatedKey[];
  /** Set when the key comes from WIZBRIDGE_MASTER_KEY: the user must update it. */
  envUpdate: boolean;
}

/** One key and what it seals: the store's secrets, the profile file's, or both when they share the key. */
interface RotationUnit {
  source: string;
  /** The key file, when the key is not from the env var. */
  keyFile?: string;
  store: boolean;
  profile: boolean;
  prepare(): { opener: SecretBox; next: SecretBox; commit(): void; abandon(): void };
}

/**
 * Re-encrypts every stored secret and every sealed profile secret under a new master key. The store is
 * locked for the duration (a running `start` makes it fail with who holds it); every secret is opened
 * before anything is written, so a wrong current key changes nothing; the new key file replaces the old
 * one only after all secrets are sealed under it (an interrupted run is finished by running it again).
 */
export async function rotateMasterKeys(target: RotationTarget): Promise<RotationResult> {
  const storeExists = existsSync(target.storePath);
  const profileExists = existsSync(target.profilePath);
  if (!storeExists && !profileExists) {
    throw new CliInputError(
      `Nothing to rotate: there is no store at ${target.storePath} and no profile file at ${target.profilePath}.`,
      "pass the --data-dir (or --config) of the main job, or set WIZBRIDGE_CONFIG to the profile file.",
    );
  }
  const units = rotationUnits(target, storeExists, profileExists);
  let lock: StoreLock | undefined;
  let store: Store | undefined;
  try {
    if (storeExists) {
      lock = acquireStoreLock(target.storePath, target.command);
      store = await openStore(target.storePath);
    }
    const keys: RotatedKey[] = [];
    for (const unit of units) {
      const rotated = await rotateUnit(unit, target, store);
      if (rotated) keys.push(rotated);
    }
    return { keys, envUpdate: Boolean(target.env[MASTER_KEY_ENV]) };
  } finally {
    await store?.close();
    lock?.release();
  }
}

function rotationUnits(target: RotationTarget, storeExists: boolean, profileExists: boolean): RotationUnit[] {
  if (target.env[MASTER_KEY_ENV]) {
    const current = new SecretBox(parseMasterKey(target.env[MASTER_KEY_ENV] as string, MASTER_KEY_ENV), { source: MASTER_KEY_ENV });
    const newText = target.env[NEW_MASTER_KEY_ENV];
    if (!newText) {
      throw new CliInputError(
        `${MASTER_KEY_ENV} is set, so the new key cannot be written to a key file: it must come from ${NEW_MASTER_KEY_ENV}, which is not set.`,
        `set ${NEW_MASTER_KEY_ENV} to a new key (\`openssl rand -base64 32\`), run \`wizbridge keys rotate\` again, then give ${MASTER_KEY_ENV} that value.`,
      );
    }
    const next = new SecretBox(parseMasterKey(newText, NEW_MASTER_KEY_ENV), { source: NEW_MASTER_KEY_ENV });
    // Also opening with the new key makes a second run (env var not updated yet) harmless.
    const opener = current.withPrevious([next]);
    return [{ source: MASTER_KEY_ENV, store: storeExists, profile: profileExists, prepare: () => ({ opener, next, commit: () => undefined, abandon: () => undefined }) }];
  }
  const storeDir = resolve(target.dataDir);
  const profileDir = resolve(dirname(target.profilePath));
  const fileUnit = (dir: string, store: boolean, profile: boolean): RotationUnit => ({
    source: keyFilePaths(dir).current,
    keyFile: keyFilePaths(dir).current,
    store,
    profile,
    prepare: () => {
      const rotation: FileRotation = prepareFileRotation(dir);
      return { opener: rotation.opener, next: rotation.next, commit: () => commitFileRotation(rotation.paths), abandon: () => abandonFileRotation(rotation) };
    },
  });
  if (storeExists && profileExists && storeDir === profileDir) return [fileUnit(storeDir, true, true)];
  return [...(storeExists ? [fileUnit(storeDir, true, false)] : []), ...(profileExists ? [fileUnit(profileDir, false, true)] : [])];
}

async function rotateUnit(unit: RotationUnit, target: RotationTarget, store: Store | undefined): Promise<RotatedKey | undefined> {
  // A directory without a key file and without sealed secrets has nothing to rotate (its key is created on first use).
  if (unit.keyFile && !existsSync(unit.keyFile)) {
    const storeCount = unit.store && store ? sumCounts(await countStoredSecrets(store.db)) : 0;
    const profileCount = unit.profile ? (countProfileSecrets(target.profilePath)?.encrypted ?? 0) : 0;
    if (storeCount === 0 && profileCount === 0) return undefined;
  }
  const prepared = unit.prepare();
  let wrote = false;
  try {
    // Profile secrets are opened (and the new file text made) before the store changes, so any failure leaves both as they were.
    const profile = unit.profile ? resealProfileFile(target.profilePath, prepared.opener, prepared.next) : { count: 0, write: () => undefined };
    const storeSecrets = unit.store && store ? await new CredentialRepository(store.db, prepared.opener).rotate(prepared.next, target.now) : 0;
    wrote = storeSecrets > 0;
    profile.write();
    wrote = wrote || profile.count > 0;
    prepared.commit();
    return { source: unit.source, fromKeyId: prepared.opener.keyId, toKeyId: prepared.next.keyId, storeSecrets, profileSecrets: profile.count };
  } catch (error) {
    if (!wrote) prepared.abandon();
    throw error;
  }
}

function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
