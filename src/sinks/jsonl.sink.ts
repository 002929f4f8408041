import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, readdirSync, renameSync, statSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Sink, SinkRecord } from "./sink.js";

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
    const bytes = Buffer.from(batch.map((r) => r.payload).join("\n") + "\n", "utf8");
    if (this.handle && this.size > 0 && this.size + bytes.length > this.maxFileBytes) await this.rotate();
    const handle = await this.file();
    await handle.write(bytes);
    if (this.fsync) await handle.datasync();
    this.size += bytes.length;
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
