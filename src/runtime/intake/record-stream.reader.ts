import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { RuntimeSource } from "../../model/runtime-alert.js";
import { JsonTextSplitter } from "./json-text-splitter.js";
import { recordProblemOf } from "./json-records.js";
import type { RuntimeIntake } from "./runtime-intake.service.js";

export interface StreamIngestOptions {
  source: RuntimeSource;
  intake: RuntimeIntake;
  maxDepth?: number;
  /** Largest single JSON value, in characters. */
  maxRecordChars?: number;
  /** Records per intake call. */
  batchSize?: number;
  /** Called after each committed batch (CLI progress, tests). */
  onBatch?: (summary: StreamIngestSummary) => void;
}

export interface StreamIngestSummary {
  accepted: number;
  rejected: number;
  /** The first rejections (record number in the stream, field, reason); at most 20 kept. */
  errors: Array<{ record: number; field: string; error: string }>;
}

/**
 * Feeds JSON texts from a stream (stdin, a file, a tailed file) into the same intake as HTTP: every
 * record is adapted and persisted, in batches, before the reader moves on; bad records are counted and
 * named, never fatal.
 */
export class RecordStreamIngester {
  private readonly splitter: JsonTextSplitter;
  private readonly maxDepth: number;
  private readonly batchSize: number;
  private records: unknown[] = [];
  private problems: Array<{ index: number; field: string; error: string }> = [];
  private seen = 0;
  private batchStart = 0;
  readonly summary: StreamIngestSummary = { accepted: 0, rejected: 0, errors: [] };

  constructor(private readonly options: StreamIngestOptions) {
    this.splitter = new JsonTextSplitter(options.maxRecordChars ?? 5 * 1024 * 1024);
    this.maxDepth = options.maxDepth ?? 64;
    this.batchSize = options.batchSize ?? 500;
  }

  /** Adds a chunk of text; commits full batches. */
  async push(chunk: string): Promise<void> {
    for (const piece of this.splitter.push(chunk)) {
      if ("error" in piece) this.problem("$", piece.error);
      else this.take(piece.text);
      if (this.records.length + this.problems.length >= this.batchSize) await this.flush();
    }
  }

  /** Commits whatever is buffered (call at end of input and on idle). */
  async flush(): Promise<void> {
    if (this.records.length + this.problems.length === 0) return;
    const records = this.records;
    const problems = this.problems.map((p) => ({ ...p, index: p.index - this.batchStart }));
    const base = this.batchStart;
    this.records = [];
    this.problems = [];
    this.batchStart = this.seen;
    const outcome = await this.options.intake.accept(this.options.source, records, problems);
    this.summary.accepted += outcome.accepted;
    this.summary.rejected += outcome.rejected;
    for (const r of outcome.results) {
      if (r.status === "rejected" && this.summary.errors.length < 20) this.summary.errors.push({ record: base + r.index + 1, field: r.field, error: r.error });
    }
    this.options.onBatch?.(this.summary);
  }

  /** End of input: an unfinished value is reported, then everything is committed. */
  async end(): Promise<StreamIngestSummary> {
    if (this.splitter.pending) this.problem("$", "the input ended in the middle of a JSON value");
    await this.flush();
    return this.summary;
  }

  private take(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.problem("$", `not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : "parse error"})`);
      return;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        this.problem("$", "expected a JSON object");
        continue;
      }
      const problem = recordProblemOf(v, this.maxDepth);
      if (problem) this.problem(problem.field, problem.error);
      else {
        this.records.push(v);
        this.seen++;
      }
    }
  }

  private problem(field: string, error: string): void {
    this.problems.push({ index: this.seen, field, error });
    this.seen++;
  }
}

/** Reads a whole stream (stdin or a file) into the intake; batches are committed as they fill and when input pauses. */
export async function ingestReadable(input: Readable, options: StreamIngestOptions): Promise<StreamIngestSummary> {
  const ingester = new RecordStreamIngester(options);
  input.setEncoding("utf8");
  let idle: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  for await (const chunk of input) {
    if (idle) clearTimeout(idle);
    chain = chain.then(() => ingester.push(chunk as string));
    await chain;
    // a live pipe (falco | wizbridge ingest -) may pause for long: commit what is buffered soon after it does
    idle = setTimeout(() => {
      chain = chain.then(() => ingester.flush());
    }, 100);
  }
  if (idle) clearTimeout(idle);
  await chain;
  return ingester.end();
}

export interface TailOptions extends StreamIngestOptions {
  /** Read what the file already holds (default: only what is appended after start). */
  fromStart?: boolean;
  pollMs?: number;
  signal: AbortSignal;
}

/**
 * Follows a file like `tail -F`: reads appended bytes every poll, starts over when the file shrinks
 * (rotation or truncation), survives the file being absent for a while. Ends when `signal` aborts.
 */
export async function tailFile(path: string, options: TailOptions): Promise<StreamIngestSummary> {
  const ingester = new RecordStreamIngester(options);
  const pollMs = options.pollMs ?? 250;
  let offset = options.fromStart ? 0 : await stat(path).then((s) => s.size, () => 0);
  let identity = await stat(path).then((s) => s.ino, () => -1);
  while (!options.signal.aborted) {
    const info = await stat(path).catch(() => null);
    if (info && (info.ino !== identity || info.size < offset)) {
      // rotated or truncated: the new content starts at 0
      identity = info.ino;
      offset = 0;
    }
    if (info && info.size > offset) {
      const end = info.size;
      const stream = createReadStream(path, { start: offset, end: end - 1, encoding: "utf8" });
      for await (const chunk of stream) await ingester.push(chunk as string);
      offset = end;
      await ingester.flush();
    }
    // One listener per wait, removed when the wait ends (a listener per poll piled up: MaxListenersExceededWarning).
    await new Promise<void>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        options.signal.removeEventListener("abort", onAbort);
        resolve();
      }, pollMs);
      options.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
  return ingester.end();
}
