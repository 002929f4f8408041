import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, readdirSync, renameSync, statSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Sink, SinkRecord } from "../sink.js";

export interface JsonlSinkOptions {
  id: string;
  directory: string;
  /** File name of the file being written; rotated files get a sequence number before `.jsonl`. */
  fileName?: string;
  /** Rotate when the current file would grow past this. Default 100 MiB. */
  maxFileBytes?: number;
  /** fsync each batch before acknowledging it (default true); false trades durability on power loss for speed. */
  fsync?: boolean;
}

const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

/**
 * JSON Lines files, one event per line, rotated by size. At-least-once: each batch is appended and
 * fsynced before it is acknowledged. A crash can leave a torn last line; it is cut off on open, since
 * the batch it belonged to was never acknowledged and will be written again.
 */
export class JsonlSink implements Sink {
  readonly id: string;
  readonly guarantee = "at-least-once" as const;
  private handle: FileHandle | undefined;
  private size = 0;
  private readonly path: string;
  private readonly maxFileBytes: number;
  private readonly fsync: boolean;
  /** Batches from several dispatchers are appended one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * Where each batch is encoded, reused (appends never overlap): no joined string and no fresh Buffer of
   * a megabyte or two for every batch.
   */
  private scratch = Buffer.alloc(0);

  constructor(private readonly options: JsonlSinkOptions) {
    this.id = options.id;
    this.path = join(options.directory, options.fileName ?? "events.jsonl");
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.fsync = options.fsync ?? true;
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

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async append(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    // Encoded once: its length is the byte count, and the write does not encode the text again.
    const bytes = this.encode(batch);
    if (this.handle && this.size > 0 && this.size + bytes.length > this.maxFileBytes) await this.rotate();
    const handle = await this.file();
    for (let written = 0; written < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    if (this.fsync) await handle.datasync();
    this.size += bytes.length;
  }

  /** The batch as JSON Lines in UTF-8, in the reused scratch buffer (valid until the next append). */
  private encode(batch: readonly SinkRecord[]): Buffer {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8; past 16 MiB the exact size is worth counting.
    let bound = 0;
    for (const r of batch) bound += r.payload.length * 3 + 1;
    if (bound > 16 * 1024 * 1024) bound = batch.reduce((n, r) => n + Buffer.byteLength(r.payload, "utf8") + 1, 0);
    if (this.scratch.length < bound) this.scratch = Buffer.allocUnsafe(Math.max(bound, this.scratch.length * 2));
    let at = 0;
    for (const r of batch) {
      at += this.scratch.write(r.payload, at, "utf8");
      this.scratch[at++] = 0x0a;
    }
    return this.scratch.subarray(0, at);
  }

  private async file(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    mkdirSync(this.options.directory, { recursive: true });
    this.size = cutTornTail(this.path);
    this.handle = await open(this.path, "a");
    return this.handle;
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    const base = (this.options.fileName ?? "events.jsonl").replace(/\.jsonl$/, "");
    const taken = readdirSync(this.options.directory).filter((f) => f.startsWith(`${base}.`) && f.endsWith(".jsonl")).length;
    renameSync(this.path, join(this.options.directory, `${base}.${String(taken).padStart(6, "0")}.jsonl`));
    this.size = 0;
  }
}

/** Truncates a file after its last newline (a line half-written when the process died); returns the size. */
function cutTornTail(path: string): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
  const fd = openSync(path, "r+");
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let end = fstatSync(fd).size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep !== size) ftruncateSync(fd, keep);
        return keep;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return 0;
  } finally {
    closeSync(fd);
  }
}
