import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "./jsonl-file-ops.js";
import type { JsonlFileNames } from "./jsonl-file-names.js";

export interface JsonlRetention {
  /** Rotated files kept at most; the oldest (lowest index) go first. */
  maxFiles?: number;
  /** Rotated files last modified longer ago than this are deleted. */
  maxAgeDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes this sink's rotated files past the retention rules and returns their names. Only whole,
 * closed, rotated files: the file being written and any file not named like this sink's rotated files
 * are never candidates. A file that vanished meanwhile is skipped; other failures go to `onError`.
 */
export async function deleteRotatedFilesPastRetention(
  directory: string,
  names: JsonlFileNames,
  rules: JsonlRetention,
  now: number,
  onError: (name: string, error: unknown) => void,
): Promise<string[]> {
  if (rules.maxFiles === undefined && rules.maxAgeDays === undefined) return [];
  const rotated = names.rotatedAmong(await readdir(directory));
  const doomed = new Set<string>();
  if (rules.maxFiles !== undefined) for (const { name } of rotated.slice(0, Math.max(0, rotated.length - rules.maxFiles))) doomed.add(name);
  if (rules.maxAgeDays !== undefined) {
    const cutoff = now - rules.maxAgeDays * DAY_MS;
    for (const { name } of rotated) {
      if (doomed.has(name)) continue;
      try {
        if ((await stat(join(directory, name))).mtimeMs < cutoff) doomed.add(name);
      } catch (error) {
        if (errorCode(error) !== "ENOENT") onError(name, error);
      }
    }
  }
  const deleted: string[] = [];
  for (const name of doomed) {
    try {
      await unlink(join(directory, name));
      deleted.push(name);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") onError(name, error);
    }
  }
  return deleted;
}
