import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

/** Who holds a store: written into the lock file so a second process can say who it is. */
export interface StoreLockHolder {
  pid: number;
  command: string;
  startedAt: string;
}

/** Another live process has the store open for writing. */
export class StoreLockedError extends Error {
  override readonly name = "StoreLockedError";

  constructor(
    readonly lockPath: string,
    readonly holder: StoreLockHolder,
  ) {
    super(
      `the store is in use by another wizbridge process (pid ${holder.pid}, \`${holder.command}\`, since ${holder.startedAt}); two writers would each deliver and checkpoint the same streams. ` +
        `Stop that process first (kill ${holder.pid}), or give this one its own --data-dir. (Lock file: ${lockPath}.)`,
    );
  }
}

export interface StoreLock {
  release(): void;
}

/**
 * An exclusive lock beside the store (`<store>.lock`, created with O_EXCL) held for the life of the
 * process that writes it. A lock left by a process that died (kill -9, power loss) is taken over: its
 * pid no longer runs.
 */
export function acquireStoreLock(storePath: string, command: string, isAlive: (pid: number) => boolean = processIsAlive): StoreLock {
  const lockPath = `${storePath}.lock`;
  const holder: StoreLockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(lockPath, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const existing = readHolder(lockPath);
      if (existing && isAlive(existing.pid)) throw new StoreLockedError(lockPath, existing);
      // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
      rmSync(lockPath, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (readHolder(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
      },
    };
  }
  throw new Error(`could not take the store lock ${lockPath}: another process keeps recreating it. Check for a second wizbridge on this data directory.`);
}

function readHolder(lockPath: string): StoreLockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<StoreLockHolder>;
    return typeof parsed.pid === "number" ? { pid: parsed.pid, command: String(parsed.command ?? "wizbridge"), startedAt: String(parsed.startedAt ?? "?") } : undefined;
  } catch {
    return undefined;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
