import { createReadStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { JsonlSink } from "../../src/sinks/jsonl/jsonl.sink.js";
import type { SinkBenchCase, SinkBenchTarget } from "./sink-bench-case.js";

/** Newline bytes in a file: its complete lines (a torn last line is not an event yet). */
async function completeLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) lines += 1;
  }
  return lines;
}

/** The JSONL sink on a fresh temporary directory, fsync on (acknowledged = on disk); the files are the destination. */
export const jsonlSinkBench: SinkBenchCase = {
  name: "jsonl (local temporary directory, fsync on)",
  unavailable: () => Promise.resolve(undefined),
  async start(logger: Logger): Promise<SinkBenchTarget> {
    const directory = await mkdtemp(join(tmpdir(), "wizbridge-bench-jsonl-"));
    const sink = new JsonlSink({ id: "bench", directory, fsync: true, logger });
    return {
      sink,
      // Every file of the sink (written and rotated): the lines there, not the sink's own count.
      async delivered() {
        let total = 0;
        for (const name of await readdir(directory)) if (/^events(\.\d{6,})?\.jsonl$/.test(name)) total += await completeLines(join(directory, name));
        return total;
      },
      async stop() {
        await sink.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  },
};
