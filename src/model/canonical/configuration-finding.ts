import { z } from "zod";
import { baseRecordShape, resourceRefSchema, timestampSchema } from "./common.js";

/** A cloud configuration rule evaluated on one resource (pass or fail). */
export const configurationFindingRecordSchema = z.object({
  recordType: z.literal("configurationFinding"),
  ...baseRecordShape,
  /** PASS, FAIL, ERROR, NOT_ASSESSED... as Wiz sends it. */
  result: z.string().nullable(),
  rule: z.object({ id: z.string(), shortId: z.string().nullable(), name: z.string().nullable() }).nullable(),
  remediation: z.string().nullable(),
  evidence: z.object({ currentValue: z.string().nullable(), expectedValue: z.string().nullable(), configurationPath: z.string().nullable() }).nullable(),
  analyzedAt: timestampSchema.nullable(),
  deletedAt: timestampSchema.nullable(),
  resource: resourceRefSchema.nullable(),
  projectIds: z.array(z.string()),
});
export type ConfigurationFindingRecord = z.infer<typeof configurationFindingRecordSchema>;
