/**
 * Real-shaped Wiz records for replay tests, written here in the shapes public clients record them
 * (Elastic's wiz integration inputs, the XSOAR Wiz and WizDefend queries) with the values that real
 * exports carry and a generated tenant never does: findings IN_PROGRESS and without status, a Defend
 * actor of type UNKNOWN, notes and service tickets without ids, issue timestamps that all differ,
 * vulnerability findings without updatedAt, timestamps with fewer than six fractional digits.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ACCOUNT = { id: "3c8e7a52-9e2f-5d0a-8a63-0f1d6b0b4c11", name: "prod-payments", externalId: "998877665544", cloudProvider: "AWS" };

export const RECORDED_ISSUES: Json[] = [
  {
    id: "c2b2f4e6-1b8a-4f0e-9d7a-2f3c4b5a6d7e",
    sourceRules: [{ __typename: "Control", id: "wc-id-1335", name: "Publicly exposed VM with a critical vulnerability", controlDescription: "The VM is reachable from the internet." }],
    createdAt: "2025-12-20T07:56:09.903743Z",
    updatedAt: "2025-12-28T10:11:12.000001Z",
    statusChangedAt: "2025-12-22T12:30:00.5Z",
    resolvedAt: null,
    dueAt: "2026-01-15T00:00:00Z",
    type: "TOXIC_COMBINATION",
    status: "IN_PROGRESS",
    severity: "HIGH",
    resolutionReason: null,
    projects: [{ id: "83b76efe-a7b6-5762-8a53-8e8f59e68bd8", name: "Payments", slug: "payments", businessUnit: "", riskProfile: { businessImpact: "MBI" } }],
    entitySnapshot: {
      id: "e507d472-b7da-5f05-9b25-72a271336b14",
      type: "VIRTUAL_MACHINE",
      nativeType: "ec2#instance",
      name: "payments-api-1",
      status: "Active",
      cloudPlatform: "AWS",
      cloudProviderURL: "https://console.aws.amazon.com/ec2/v2/home?region=us-east-1#InstanceDetails:instanceId=i-0a1b2c3d4e5f60718",
      providerId: "arn:aws:ec2:us-east-1:998877665544:instance/i-0a1b2c3d4e5f60718",
      region: "us-east-1",
      resourceGroupExternalId: null,
      subscriptionExternalId: "998877665544",
      subscriptionName: "prod-payments",
      subscriptionTags: { team: "payments" },
      tags: { env: "prod" },
      externalId: "i-0a1b2c3d4e5f60718",
    },
    serviceTickets: [{ externalId: "INC0012345", name: "INC0012345", url: "https://example.service-now.com/nav_to.do?uri=incident.do?sys_id=INC0012345" }],
    notes: [
      { createdAt: "2025-12-21T08:00:00.123Z", updatedAt: "2025-12-21T09:30:00.123Z", text: "Patching scheduled for the next window.", user: { name: "Ada Lovelace", email: "ada@example.com" }, serviceAccount: null },
      { createdAt: "2025-12-23T08:00:00Z", updatedAt: "2025-12-23T08:00:00Z", text: "Ticket opened.", user: null, serviceAccount: { name: "ServiceNow" } },
    ],
  },
  {
    id: "5f0c7d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f",
    sourceRules: [{ __typename: "CloudConfigurationRule", id: "a7f1c2e3-4b5d-4e6f-8a9b-0c1d2e3f4a5b", name: "S3 bucket allows public read" }],
    createdAt: "2025-12-10T00:00:01Z",
    updatedAt: "2025-12-27T16:45:30.25Z",
    statusChangedAt: "2025-12-26T16:45:30.25Z",
    resolvedAt: "2025-12-26T16:45:30.25Z",
    dueAt: null,
    type: "CLOUD_CONFIGURATION",
    status: "RESOLVED",
    severity: "MEDIUM",
    resolutionReason: null,
    projects: [],
    notes: [],
    serviceTickets: [],
  },
];

export const RECORDED_CONFIGURATION_FINDINGS: Json[] = [
  {
    id: "0b5f8e4a-6d3c-4f2e-9a1b-7c8d9e0f1a2b",
    name: "S3 bucket should block public access",
    analyzedAt: "2025-12-30T03:04:05.678901Z",
    updatedAt: "2025-12-29T03:04:05Z",
    severity: "HIGH",
    result: "IN_PROGRESS",
    remediation: "Enable S3 Block Public Access on the bucket.",
    resource: {
      id: "b7d1a8e2-3f4c-5a6b-9c0d-1e2f3a4b5c6d",
      providerId: "arn:aws:s3:::payments-exports",
      name: "payments-exports",
      nativeType: "bucket",
      type: "BUCKET",
      region: "us-east-1",
      cloudPlatform: "AWS",
      subscription: ACCOUNT,
      tags: [{ key: "env", value: "prod" }],
    },
    rule: { id: "d2a9c6f1-7e3b-4a5c-8d9e-0f1a2b3c4d5e", shortId: "S3-002", name: "S3 Bucket should block public access", description: "Public buckets leak data.", remediationInstructions: "Enable Block Public Access." },
    evidence: { currentValue: "false", expectedValue: "true", configurationPath: "PublicAccessBlockConfiguration", cloudConfigurationLink: null },
  },
  {
    id: "1c6a9f5b-7e4d-4a3f-8b2c-8d9e0f1a2b3c",
    name: "EC2 instance should use IMDSv2",
    analyzedAt: "2025-12-30T03:04:05.678901Z",
    updatedAt: "2025-12-30T03:04:05.678901Z",
    severity: "MEDIUM",
    result: "FAIL",
    status: "OPEN",
    remediation: null,
    resource: {
      id: "e507d472-b7da-5f05-9b25-72a271336b14",
      providerId: "arn:aws:ec2:us-east-1:998877665544:instance/i-0a1b2c3d4e5f60718",
      name: "payments-api-1",
      nativeType: "ec2#instance",
      type: "VIRTUAL_MACHINE",
      region: "us-east-1",
      cloudPlatform: "AWS",
      subscription: ACCOUNT,
      tags: [],
    },
    rule: { id: "f4b0d7a2-8c5e-4b6d-9e0f-1a2b3c4d5e6f", shortId: "EC2-014", name: "EC2 instance should use IMDSv2" },
    evidence: null,
  },
];

export const RECORDED_VULNERABILITY_FINDINGS: Json[] = [
  {
    id: "9d2e6b3a-4c5f-5e7a-8b9c-0d1e2f3a4b5c",
    portalUrl: "https://app.wiz.io/explorer/vulnerability-findings#~(entity~(~'9d2e6b3a-4c5f-5e7a-8b9c-0d1e2f3a4b5c))",
    name: "CVE-2024-6387",
    CVEDescription: "A signal handler race condition was found in OpenSSH's server (sshd).",
    CVSSSeverity: "HIGH",
    score: 8.1,
    exploitabilityScore: 2.2,
    impactScore: 5.9,
    dataSourceName: null,
    hasExploit: true,
    hasCisaKevExploit: false,
    status: "OPEN",
    vendorSeverity: "HIGH",
    firstDetectedAt: "2025-12-18T10:00:00.1Z",
    lastDetectedAt: "2025-12-30T10:00:00.100001Z",
    resolvedAt: null,
    description: "openssh-server 1:8.9p1-3ubuntu0.6 is vulnerable.",
    remediation: "Upgrade openssh-server to 1:8.9p1-3ubuntu0.10.",
    detailedName: "openssh-server",
    version: "1:8.9p1-3ubuntu0.6",
    fixedVersion: "1:8.9p1-3ubuntu0.10",
    detectionMethod: "PACKAGE",
    link: "https://nvd.nist.gov/vuln/detail/CVE-2024-6387",
    locationPath: null,
    resolutionReason: null,
    epssSeverity: "HIGH",
    epssPercentile: 99.1,
    epssProbability: 0.93,
    validatedInRuntime: null,
    layerMetadata: null,
    projects: [{ id: "83b76efe-a7b6-5762-8a53-8e8f59e68bd8", name: "Payments", slug: "payments", businessUnit: "", riskProfile: { businessImpact: "MBI" } }],
    ignoreRules: null,
    vulnerableAsset: {
      id: "e507d472-b7da-5f05-9b25-72a271336b14",
      type: "VIRTUAL_MACHINE",
      name: "payments-api-1",
      region: "us-east-1",
      providerUniqueId: "arn:aws:ec2:us-east-1:998877665544:instance/i-0a1b2c3d4e5f60718",
      cloudProviderURL: null,
      cloudPlatform: "AWS",
      status: "Active",
      subscriptionName: "prod-payments",
      subscriptionExternalId: "998877665544",
      subscriptionId: ACCOUNT.id,
      tags: { env: "prod" },
      hasLimitedInternetExposure: false,
      hasWideInternetExposure: true,
      isAccessibleFromVPN: false,
      isAccessibleFromOtherVnets: false,
      isAccessibleFromOtherSubscriptions: false,
      operatingSystem: "Linux",
      ipAddresses: ["10.0.1.15", "54.12.34.56"],
    },
  },
];

export const RECORDED_DETECTIONS: Json[] = [
  {
    id: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    type: "GENERATED_THREAT",
    origins: ["AWS_CLOUDTRAIL"],
    severity: "HIGH",
    description: "Suspicious console login from an unusual location.",
    createdAt: "2025-12-29T22:10:00.5Z",
    updatedAt: "2025-12-29T22:15:00.75Z",
    startedAt: "2025-12-29T22:05:00Z",
    endedAt: "2025-12-29T22:09:59Z",
    issue: null,
    ruleMatch: { rule: { id: "e0f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b", name: "Console login from a new country", sourceType: "CLOUD_EVENTS", builtin: true, origins: ["AWS_CLOUDTRAIL"] } },
    cloudAccounts: [ACCOUNT],
    cloudOrganizations: [],
    primaryActor: { id: "f9e8d7c6-b5a4-4938-8271-605f4e3d2c1b", name: "unknown-principal", type: "UNKNOWN", nativeType: null, providerUniqueId: null },
    actors: [{ id: "f9e8d7c6-b5a4-4938-8271-605f4e3d2c1b", name: "unknown-principal", type: "UNKNOWN", externalId: null, nativeType: null, providerUniqueId: null }],
    primaryResource: { id: "e507d472-b7da-5f05-9b25-72a271336b14", type: "VIRTUAL_MACHINE", name: "payments-api-1", nativeType: "ec2#instance", region: "us-east-1", providerUniqueId: "arn:aws:ec2:us-east-1:998877665544:instance/i-0a1b2c3d4e5f60718", externalId: "i-0a1b2c3d4e5f60718" },
    resources: [],
  },
];

/** Writes the records as a `--tenant-dir` export: one file per root field, some as recorded GraphQL responses. */
export function writeRecordedTenant(dir: string, extra: Record<string, Json[]> = {}): void {
  const files: Record<string, Json> = {
    issues: { data: { issues: { nodes: RECORDED_ISSUES, pageInfo: { hasNextPage: false, endCursor: null } } } },
    configurationFindings: RECORDED_CONFIGURATION_FINDINGS,
    vulnerabilityFindings: { data: { vulnerabilityFindings: { nodes: RECORDED_VULNERABILITY_FINDINGS } } },
    detections: RECORDED_DETECTIONS,
    ...extra,
  };
  for (const [root, body] of Object.entries(files)) writeFileSync(join(dir, `${root}.json`), JSON.stringify(body));
}

/**
 * Differences between what came back and what was recorded, for every field both have: nested objects
 * and lists compared the same way, so a selection of a recorded node must equal the recorded values.
 */
export function differences(served: unknown, recorded: unknown, path = ""): string[] {
  if (Array.isArray(served) && Array.isArray(recorded)) {
    if (served.length !== recorded.length) return [`${path}: ${served.length} items, recorded ${recorded.length}`];
    return served.flatMap((item, k) => differences(item, recorded[k], `${path}[${k}]`));
  }
  if (served && recorded && typeof served === "object" && typeof recorded === "object") {
    const r = recorded as Record<string, unknown>;
    return Object.entries(served as Record<string, unknown>).flatMap(([key, value]) => (key in r ? differences(value, r[key], path ? `${path}.${key}` : key) : []));
  }
  return JSON.stringify(served) === JSON.stringify(recorded) ? [] : [`${path}: ${JSON.stringify(served)}, recorded ${JSON.stringify(recorded)}`];
}
