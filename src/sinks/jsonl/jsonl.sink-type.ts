import { z } from "zod";
import { sinkDeliveryShape } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { JsonlSink } from "./jsonl.sink.js";

export const jsonlSinkSchema = z.strictObject({
  type: z.literal("jsonl"),
  directory: z.string().min(1),
  fileName: z.string().regex(/^[^/\\]+\.jsonl$/, "must be a plain file name ending in .jsonl").optional(),
  maxFileBytes: z.number().int().min(1024).optional(),
  fsync: z.boolean().optional(),
  ...sinkDeliveryShape,
});

export type JsonlSinkSettings = z.output<typeof jsonlSinkSchema>;

export const jsonlSinkType = defineSinkType<JsonlSinkSettings>({
  type: "jsonl",
  schema: jsonlSinkSchema,
  create: (id, s) => new JsonlSink({ id, directory: s.directory, fileName: s.fileName, maxFileBytes: s.maxFileBytes, fsync: s.fsync }),
  describe: (id, s) => `${id}: JSON Lines in ${s.directory}`,
  resolvePaths: (s, at) => ({ ...s, directory: at(s.directory) }),
  exclusiveResource: (s) => s.directory,
});
