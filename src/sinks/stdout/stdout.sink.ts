import type { Writable } from "node:stream";
import type { Sink, SinkRecord } from "../sink.js";

/** One JSON event per line on stdout (or any stream): for pipes and quick looks. Best effort: a terminal keeps nothing. */
export class StdoutSink implements Sink {
  readonly guarantee = "best-effort" as const;

  constructor(
    readonly id: string,
    private readonly out: Writable = process.stdout,
  ) {}

  write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    const text = batch.map((r) => r.payload).join("\n") + "\n";
    return new Promise((resolve, reject) => {
      this.out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    // stdout belongs to the process; nothing to close.
  }
}
