import { existsSync, renameSync, rmSync } from "node:fs";
import { readKeyFile, masterKeyPath, writeKeyFileAtomically } from "./master-key.js";
import { SecretBox, SecretBoxError } from "./secret-box.js";
import { writePrivateFileAtomically } from "./private-file.js";

/** The key files of one directory during a rotation: the key in use, the next one, and a copy of the old one. */
export interface KeyFilePaths {
  current: string;
  /** Written first; becomes `current` only after every secret is sealed under it. */
  next: string;
  /** A copy of `current` kept until the rotation succeeded. */
  old: string;
}

export function keyFilePaths(dir: string): KeyFilePaths {
  const current = masterKeyPath(dir);
  return { current, next: `${current}.new`, old: `${current}.old` };
}

/** Key files an interrupted rotation left behind (`master.key.new` / `.old`); `keys status` names them. */
export function leftoverKeyFiles(dir: string): string[] {
  const paths = keyFilePaths(dir);
  return [paths.next, paths.old].filter((path) => existsSync(path));
}

/**
 * The key that opens the secrets of a directory for a rotation: master.key, also accepting the keys an
 * interrupted rotation left (so running `keys rotate` again finishes it), and the next key to seal with
 * (an existing master.key.new is reused: some secrets may already be sealed under it).
 */
export function prepareFileRotation(dir: string, generate: () => Buffer = () => SecretBox.generateKey()): FileRotation {
  const paths = keyFilePaths(dir);
  if (!existsSync(paths.current)) {
    throw new SecretBoxError(`no master key at ${paths.current}, so there is nothing it could re-encrypt; restore the key file (or set WIZBRIDGE_MASTER_KEY) and run \`wizbridge keys rotate\` again.`, "missing-key");
  }
  const current = readKeyFile(paths.current);
  const leftovers = [paths.next, paths.old].filter((path) => existsSync(path)).map((path) => readKeyFile(path));
  let next = existsSync(paths.next) ? readKeyFile(paths.next) : undefined;
  const createdNext = !next || next.keyId === current.keyId;
  if (createdNext) {
    writeKeyFileAtomically(paths.next, generate());
    next = readKeyFile(paths.next);
  }
  // Until the swap, a copy of the key in use stays beside it whatever happens to master.key.
  writePrivateFileAtomically(paths.old, `${current.exportKey()}\n`);
  return { opener: current.withPrevious(leftovers), next: next as SecretBox, paths, createdNext };
}

/** A rotation of one directory's key file, prepared. */
export interface FileRotation {
  /** The current key, also opening what an interrupted rotation sealed under its keys. */
  opener: SecretBox;
  /** The key to seal with (master.key.new). */
  next: SecretBox;
  paths: KeyFilePaths;
  /** master.key.new was written by this rotation, so nothing is sealed under it until this rotation writes. */
  createdNext: boolean;
}

/** After every secret is sealed under the next key: it becomes master.key (one rename), and the old copy goes. */
export function commitFileRotation(paths: KeyFilePaths): void {
  renameSync(paths.next, paths.current);
  rmSync(paths.old, { force: true });
}

/** Undoes a prepared rotation that failed before sealing anything: master.key stays as it was. */
export function abandonFileRotation(rotation: FileRotation): void {
  if (rotation.createdNext) rmSync(rotation.paths.next, { force: true });
  rmSync(rotation.paths.old, { force: true });
}
