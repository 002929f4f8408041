import type { CanonicalRecord, ResourceRef } from "../../model/canonical/index.js";
import { ecsEventSeverityOf } from "../severity/severity-ladder.js";
import { compact } from "../compact.js";

/** The ECS version the documents declare; the fields used exist unchanged in ECS 8.x and 9.x. */
export const ECS_VERSION = "8.11.0";

/** An ECS document as nested JSON (what Elasticsearch ingests). */
export type EcsDocument = { "@timestamp": string; ecs: { version: string }; event: Record<string, unknown> } & Record<string, unknown>;

export interface EcsOptions {
  /** RFC 3339: when wizbridge read the record. */
  observedAt: string;
}

/** Wiz cloudPlatform -> ECS cloud.provider (lower case, as Elastic's own cloud integrations write it). */
const CLOUD_PROVIDERS: Readonly<Record<string, string>> = { AWS: "aws", Azure: "azure", GCP: "gcp", OCI: "oci", Alibaba: "alibaba", EKS: "aws", AKS: "azure", GKE: "gcp", OKE: "oci" };

function cloudOf(resource: ResourceRef | null): Record<string, unknown> | undefined {
  if (!resource) return undefined;
  const cloud = compact({
    provider: resource.cloudPlatform ? (CLOUD_PROVIDERS[resource.cloudPlatform] ?? resource.cloudPlatform.toLowerCase()) : undefined,
    region: resource.region ?? undefined,
    account: resource.account ? compact({ id: resource.account.externalId ?? resource.account.id ?? undefined, name: resource.account.name ?? undefined }) : undefined,
    instance: resource.type === "VIRTUAL_MACHINE" ? compact({ id: resource.providerUniqueId ?? undefined, name: resource.name ?? undefined }) : undefined,
  });
  return Object.keys(cloud).length > 0 ? cloud : undefined;
}

function resourceOf(resource: ResourceRef | null): Record<string, unknown> | undefined {
  if (!resource) return undefined;
  return compact({ id: resource.providerUniqueId ?? resource.id, name: resource.name ?? undefined, type: resource.nativeType ?? resource.type ?? undefined, sub_type: resource.type ?? undefined });
}

function hostOf(resource: ResourceRef | null): Record<string, unknown> | undefined {
  if (!resource || (resource.operatingSystem === null && resource.ipAddresses.length === 0)) return undefined;
  return compact({ name: resource.name ?? undefined, ip: resource.ipAddresses.length > 0 ? resource.ipAddresses : undefined, os: resource.operatingSystem ? { full: resource.operatingSystem } : undefined });
}

function eventOf(record: CanonicalRecord, kind: string, category: string[], type: string[]): Record<string, unknown> {
  return compact({
    kind,
    category,
    type,
    id: record.id,
    severity: ecsEventSeverityOf(record.severity) ?? undefined,
    created: record.createdAt ?? undefined,
    url: record.portalUrl,
    provider: "wiz",
    dataset: `wiz.${record.recordType}`,
    outcome: undefined,
  });
}

/**
 * A canonical record as an ECS document, shaped as Elastic's Wiz integration shapes its data streams
 * (issue, vulnerability, cloud configuration finding, audit, defend): event.kind/category/type, vulnerability.*,
 * cloud.*, resource.*, rule.*, with Wiz-only fields under `wiz.*`.
 */
