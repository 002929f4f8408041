import { z } from "zod";
import { baseRecordShape, namedRefSchema, resourceRefSchema, timestampSchema } from "./common.js";

/** A cloud resource in the inventory; `resource` describes the asset itself, as it does the subject of a finding. */
export const assetRecordSchema = z.object({
  recordType: z.literal("asset"),
  ...baseRecordShape,
  resource: resourceRefSchema,
  externalId: z.string().nullable(),
  firstSeen: timestampSchema.nullable(),
  lastSeen: timestampSchema.nullable(),
  deletedAt: timestampSchema.nullable(),
  exposure: z.object({
    isAccessibleFromInternet: z.boolean().nullable(),
    isOpenToAllInternet: z.boolean().nullable(),
    hasSensitiveData: z.boolean().nullable(),
    hasAdminPrivileges: z.boolean().nullable(),
    hasHighPrivileges: z.boolean().nullable(),
  }),
  projectIds: z.array(z.string()),
  projects: z.array(namedRefSchema),
});
export type AssetRecord = z.infer<typeof assetRecordSchema>;
