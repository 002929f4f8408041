import { resolve } from "node:path";
import { z } from "zod";
import { sinkDeliveryShape } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { JsonlSink } from "./jsonl.sink.js";

export const jsonlSinkSchema = z.strictObject({
  type: z.literal("jsonl"),
  directory: z.string().min(1, "must name a directory (relative to the config file's directory unless absolute)"),
  fileName: z.string().regex(/^[^/\\]+\.jsonl$/, "must be a plain file name ending in .jsonl").optional(),
  maxFileBytes: z.number().int("maxFileBytes must be a whole number of bytes").min(1024, "maxFileBytes must be at least 1024 bytes").optional(),
  fsync: z.boolean().optional(),
  maxFiles: z.number().int("maxFiles must be a whole number of rotated files to keep").positive("maxFiles must be at least 1 (leave it out to keep every rotated file)").optional(),
  maxAgeDays: z.number().positive("maxAgeDays must be a positive number of days (leave it out to keep rotated files whatever their age)").optional(),
  ...sinkDeliveryShape,
});

export type JsonlSinkSettings = z.output<typeof jsonlSinkSchema>;

function retentionOf(s: JsonlSinkSettings): string {
  const rules = [...(s.maxFiles !== undefined ? [`${s.maxFiles} rotated files`] : []), ...(s.maxAgeDays !== undefined ? [`${s.maxAgeDays} days`] : [])];
  return rules.length > 0 ? `, keep ${rules.join(" / ")}` : "";
}

export const jsonlSinkType = defineSinkType<JsonlSinkSettings>({
  type: "jsonl",
  schema: jsonlSinkSchema,
  create: (id, s, context) =>
    new JsonlSink({ id, directory: s.directory, fileName: s.fileName, maxFileBytes: s.maxFileBytes, fsync: s.fsync, maxFiles: s.maxFiles, maxAgeDays: s.maxAgeDays, logger: context.logger, now: context.now }),
  describe: (id, s) => `${id}: JSON Lines in ${s.directory} (${s.fileName ?? "events.jsonl"}, rotated at ${Math.round((s.maxFileBytes ?? 100 * 1024 * 1024) / 1024)} KiB${retentionOf(s)}${s.fsync === false ? ", no fsync" : ""})`,
  // Normalised ("/x/events/" and "/x/./events" are "/x/events"), so two sinks on one directory are caught however it is spelt.
  resolvePaths: (s, at) => ({ ...s, directory: resolve(at(s.directory)) }),
  exclusiveResource: (s) => resolve(s.directory),
});
