import { z } from "zod";
import { baseRecordShape, personRefSchema } from "./common.js";

export const projectRecordSchema = z.object({
  recordType: z.literal("project"),
  ...baseRecordShape,
  slug: z.string().nullable(),
  description: z.string().nullable(),
  businessUnit: z.string().nullable(),
  businessImpact: z.string().nullable(),
  archived: z.boolean(),
  isFolder: z.boolean(),
  securityScore: z.number().nullable(),
  counts: z.object({ cloudAccounts: z.number().nullable(), repositories: z.number().nullable(), teamMembers: z.number().nullable() }),
  owners: z.array(personRefSchema),
  securityChampions: z.array(personRefSchema),
});
export type ProjectRecord = z.infer<typeof projectRecordSchema>;
