import { link, open, unlink } from "node:fs/promises";

/** The file being written, as the sink uses it: a node:fs/promises FileHandle is one. */
export interface JsonlFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file operations on the write path, injectable so a test can fail a write halfway (ENOSPC) or a
 * rotation's move without filling a disk. Defaults: node:fs/promises.
 */
export interface JsonlFileOps {
  /** Opens for appending, creating the file when absent. */
  open(path: string, flags: "a"): Promise<JsonlFileHandle>;
  /** Gives a file a second name; fails with EEXIST rather than replacing a file (what rename would do). */
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export function nodeJsonlFileOps(): JsonlFileOps {
  // Events carry Wiz data: only the owner reads them (0600; the directory is 0700).
  return { open: (path, flags) => open(path, flags, 0o600), link, unlink };
}

/** The errno code of a Node file-system error, or undefined. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
