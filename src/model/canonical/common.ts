import { z } from "zod";

/** Wiz's five severity tiers, kept as Wiz sends them (the ladder's output sits beside them). */
export const WIZ_SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const wizSeveritySchema = z.enum(WIZ_SEVERITIES);
export type WizSeverity = z.infer<typeof wizSeveritySchema>;

/** RFC 3339 as Wiz sends it (0 to 9 fraction digits); kept as a string so no precision is lost. */
export const timestampSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/, "an RFC 3339 timestamp");

export const cloudAccountRefSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  externalId: z.string().nullable(),
});
export type CloudAccountRef = z.infer<typeof cloudAccountRefSchema>;

/** The cloud resource a record is about (or the asset itself), the same shape in every record kind. */
export const resourceRefSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** Wiz graph entity type (VIRTUAL_MACHINE, CONTAINER...). */
  type: z.string().nullable(),
  /** The provider's own type (ec2#instance, Microsoft.Compute/virtualMachines...). */
  nativeType: z.string().nullable(),
  /** ARN, Azure resource id, GCP name, image digest...: the id the cloud provider knows it by. */
  providerUniqueId: z.string().nullable(),
  cloudPlatform: z.string().nullable(),
  region: z.string().nullable(),
  account: cloudAccountRefSchema.nullable(),
  status: z.string().nullable(),
  projectIds: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  /** Set for virtual machines. */
  operatingSystem: z.string().nullable(),
  ipAddresses: z.array(z.string()),
  /** Container images and containers: the image digest. */
  imageId: z.string().nullable(),
  /** Containers: where they run. */
  kubernetes: z.object({ namespace: z.string().nullable(), pod: z.string().nullable(), node: z.string().nullable(), cluster: z.string().nullable() }).nullable(),
  /** Serverless functions. */
  runtime: z.string().nullable(),
  /** Repository branches. */
  repositoryName: z.string().nullable(),
  cloudProviderUrl: z.string().nullable(),
});
export type ResourceRef = z.infer<typeof resourceRefSchema>;

export const namedRefSchema = z.object({ id: z.string(), name: z.string().nullable() });
export type NamedRef = z.infer<typeof namedRefSchema>;

export const personRefSchema = z.object({ id: z.string().nullable(), name: z.string().nullable(), email: z.string().nullable() });
export type PersonRef = z.infer<typeof personRefSchema>;

/** Fields every canonical record has, whatever its kind. */
export const baseRecordShape = {
  id: z.string(),
  title: z.string().nullable(),
  /** Wiz's severity, untouched. */
  severity: wizSeveritySchema.nullable(),
  /** The connector's severity ladder applied to `severity` (equal to it with the `wiz` ladder). */
  severityLevel: z.string().nullable(),
  status: z.string().nullable(),
  createdAt: timestampSchema.nullable(),
  updatedAt: timestampSchema.nullable(),
  /** Deep link to the record in the Wiz portal. */
  portalUrl: z.string(),
};
