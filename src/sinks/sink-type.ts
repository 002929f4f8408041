import type { z } from "zod";
import type { Sink } from "./sink.js";
import type { SinkContext } from "./sink-context.js";

/**
 * One kind of sink as the config file and the composition root see it: the settings schema (a strict
 * object with `type` as its literal discriminator), how to build it, and a one-line description for the
 * start-up banner and `status` (never a secret).
 */
export interface SinkType<S extends { type: string }> {
  readonly type: S["type"];
  readonly schema: z.ZodType<S, unknown>;
  create(id: string, settings: S, context: SinkContext): Sink;
  describe(id: string, settings: S): string;
  /** Settings with relative paths made absolute against the config file's directory. */
  resolvePaths?(settings: S, at: (path: string) => string): S;
  /** A local resource only one sink may write (a directory): two sinks naming the same one are refused. */
  exclusiveResource?(settings: S): string | undefined;
}

/** Keeps each variant's settings type while listing types side by side. */
export function defineSinkType<S extends { type: string }>(definition: SinkType<S>): SinkType<S> {
  return definition;
}
