import { z } from "zod";
import { baseRecordShape, personRefSchema } from "./common.js";

export const auditLogEntryRecordSchema = z.object({
  recordType: z.literal("auditLogEntry"),
  ...baseRecordShape,
  action: z.string().nullable(),
  requestId: z.string().nullable(),
  timestamp: z.string().nullable(),
  sourceIP: z.string().nullable(),
  userAgent: z.string().nullable(),
  user: personRefSchema.nullable(),
  serviceAccount: z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable(),
});
export type AuditLogEntryRecord = z.infer<typeof auditLogEntryRecordSchema>;
