import { z } from "zod";
import { baseRecordShape, namedRefSchema, resourceRefSchema, timestampSchema } from "./common.js";

/** What kind of problem an issue reports; decides its OCSF class and ECS category. */
export const ISSUE_CATEGORIES = ["configuration", "toxic-combination", "threat"] as const;

export const issueRuleSchema = z.object({ id: z.string(), name: z.string().nullable(), type: z.string().nullable() });

export const issueShape = {
  ...baseRecordShape,
  /** Wiz issue type: TOXIC_COMBINATION, THREAT_DETECTION, CLOUD_CONFIGURATION (or a newer one, kept as sent). */
  issueType: z.string(),
  category: z.enum(ISSUE_CATEGORIES),
  statusChangedAt: timestampSchema.nullable(),
  resolvedAt: timestampSchema.nullable(),
  dueAt: timestampSchema.nullable(),
  resolutionReason: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  rule: issueRuleSchema.nullable(),
  resource: resourceRefSchema.nullable(),
  projectIds: z.array(z.string()),
  projects: z.array(namedRefSchema),
  notes: z.array(z.object({ id: z.string(), text: z.string().nullable(), createdAt: timestampSchema.nullable() })),
  serviceTickets: z.array(z.object({ id: z.string(), externalId: z.string().nullable(), name: z.string().nullable(), url: z.string().nullable() })),
};

export const issueRecordSchema = z.object({ recordType: z.literal("issue"), ...issueShape });
export type IssueRecord = z.infer<typeof issueRecordSchema>;
