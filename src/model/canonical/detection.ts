import { z } from "zod";
import { baseRecordShape, resourceRefSchema, timestampSchema } from "./common.js";

export const actorRefSchema = z.object({ id: z.string(), name: z.string().nullable(), type: z.string().nullable(), providerUniqueId: z.string().nullable() });

/** A Wiz Defend detection (from the detections stream or a detection webhook). */
export const detectionRecordSchema = z.object({
  recordType: z.literal("detection"),
  ...baseRecordShape,
  detectionType: z.string().nullable(),
  origins: z.array(z.string()),
  description: z.string().nullable(),
  startedAt: timestampSchema.nullable(),
  endedAt: timestampSchema.nullable(),
  /** The THREAT_DETECTION issue the detection raised, if any. */
  issueId: z.string().nullable(),
  rule: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  resource: resourceRefSchema.nullable(),
  actor: actorRefSchema.nullable(),
  cloudAccounts: z.array(z.object({ id: z.string(), name: z.string().nullable(), externalId: z.string().nullable() })),
  mitre: z.object({ tactics: z.array(z.string()), techniques: z.array(z.string()) }),
});
export type DetectionRecord = z.infer<typeof detectionRecordSchema>;
