import type { SinkRecord } from "../../src/sinks/sink.js";

/** Canonical WizEvents for the syslog tests, built field by field (not through the normalisers). */

export interface TestEventOptions {
  seq?: number;
  eventId?: string;
  connector?: string;
  stream?: string;
  kind?: "upsert" | "removal";
  observedAt?: string;
  profile?: string;
  record?: Record<string, unknown>;
  /** JSON.stringify's indent: a payload with line breaks. */
  indent?: number;
}

export const TEST_RESOURCE = {
  id: "res-1",
  name: "web-01",
  type: "VIRTUAL_MACHINE",
  nativeType: "ec2#instance",
  providerUniqueId: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
  cloudPlatform: "AWS",
  region: "eu-west-1",
  account: { id: "acc-1", name: "prod", externalId: "123456789012" },
  status: "Active",
  projectIds: [],
  tags: {},
  operatingSystem: "Linux",
  ipAddresses: ["10.0.0.5"],
  imageId: null,
  kubernetes: null,
  runtime: null,
  repositoryName: null,
  cloudProviderUrl: null,
};

export function issueRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recordType: "issue",
    id: "iss-1",
    title: "Publicly exposed VM with a critical vulnerability",
    severity: "CRITICAL",
    severityLevel: "CRITICAL",
    status: "OPEN",
    createdAt: "2026-01-02T03:04:05.123456789Z",
    updatedAt: "2026-01-03T03:04:05Z",
    portalUrl: "https://app.wiz.io/issues#~(issue~'iss-1)",
    issueType: "TOXIC_COMBINATION",
    category: "toxic-combination",
    statusChangedAt: null,
    resolvedAt: null,
    dueAt: null,
    resolutionReason: null,
    resolutionNote: null,
    rule: { id: "rule-42", name: "Exposed VM", type: null },
    resource: TEST_RESOURCE,
    projectIds: [],
    projects: [],
    notes: [],
    serviceTickets: [],
    ...overrides,
  };
}

export function vulnerabilityRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recordType: "vulnerabilityFinding",
    id: "vf-1",
    title: "CVE-2024-0001 in openssl",
    severity: "HIGH",
    severityLevel: "HIGH",
    status: "OPEN",
    createdAt: null,
    updatedAt: null,
    portalUrl: "https://app.wiz.io/explorer/vulnerability-findings#~(entity~(~'vf-1*2cSECURITY_TOOL_FINDING))",
    cve: { id: "CVE-2024-0001", externalId: null, description: "a bad bug", score: 8.1, exploitabilityScore: null, impactScore: null, cvssSeverity: "HIGH", vendorSeverity: null, epssSeverity: null, epssPercentile: null, epssProbability: null },
    hasExploit: false,
    hasCisaKevExploit: false,
    package: { name: "openssl", version: "3.0.1", fixedVersion: "3.0.2", locationPath: null },
    fixedVersion: "3.0.2",
    detectionMethod: "PACKAGE",
    description: null,
    remediation: null,
    references: [],
    firstDetectedAt: "2026-01-01T00:00:00Z",
    lastDetectedAt: null,
    resolvedAt: null,
    resolutionReason: null,
    resource: TEST_RESOURCE,
    projectIds: [],
    projects: [],
    ...overrides,
  };
}

export function testEvent(o: TestEventOptions = {}): SinkRecord {
  const seq = o.seq ?? 1;
  const eventId = o.eventId ?? `ev-${seq}`;
  const connector = o.connector ?? "prod";
  const stream = o.stream ?? "issues";
  const event = {
    id: eventId,
    source: "wiz",
    kind: o.kind ?? "upsert",
    connector,
    stream,
    observedAt: o.observedAt ?? "2026-02-03T04:05:06.789Z",
    profile: o.profile ?? "canonical",
    record: o.record ?? issueRecord(),
    raw: { id: "iss-1", note: "raw node" },
  };
  return { seq, eventId, connectorId: connector, stream, payload: JSON.stringify(event, null, o.indent) };
}
