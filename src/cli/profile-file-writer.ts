import { readFileSync } from "node:fs";
import { Document, isMap, parseDocument } from "yaml";
import { writePrivateFileAtomically } from "../store/private-file.js";
import type { SecretBox } from "../store/secret-box.js";
import { CliInputError } from "./cli-input-error.js";
import { PROFILE_SECRET_FIELDS, profileSecretAad, readProfileFile, type ConnectionProfile, type ProfileSecretField } from "./profile-file.js";

/** The profile file's text, or undefined when there is none yet. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function isSecretField(key: string): key is ProfileSecretField {
  return (PROFILE_SECRET_FIELDS as readonly string[]).includes(key);
}

/**
 * Writes settings into one profile of the profile file, keeping its other keys, the other profiles and the
 * comments. Secrets are sealed with `box` (`clientSecret: {encrypted: "wb1:..."}`), or kept in plain text when
 * no box is given. The file is written 0600 (directory 0700) through a rename.
 */
export function saveProfile(path: string, name: string, settings: ConnectionProfile, box: SecretBox | undefined): void {
  // Validates the file as it is: a broken file is reported, not overwritten.
  readProfileFile(path, undefined);
  const text = readText(path);
  const document = text === undefined || text.trim() === "" ? new Document({}) : parseDocument(text);
  if (!isMap(document.get(name))) document.set(name, document.createNode({}));
  for (const [key, value] of Object.entries(settings) as Array<[keyof ConnectionProfile, string | boolean | undefined]>) {
    if (value === undefined) continue;
    if (isSecretField(key) && box && typeof value === "string") document.setIn([name, key], document.createNode({ encrypted: box.seal(value, profileSecretAad(name, key)) }));
    else document.setIn([name, key], value);
  }
  writePrivateFileAtomically(path, document.toString());
}

/** Counts of a profile file's secrets: sealed ones, and the profiles keeping one in plain text. */
export interface ProfileSecretCounts {
  encrypted: number;
  plainText: string[];
  /** Key ids that sealed the encrypted ones, with counts. */
  byKey: Record<string, number>;
}

export function countProfileSecrets(path: string): ProfileSecretCounts | undefined {
  const profiles = readProfileFile(path, undefined);
  if (profiles === undefined) return undefined;
  const counts: ProfileSecretCounts = { encrypted: 0, plainText: [], byKey: {} };
  for (const [name, profile] of Object.entries(profiles)) {
    for (const field of PROFILE_SECRET_FIELDS) {
      const value = profile?.[field];
      if (typeof value === "string") counts.plainText.push(name);
      else if (value) {
        counts.encrypted += 1;
        const keyId = /^wb1:([0-9a-f]{8}):/.exec(value.encrypted)?.[1] ?? "unknown";
        counts.byKey[keyId] = (counts.byKey[keyId] ?? 0) + 1;
      }
    }
  }
  return counts;
}

/** A profile file with every sealed secret sealed again under a new key, ready to write; nothing is written. */
export interface ResealedProfileFile {
  count: number;
  write(): void;
}

/**
 * Opens every sealed secret of the profile file with `opener` and seals it under `next`. A secret that does
 * not open throws (naming the profile) before anything is written; `write()` then replaces the file atomically.
 */
export function resealProfileFile(path: string, opener: SecretBox, next: SecretBox): ResealedProfileFile {
  const profiles = readProfileFile(path, undefined);
  const text = readText(path);
  if (profiles === undefined || text === undefined) return { count: 0, write: () => undefined };
  const document = parseDocument(text);
  let count = 0;
  for (const [name, profile] of Object.entries(profiles)) {
    for (const field of PROFILE_SECRET_FIELDS) {
      const value = profile?.[field];
      if (value === undefined || typeof value === "string") continue;
      const aad = profileSecretAad(name, field);
      let plain: string;
      try {
        plain = opener.open(value.encrypted, aad);
      } catch (error) {
        throw new CliInputError(`The ${field} of profile "${name}" in ${path} does not open: ${(error as Error).message}`, "nothing was changed; use the master key it was sealed with, or store the secret again with `wizbridge login --profile " + name + "`.");
      }
      document.setIn([name, field, "encrypted"], next.seal(plain, aad));
      count += 1;
    }
  }
  const output = document.toString();
  return { count, write: () => (count > 0 ? writePrivateFileAtomically(path, output) : undefined) };
}
