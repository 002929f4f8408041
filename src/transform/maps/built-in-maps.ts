import type { TransformMapInput } from "./transform-map.schema.js";

/** Wiz status -> the Active/Fixed/Ignored vocabulary vulnerability managers use. */
const FINDING_STATUS = { OPEN: "Active", IN_PROGRESS: "Active", RESOLVED: "Fixed", REJECTED: "Ignored", IGNORED: "Ignored" };

/** Wiz cloudPlatform -> the compute platform names vulnerability managers key cloud instances by. */
const CLOUD_PLATFORM = { AWS: "EC2", Azure: "AZURE_VM", GCP: "GCE", OCI: "OCI_COMPUTE", Alibaba: "ECS" };

/**
 * The maps vulnerability managers ship for Wiz (an asset map and a vulnerability map), as data. Read-only:
 * `wizbridge map clone <name> <new-name>` makes an editable copy.
 */
export const BUILT_IN_MAPS: Readonly<Record<string, TransformMapInput>> = Object.freeze({
  "vm-vulnerability": {
    name: "vm-vulnerability",
    description: "Wiz vulnerability findings as a vulnerability manager's findings (the fields vendors' Wiz connectors fill).",
    recordTypes: ["vulnerabilityFinding"],
    fields: {
      asset_name: { from: ["resource.name", "resource.providerUniqueId"] },
      external_asset_id: { from: ["resource.providerUniqueId", "resource.id"] },
      finding_name: { from: ["title", "cve.id"] },
      source_finding_id: { from: "id" },
      severity: { from: "severityLevel" },
      original_severity: { from: "severity" },
      description: { from: ["description", "cve.description"] },
      detection_method: { from: "detectionMethod", apply: ["lowercase"] },
      first_found: { from: "firstDetectedAt", type: "date" },
      last_found: { from: "lastDetectedAt", type: "date" },
      exploit_available: { from: "hasExploit", type: "boolean", default: false },
      cisa_kev: { from: "hasCisaKevExploit", type: "boolean", default: false },
      references: { from: "references", type: "string[]", default: [] },
      cve_id: { from: "cve.id" },
      portal_url: { from: "portalUrl" },
      recommendation: { from: "remediation" },
      fixed_version: { from: "fixedVersion" },
      score: { from: "cve.score", type: "number" },
      status: { from: "status", values: FINDING_STATUS },
      ips: { from: "resource.ipAddresses", type: "string[]", default: [] },
      os: { from: "resource.operatingSystem" },
      cloud_platform: { from: "resource.cloudPlatform", values: CLOUD_PLATFORM },
      cloud_instance_id: { from: "resource.providerUniqueId" },
    },
  },
  "vm-asset": {
    name: "vm-asset",
    description: "Wiz cloud resources as a vulnerability manager's assets.",
    recordTypes: ["asset"],
    fields: {
      asset_name: { from: ["resource.name", "resource.providerUniqueId"] },
      external_asset_id: { from: ["resource.providerUniqueId", "externalId", "id"] },
      wiz_id: { from: "id" },
      asset_type: { from: "resource.type" },
      native_type: { from: "resource.nativeType" },
      status: { from: "status" },
      first_found: { from: ["firstSeen", "createdAt"], type: "date" },
      last_found: { from: ["lastSeen", "updatedAt"], type: "date" },
      ips: { from: "resource.ipAddresses", type: "string[]", default: [] },
      os: { from: "resource.operatingSystem" },
      cloud_platform: { from: "resource.cloudPlatform", values: CLOUD_PLATFORM },
      cloud_instance_id: { from: ["resource.providerUniqueId", "externalId"] },
      account_id: { from: ["resource.account.externalId", "resource.account.id"] },
      region: { from: "resource.region" },
      project_ids: { from: "projectIds", type: "string[]", default: [] },
      portal_url: { from: "portalUrl" },
    },
  },
});

export function isBuiltInMap(name: string): boolean {
  return Object.hasOwn(BUILT_IN_MAPS, name);
}
