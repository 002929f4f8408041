import { resolve } from "node:path";
import { commandStopOf } from "./stop-signal.js";
import type { Readable, Writable } from "node:stream";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { createReadStream } from "node:fs";
import { RUNTIME_SOURCES, type RuntimeSource } from "../model/runtime-alert.js";
import { isRuntimeSource } from "../runtime/adapters/runtime-adapter.registry.js";
import { ingestReadable, tailFile, type StreamIngestSummary } from "../runtime/intake/record-stream.reader.js";
import { RuntimeIntake } from "../runtime/intake/runtime-intake.service.js";
import { openStore } from "../store/store-database.js";
import { EXIT_CODES } from "./exit-codes.js";
import { counted } from "../sync/connector-status.js";

export interface IngestCommandOptions {
  source: string;
  file?: string;
  follow: boolean;
  fromStart: boolean;
  dataDir: string;
  store?: string;
  json: boolean;
}

export interface IngestIo {
  out: Writable;
  err: Writable;
  stdin: Readable;
  /** Stops `--follow` (tests); default SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

function sourceOption(value: string): string {
  if (!isRuntimeSource(value)) throw new InvalidArgumentError(`unknown source "${value}"; sources are ${RUNTIME_SOURCES.join(", ")}.`);
  return value;
}

function report(summary: StreamIngestSummary, opts: IngestCommandOptions, io: IngestIo): void {
  if (opts.json) {
    io.out.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  io.out.write(`${counted(summary.accepted, "alert")} stored (state received), ${summary.rejected} rejected.\n`);
  for (const e of summary.errors) io.out.write(`  record ${e.record}, field ${e.field}: ${e.error}\n`);
  if (summary.rejected > summary.errors.length) io.out.write(`  ... and ${summary.rejected - summary.errors.length} more rejected.\n`);
}

/**
 * `wizbridge ingest --source S [--file F | -]`: reads sensor alerts (NDJSON, JSON arrays, pretty JSON)
 * from a file, a followed file or stdin into the runtime intake, the same store rows as HTTP intake.
 * Exit 0 when every record was stored, 1 when some were rejected, 2 for bad usage.
 */
export async function runIngestCommand(opts: IngestCommandOptions, io: IngestIo): Promise<number> {
  if (!isRuntimeSource(opts.source)) {
    io.err.write(`wizbridge: unknown source "${opts.source}"; sources are ${RUNTIME_SOURCES.join(", ")}.\n`);
    return EXIT_CODES.input;
  }
  const source: RuntimeSource = opts.source;
  const fromStdin = opts.file === undefined || opts.file === "-";
  if (opts.follow && fromStdin) {
    io.err.write("wizbridge: --follow needs --file <path>; stdin is read until it ends anyway.\n");
    return EXIT_CODES.input;
  }
  const storePath = opts.store ? resolve(opts.store) : resolve(opts.dataDir, "wizbridge.db");
  const store = await openStore(storePath);
  const intake = new RuntimeIntake({ alerts: store.runtimeAlerts });
  const stop = commandStopOf(io.signal);
  try {
    let summary: StreamIngestSummary;
    if (opts.follow && opts.file) {
      // Followed files never end: say what each read stored as it happens.
      let reported = { accepted: 0, rejected: 0 };
      const onBatch = (so: StreamIngestSummary): void => {
        if (opts.json || (so.accepted === reported.accepted && so.rejected === reported.rejected)) return;
        io.out.write(`+${counted(so.accepted - reported.accepted, "alert")} stored, +${so.rejected - reported.rejected} rejected (${so.accepted} stored in all)\n`);
        reported = { accepted: so.accepted, rejected: so.rejected };
      };
      summary = await tailFile(resolve(opts.file), { source, intake, signal: stop.signal, fromStart: opts.fromStart, onBatch });
    } else {
      const input = fromStdin ? io.stdin : createReadStream(resolve(opts.file as string));
      try {
        summary = await ingestReadable(input, { source, intake });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
          io.err.write(`wizbridge: cannot read ${opts.file} (${code}). Check the path and its permissions.\n`);
          return EXIT_CODES.input;
        }
        throw error;
      }
    }
    report(summary, opts, io);
    return summary.rejected > 0 ? EXIT_CODES.other : EXIT_CODES.ok;
  } finally {
    stop.release();
    await intake.close();
    await store.close();
  }
}

export function registerIngestCommand(program: Command): Command {
  return program
    .command("ingest")
    .description("Store runtime sensor alerts from a file or stdin (NDJSON, JSON arrays or pretty JSON) for delivery into Wiz, like POST /ingest/<source>")
    .argument("[input]", "a file to read, or - for stdin (same as --file)")
    .requiredOption("-s, --source <source>", `the sensor format: ${RUNTIME_SOURCES.join(", ")}`, sourceOption)
    .option("-f, --file <path>", "read this file (- for stdin; default stdin)")
    .option("--follow", "keep reading what is appended to --file, like tail -F, until interrupted", false)
    .option("--from-start", "with --follow: read what the file already holds first", false)
    .option("--data-dir <dir>", "where the store lives (wizbridge.db)", "./data")
    .option("--store <path>", "the SQLite store file (overrides --data-dir)")
    .option("--json", "print the summary as one JSON line", false)
    .action(async (input: string | undefined, opts: IngestCommandOptions) => {
      process.exitCode = await runIngestCommand({ ...opts, file: opts.file ?? input }, { out: process.stdout, err: process.stderr, stdin: process.stdin });
    });
}
