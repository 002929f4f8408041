import { z } from "zod";
import { sinkDeliveryShape } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { StdoutSink } from "./stdout.sink.js";

export const stdoutSinkSchema = z.strictObject({ type: z.literal("stdout"), ...sinkDeliveryShape });

export type StdoutSinkSettings = z.output<typeof stdoutSinkSchema>;

export const stdoutSinkType = defineSinkType<StdoutSinkSettings>({
  type: "stdout",
  schema: stdoutSinkSchema,
  create: (id) => new StdoutSink(id),
  describe: (id) => `${id}: stdout`,
});
