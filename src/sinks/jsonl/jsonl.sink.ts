import { constants, copyFile, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import { errorCode, nodeJsonlFileOps, type JsonlFileHandle, type JsonlFileOps } from "./jsonl-file-ops.js";
import { JsonlFileNames } from "./jsonl-file-names.js";
import { errorText, fsAdviceFor } from "./jsonl-fs-advice.js";
import { deleteRotatedFilesPastRetention } from "./jsonl-retention.js";
import { runJsonlSelfTest } from "./jsonl-self-test.js";
import { cutTornTail } from "./jsonl-torn-tail.js";

export interface JsonlSinkOptions {
  id: string;
  directory: string;
  /** File name of the file being written; rotated files get a 6-digit index before `.jsonl`. */
  fileName?: string;
  /** Rotate when the current file would grow past this. Default 100 MiB. */
  maxFileBytes?: number;
  /** fsync each batch before acknowledging it (default true); false trades durability on power loss for speed. */
  fsync?: boolean;
  /** Rotated files kept at most (oldest deleted first). Default: all. */
  maxFiles?: number;
  /** Rotated files last modified longer ago than this many days are deleted. Default: never. */
  maxAgeDays?: number;
  logger?: Logger;
  /** Epoch ms, for retention by age. */
  now?: () => number;
  /** The write path's file operations (tests inject failures); default node:fs/promises. */
  fileOps?: Partial<JsonlFileOps>;
}

const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;
/** How often retention by age is looked at when no rotation happens (a quiet sink still ages its files out). */
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** Error codes of a file system without hard links: the rotation copies instead (still never replacing). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/**
 * JSON Lines files, one event per line, rotated by size. At-least-once: `write` resolves only once the
 * batch is appended whole and (with `fsync`, the default) fdatasync'ed, so an acknowledged event survives
 * a crash or power loss. A crash before the acknowledgement redelivers the batch: lines of it that
 * reached the file show twice (duplicates are possible, loss is not). A torn last line (crash mid-write)
 * is cut off on open; a failed write or fsync is cut off at once, before the retry, so every line is a
 * whole event. Rotated files get a new, never reused name and never replace a file; retention deletes
 * only whole rotated files. Concurrent `write` calls are appended one after another in call order.
 */
export class JsonlSink implements Sink {
  readonly id: string;
  readonly guarantee = "at-least-once" as const;
  /** Lines are the stored bytes copied as they are. */
  readonly takesBytes = true;
  private handle: JsonlFileHandle | undefined;
  /** Bytes of whole lines in the file being written: where a failed batch is cut back to. */
  private size = 0;
  /** Which file is open (device and inode), so a cut postponed to the next open is applied to that file only. */
  private opened: FileIdentity | undefined;
  /** Set when a failed batch could not be cut off in place: the next open cuts that file back to this size. */
  private cutOnOpen: (FileIdentity & { size: number }) | undefined;
  /** The highest rotation index this process used: names stay unique even if files vanish meanwhile. */
  private lastIndex = 0;
  private retentionCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly names: JsonlFileNames;
  private readonly directory: string;
  private readonly path: string;
  private readonly maxFileBytes: number;
  private readonly fsync: boolean;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly ops: JsonlFileOps;
  /** Batches from several dispatchers (or several in flight) are appended one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * Where each batch is encoded, reused (appends never overlap): no joined string and no fresh Buffer of
   * a megabyte or two for every batch.
   */
  private scratch = Buffer.alloc(0);

  constructor(private readonly options: JsonlSinkOptions) {
    this.id = options.id;
    this.directory = options.directory;
    this.names = new JsonlFileNames(options.fileName ?? "events.jsonl");
    this.path = join(options.directory, this.names.current);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.fsync = options.fsync ?? true;
    this.logger = options.logger ?? pino({ level: "silent" });
    this.now = options.now ?? Date.now;
    this.ops = { ...nodeJsonlFileOps(), ...options.fileOps };
  }

  /** The directory and the file being written. */
  get location(): string {
    return this.path;
  }

  write(batch: readonly SinkRecord[]): Promise<void> {
    const run = this.queue.then(() => this.append(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  selfTest(): Promise<SinkTestStep[]> {
    return runJsonlSelfTest({ sinkId: this.id, directory: this.directory, names: this.names, maxFileBytes: this.maxFileBytes, now: this.now });
  }

  async close(): Promise<void> {
    await this.queue;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async append(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    // Encoded once: its length is the byte count, and the write does not encode the text again.
    const bytes = this.encode(batch);
    let handle: JsonlFileHandle;
    try {
      if (this.now() - this.retentionCheckedAt >= RETENTION_INTERVAL_MS) await this.applyRetention();
      handle = await this.file();
      if (this.size > 0 && this.size + bytes.length > this.maxFileBytes) {
        await this.rotate();
        handle = await this.file();
      }
    } catch (error) {
      throw this.failure("opening or rotating", error);
    }
    const before = this.size;
    try {
      for (let written = 0; written < bytes.length; ) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        if (bytesWritten <= 0) throw new Error(`a write to ${this.path} made no progress`);
        written += bytesWritten;
      }
      if (this.fsync) await handle.datasync();
    } catch (error) {
      // Whatever part of the batch reached the file is cut off now, so the retry does not follow a torn line.
      await this.cutBack(handle, before);
      throw this.failure("writing", error);
    }
    this.size = before + bytes.length;
  }

  /** The batch as JSON Lines in UTF-8, in the reused scratch buffer (valid until the next append). */
  private encode(batch: readonly SinkRecord[]): Buffer {
    // Bytes are copied as they are; a UTF-16 code unit never takes more than 3 bytes in UTF-8, and past
    // 16 MiB the exact size is worth counting.
    let bound = 0;
    for (const r of batch) bound += (r.bytes ? r.bytes.length : r.payload.length * 3) + 1;
    if (bound > 16 * 1024 * 1024) bound = batch.reduce((n, r) => n + (r.bytes ? r.bytes.length : Buffer.byteLength(r.payload, "utf8")) + 1, 0);
    if (this.scratch.length < bound) this.scratch = Buffer.allocUnsafe(Math.max(bound, this.scratch.length * 2));
    let at = 0;
    for (const r of batch) {
      if (r.bytes) {
        this.scratch.set(r.bytes, at);
        at += r.bytes.length;
      } else at += this.scratch.write(r.payload, at, "utf8");
      this.scratch[at++] = 0x0a;
    }
    return this.scratch.subarray(0, at);
  }

  private async cutBack(handle: JsonlFileHandle, size: number): Promise<void> {
    try {
      await handle.truncate(size);
      this.size = size;
    } catch (error) {
      // The file is closed and cut back to the same size when the next write opens it again.
      this.logger.warn({ sink: this.id, file: this.path, size, error: errorText(error) }, "could not cut a failed batch off the JSONL file; it is cut when the file is reopened for the retry");
      if (this.opened) this.cutOnOpen = { ...this.opened, size };
      if (this.handle === handle) this.handle = undefined;
      await handle.close().catch(() => undefined);
    }
  }

  private async file(): Promise<JsonlFileHandle> {
    if (this.handle) return this.handle;
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await this.finishInterruptedRotation();
    // The size before a failed batch applies to the file it was written to, not to one put in its place since.
    const cut = this.cutOnOpen;
    const present = await stat(this.path).catch(() => undefined);
    const limit = cut && present && sameFile(cut, present) ? cut.size : undefined;
    const size = cutTornTail(this.path, limit);
    this.cutOnOpen = undefined;
    const handle = await this.ops.open(this.path, "a");
    try {
      // A new file's name must be durable too, or a power loss could drop acknowledged lines with it.
      if (size === undefined && this.fsync) await syncDirectory(this.directory);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.handle = handle;
    this.size = size ?? 0;
    const identity = await stat(this.path).catch(() => undefined);
    this.opened = identity && { dev: identity.dev, ino: identity.ino };
    return handle;
  }

  /**
   * A crash between giving the file its rotated name and removing the current name leaves one file under
   * both: appending to it would change the rotated file. The rotated name has it, so the current name goes.
   */
  private async finishInterruptedRotation(): Promise<void> {
    const current = await stat(this.path).catch(() => undefined);
    if (!current || current.nlink < 2) return;
    for (const { name } of this.names.rotatedAmong(await readdir(this.directory))) {
      const rotated = await stat(join(this.directory, name)).catch(() => undefined);
      if (rotated && sameFile(rotated, current)) {
        this.logger.info({ sink: this.id, file: this.path, rotated: name }, "finishing a rotation a crash interrupted: the rotated file keeps the lines, a new file is started");
        await this.ops.unlink(this.path);
        return;
      }
    }
  }

  /**
   * Gives the current file the next rotated name and starts a new one. The index continues from the
   * highest present in the directory (and the last this process or a previous one used), and the move is
   * a link, which fails with EEXIST where a rename would replace: a taken name moves on to the next index.
   */
  private async rotate(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
    const rotated = this.names.rotatedAmong(await readdir(this.directory));
    let index = Math.max(this.lastIndex, rotated.at(-1)?.index ?? 0, await this.readIndexMarker()) + 1;
    for (let attempts = 0; !(await this.placeRotated(join(this.directory, this.names.rotated(index)))); attempts++) {
      if (attempts >= 10_000) throw new Error(`no free rotated file name in ${this.directory} after ${attempts} tries`);
      index += 1;
    }
    this.lastIndex = index;
    if (this.fsync) await syncDirectory(this.directory);
    // Should this fail, the next open sees both names on one file and finishes the rotation.
    await this.ops.unlink(this.path);
    this.size = 0;
    await this.writeIndexMarker(index);
    this.logger.info({ sink: this.id, file: this.names.rotated(index) }, "rotated the JSONL file");
    await this.applyRetention();
  }

  /** Puts the current file under `target` without ever replacing a file; false when `target` is taken. */
  private async placeRotated(target: string): Promise<boolean> {
    try {
      await this.ops.link(this.path, target);
      return true;
    } catch (error) {
      if (errorCode(error) === "EEXIST") return false;
      if (!NO_HARD_LINKS.has(errorCode(error) ?? "")) throw error;
    }
    // No hard links here (some network and FAT file systems): copy, refusing to replace, and make the copy durable.
    try {
      await copyFile(this.path, target, constants.COPYFILE_EXCL);
      if (this.fsync) {
        const copy = await open(target, "r+");
        try {
          await copy.datasync();
        } finally {
          await copy.close();
        }
      }
      return true;
    } catch (error) {
      if (errorCode(error) === "EEXIST") return false;
      // The copy is ours (COPYFILE_EXCL created it): a partial one must not pass for a rotated file.
      await unlink(target).catch(() => undefined);
      throw error;
    }
  }

  private async readIndexMarker(): Promise<number> {
    try {
      const index = Number((await readFile(join(this.directory, this.names.indexMarker), "utf8")).trim());
      return Number.isSafeInteger(index) && index > 0 ? index : 0;
    } catch {
      return 0;
    }
  }

  /** Best effort: the hard guarantee is the link that never replaces; the marker keeps names fresh after clean-ups. */
  private async writeIndexMarker(index: number): Promise<void> {
    const marker = join(this.directory, this.names.indexMarker);
    try {
      await writeFile(`${marker}.tmp`, `${index}\n`, { mode: 0o600 });
      await rename(`${marker}.tmp`, marker);
    } catch (error) {
      this.logger.warn({ sink: this.id, file: marker, error: errorText(error) }, "could not record the last rotation index; names still never replace a file");
    }
  }

  /** Retention is housekeeping: a failure is logged and never fails the batch, whose events are safe either way. */
  private async applyRetention(): Promise<void> {
    this.retentionCheckedAt = this.now();
    const { maxFiles, maxAgeDays } = this.options;
    if (maxFiles === undefined && maxAgeDays === undefined) return;
    const onError = (name: string, error: unknown): void => {
      const advice = fsAdviceFor(error, this.directory);
      this.logger.warn({ sink: this.id, file: name, error: errorText(error) }, `could not delete a rotated file past retention: ${advice.cause}; ${advice.fix}`);
    };
    try {
      const deleted = await deleteRotatedFilesPastRetention(this.directory, this.names, { maxFiles, maxAgeDays }, this.now(), onError);
      if (deleted.length > 0) this.logger.info({ sink: this.id, deleted: deleted.length, first: deleted[0], last: deleted.at(-1), maxFiles, maxAgeDays }, "deleted rotated JSONL files past retention");
    } catch (error) {
      if (errorCode(error) !== "ENOENT") onError(this.directory, error);
    }
  }

  /** The error the dispatcher sees: what failed, the likely cause, what to do; retried after backoff. */
  private failure(doing: string, error: unknown): SinkUnavailableError {
    const advice = fsAdviceFor(error, this.directory);
    return new SinkUnavailableError(`JSONL sink ${this.id}: ${doing} ${this.path} failed (${advice.code}: ${errorText(error)}): ${advice.cause}; ${advice.fix}. The batch is written again, after whatever part of it reached the file is cut off.`, {
      cause: error,
    });
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** fsync of a directory, so a new or renamed entry survives a power loss; skipped where the platform refuses it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EINVAL", "ENOTSUP", "EOPNOTSUPP", "EACCES"].includes(errorCode(error) ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}