export function toEcs(record: CanonicalRecord, options: EcsOptions): EcsDocument {
  const timestamp = record.updatedAt ?? record.createdAt ?? options.observedAt;
  const common = { "@timestamp": timestamp, ecs: { version: ECS_VERSION }, observer: { vendor: "Wiz", product: "Wiz" }, message: record.title ?? undefined };
  switch (record.recordType) {
    case "vulnerabilityFinding":
      return compact({
        ...common,
        event: eventOf(record, "alert", ["vulnerability"], ["info"]),
        vulnerability: compact({
          id: record.cve.id,
          description: record.cve.description ?? record.description ?? undefined,
          severity: record.severityLevel ?? undefined,
          reference: record.references[0],
          score: record.cve.score !== null ? { base: record.cve.score } : undefined,
          classification: "CVSS",
          enumeration: record.cve.id.startsWith("CVE-") ? "CVE" : undefined,
          category: record.detectionMethod ? [record.detectionMethod] : undefined,
          scanner: { vendor: "Wiz" },
        }),
        package: record.package.name ? compact({ name: record.package.name, version: record.package.version ?? undefined, fixed_version: record.fixedVersion ?? undefined, path: record.package.locationPath ?? undefined }) : undefined,
        cloud: cloudOf(record.resource),
        resource: resourceOf(record.resource),
        host: hostOf(record.resource),
        wiz: { vulnerability: compact({ status: record.status ?? undefined, has_exploit: record.hasExploit ?? undefined, has_cisa_kev_exploit: record.hasCisaKevExploit ?? undefined, first_detected_at: record.firstDetectedAt ?? undefined, last_detected_at: record.lastDetectedAt ?? undefined, remediation: record.remediation ?? undefined, portal_url: record.portalUrl }) },
      }) as EcsDocument;
    case "issue":
    case "threat":
      return compact({
        ...common,
        event: eventOf(record, "alert", record.category === "threat" ? ["intrusion_detection"] : ["configuration"], record.category === "threat" ? ["indicator"] : ["info"]),
        rule: record.rule ? compact({ id: record.rule.id, name: record.rule.name ?? undefined, category: record.rule.type ?? undefined }) : undefined,
        cloud: cloudOf(record.resource),
        resource: resourceOf(record.resource),
        wiz: { issue: compact({ type: record.issueType, status: record.status ?? undefined, severity: record.severity ?? undefined, resolution_reason: record.resolutionReason ?? undefined, project_ids: record.projectIds, due_at: record.dueAt ?? undefined }) },
      }) as EcsDocument;
    case "configurationFinding":
      return compact({
        ...common,
        event: eventOf(record, "state", ["configuration"], ["info"]),
        result: record.result ? { evaluation: record.result === "PASS" ? "passed" : record.result === "FAIL" ? "failed" : "unknown" } : undefined,
        rule: record.rule ? compact({ id: record.rule.id, name: record.rule.name ?? undefined, reference: record.rule.shortId ?? undefined, remediation: record.remediation ?? undefined }) : undefined,
        cloud: cloudOf(record.resource),
        resource: resourceOf(record.resource),
        wiz: { cloud_configuration_finding: compact({ status: record.status ?? undefined, result: record.result ?? undefined, analyzed_at: record.analyzedAt ?? undefined }) },
      }) as EcsDocument;
    case "detection":
      return compact({
        ...common,
        event: eventOf(record, "alert", ["intrusion_detection"], ["info"]),
        rule: record.rule ? compact({ id: record.rule.id, name: record.rule.name ?? undefined }) : undefined,
        threat: record.mitre.techniques.length + record.mitre.tactics.length > 0 ? compact({ framework: "MITRE ATT&CK", technique: record.mitre.techniques.length ? { id: record.mitre.techniques } : undefined, tactic: record.mitre.tactics.length ? { id: record.mitre.tactics } : undefined }) : undefined,
        cloud: cloudOf(record.resource),
        resource: resourceOf(record.resource),
        wiz: { defend: compact({ type: record.detectionType ?? undefined, origins: record.origins, issue_id: record.issueId ?? undefined, actor: record.actor ?? undefined }) },
      }) as EcsDocument;
    case "asset":
      return compact({
        ...common,
        event: eventOf(record, "state", ["configuration"], ["info"]),
        cloud: cloudOf(record.resource),
        resource: resourceOf(record.resource),
        host: hostOf(record.resource),
        labels: Object.keys(record.resource.tags).length > 0 ? record.resource.tags : undefined,
        wiz: { asset: compact({ status: record.status ?? undefined, first_seen: record.firstSeen ?? undefined, last_seen: record.lastSeen ?? undefined, external_id: record.externalId ?? undefined }) },
      }) as EcsDocument;
    case "repository":
      return compact({
        ...common,
        event: eventOf(record, "state", ["configuration"], ["info"]),
        resource: compact({ id: record.providerId ?? record.id, name: record.title ?? undefined, type: record.resourceType ?? undefined }),
        url: record.url ? { full: record.url } : undefined,
      }) as EcsDocument;
    case "project":
      return compact({ ...common, event: eventOf(record, "state", ["configuration"], ["info"]), wiz: { project: compact({ slug: record.slug ?? undefined, business_unit: record.businessUnit ?? undefined, archived: record.archived }) } }) as EcsDocument;
    case "auditLogEntry":
      return compact({
        ...common,
        event: compact({ ...eventOf(record, "event", ["configuration"], ["change"]), action: record.action ?? undefined, outcome: record.status === "SUCCESS" ? "success" : record.status === "FAILED" ? "failure" : undefined }),
        user: record.user ? compact({ id: record.user.id ?? undefined, name: record.user.name ?? undefined, email: record.user.email ?? undefined }) : undefined,
        source: record.sourceIP ? { ip: record.sourceIP } : undefined,
        user_agent: record.userAgent ? { original: record.userAgent } : undefined,
      }) as EcsDocument;
  }
}
