import { z } from "zod";
import { baseRecordShape } from "./common.js";

/** A version-control resource (repository, branch) Wiz scans. */
export const repositoryRecordSchema = z.object({
  recordType: z.literal("repository"),
  ...baseRecordShape,
  /** REPOSITORY, REPOSITORY_BRANCH... */
  resourceType: z.string().nullable(),
  cloudPlatform: z.string().nullable(),
  providerId: z.string().nullable(),
  url: z.string().nullable(),
  repository: z.object({ id: z.string(), name: z.string().nullable(), url: z.string().nullable() }).nullable(),
});
export type RepositoryRecord = z.infer<typeof repositoryRecordSchema>;
