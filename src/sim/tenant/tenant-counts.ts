import type { TenantCounts, TenantSize } from "./types.js";

/** Record counts per tenant size; `xl` is the 1,000,000-finding load test. */
export const TENANT_SIZES: Readonly<Record<TenantSize, Readonly<TenantCounts>>> = {
  tiny: {
    projects: 3,
    cloudAccounts: 8,
    kubernetesClusters: 3,
    cloudResources: 200,
    issues: 300,
    vulnerabilityFindings: 1_000,
    configurationFindings: 400,
    detections: 100,
    auditLogEntries: 200,
    versionControlResources: 12,
    users: 10,
  },
  small: {
    projects: 8,
    cloudAccounts: 16,
    kubernetesClusters: 6,
    cloudResources: 2_000,
    issues: 2_000,
    vulnerabilityFindings: 10_000,
    configurationFindings: 4_000,
    detections: 500,
    auditLogEntries: 1_000,
    versionControlResources: 60,
    users: 30,
  },
  medium: {
    projects: 20,
    cloudAccounts: 40,
    kubernetesClusters: 12,
    cloudResources: 20_000,
    issues: 20_000,
    vulnerabilityFindings: 100_000,
    configurationFindings: 40_000,
    detections: 5_000,
    auditLogEntries: 10_000,
    versionControlResources: 300,
    users: 100,
  },
  large: {
    projects: 50,
    cloudAccounts: 100,
    kubernetesClusters: 30,
    cloudResources: 60_000,
    issues: 60_000,
    vulnerabilityFindings: 300_000,
    configurationFindings: 120_000,
    detections: 15_000,
    auditLogEntries: 30_000,
    versionControlResources: 900,
    users: 300,
  },
  xl: {
    projects: 100,
    cloudAccounts: 200,
    kubernetesClusters: 50,
    // Resources stay moderate so the lazily built provider-id map stays small.
    cloudResources: 100_000,
    issues: 100_000,
    vulnerabilityFindings: 1_000_000,
    configurationFindings: 200_000,
    detections: 25_000,
    auditLogEntries: 50_000,
    versionControlResources: 1_500,
    users: 500,
  },
};

/**
 * Counts for a size plus overrides. Kubernetes clusters and version-control resources are mirrored by
 * cloud resources (same ids), so each is capped at a quarter of the cloud resources.
 */
export function resolveTenantCounts(size: TenantSize | undefined, overrides: Partial<TenantCounts> | undefined): TenantCounts {
  const base = TENANT_SIZES[size ?? "small"];
  if (!base) throw new RangeError(`unknown tenant size ${JSON.stringify(size)}; use tiny, small, medium, large or xl`);
  const counts: TenantCounts = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {}) as Array<[keyof TenantCounts, number | undefined]>) {
    if (value === undefined) continue;
    if (!(key in counts)) throw new RangeError(`unknown tenant count ${JSON.stringify(key)}; known: ${Object.keys(counts).join(", ")}`);
    if (!Number.isInteger(value) || value < 0 || value > 50_000_000) {
      throw new RangeError(`tenant count ${key} must be an integer between 0 and 50,000,000, got ${value}`);
    }
    counts[key] = value;
  }
  const mirrorCap = Math.floor(counts.cloudResources / 4);
  counts.kubernetesClusters = Math.min(counts.kubernetesClusters, mirrorCap);
  counts.versionControlResources = Math.min(counts.versionControlResources, mirrorCap);
  return counts;
}
