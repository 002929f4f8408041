import { JsonlSink } from "./jsonl.sink.js";
import type { Sink } from "./sink.js";
import { StdoutSink } from "./stdout.sink.js";

/** A sink as configured; one variant per sink type (more sink types add variants here). */
export type SinkSpec = { type: "jsonl"; directory: string; fileName?: string; maxFileBytes?: number; fsync?: boolean } | { type: "stdout" };

export function createSink(id: string, spec: SinkSpec): Sink {
  switch (spec.type) {
    case "jsonl":
      return new JsonlSink({ id, directory: spec.directory, fileName: spec.fileName, maxFileBytes: spec.maxFileBytes, fsync: spec.fsync });
    case "stdout":
      return new StdoutSink(id);
  }
}

/** Where a sink writes, for the start-up banner. */
export function describeSink(id: string, spec: SinkSpec): string {
  return spec.type === "jsonl" ? `${id}: JSON Lines in ${spec.directory}` : `${id}: stdout`;
}
