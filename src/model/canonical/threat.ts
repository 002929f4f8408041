import { z } from "zod";
import { timestampSchema, wizSeveritySchema } from "./common.js";
import { issueShape } from "./issue.js";

/** A threat-detection issue (the threats stream): an issue plus what Wiz Defend says about it. */
export const threatRecordSchema = z.object({
  recordType: z.literal("threat"),
  ...issueShape,
  threat: z.object({
    eventOrigin: z.string().nullable(),
    actorsTotalCount: z.number().nullable(),
    resourcesTotalCount: z.number().nullable(),
    mainDetection: z.object({ id: z.string(), type: z.string().nullable(), severity: wizSeveritySchema.nullable(), createdAt: timestampSchema.nullable() }).nullable(),
  }),
});
export type ThreatRecord = z.infer<typeof threatRecordSchema>;
