import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseWizTimestamp } from "../clock.js";
import { generateTenant } from "./generate-tenant.js";
import { TENANT_SIZES } from "./tenant-counts.js";
import { ISSUE_STATUSES, ISSUE_TYPES, type Tenant, type WizRecord } from "./types.js";

const NOW = Date.parse("2026-01-01T00:00:00.000Z");
const DAY = 86_400_000;
const KINDS = [
  "projects",
  "cloudAccounts",
  "kubernetesClusters",
  "cloudResources",
  "issues",
  "vulnerabilityFindings",
  "configurationFindings",
  "detections",
  "auditLogEntries",
  "versionControlResources",
  "users",
] as const;
const WIZ_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function fingerprint(tenant: Tenant, perKind = 1_000): string {
  const hash = createHash("sha256");
  for (const kind of KINDS) {
    const collection = tenant[kind];
    for (let i = 0; i < Math.min(perKind, collection.size()); i += 1) hash.update(JSON.stringify(collection.get(i)));
  }
  return hash.digest("hex");
}

const all = (tenant: Tenant, kind: (typeof KINDS)[number]): WizRecord[] => Array.from({ length: tenant[kind].size() }, (_, i) => tenant[kind].get(i));
const rec = (value: unknown): WizRecord => value as WizRecord;

describe("generateTenant", () => {
  const tiny = generateTenant({ seed: 11, size: "tiny", now: NOW });
  const small = generateTenant({ seed: 12, size: "small", now: NOW });

  it("gives byte-identical records for the same seed, different data for another seed", () => {
    const a = fingerprint(generateTenant({ seed: 7, size: "small", now: NOW }));
    const b = fingerprint(generateTenant({ seed: 7, size: "small", now: NOW }));
    expect(b).toBe(a);
    expect(fingerprint(generateTenant({ seed: 8, size: "small", now: NOW }), 50)).not.toBe(fingerprint(generateTenant({ seed: 7, size: "small", now: NOW }), 50));
  });

  it("has the counts of its size, and honours overrides", () => {
    for (const kind of KINDS) expect(tiny[kind].size()).toBe(TENANT_SIZES.tiny[kind]);
    const custom = generateTenant({ seed: 1, size: "tiny", counts: { issues: 50, detections: 5 }, now: NOW });
    expect(custom.issues.size()).toBe(50);
    expect(custom.detections.size()).toBe(5);
    expect(() => generateTenant({ seed: 1, size: "tiny", counts: { issues: -1 }, now: NOW })).toThrow(/issues/);
  });

  it("names records by ids that round-trip through indexOf", () => {
    for (const kind of KINDS) {
      const collection = small[kind];
      for (let i = 0; i < Math.min(200, collection.size()); i += 1) {
        const id = collection.idAt(i);
        expect(collection.get(i).id).toBe(id);
        expect(collection.indexOf(id)).toBe(i);
      }
    }
    expect(small.issues.indexOf(small.detections.idAt(0))).toBeUndefined();
    expect(small.issues.indexOf("00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });

  it("has every issue type in every status among the first 1,000 issues of a medium tenant", () => {
    const medium = generateTenant({ seed: 3, size: "medium", now: NOW });
    expect(medium.vulnerabilityFindings.size()).toBe(100_000);
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) seen.add(`${medium.issues.cols.type[i]}:${medium.issues.cols.status[i]}`);
    expect(seen.size).toBe(ISSUE_TYPES.length * ISSUE_STATUSES.length);
  });

  it("keeps issue timestamps ordered, consistent with status, and in the 90 days before now", () => {
    for (let i = 0; i < 1_000; i += 1) {
      const issue = small.issues.get(i);
      const created = parseWizTimestamp(String(issue.createdAt));
      const changed = parseWizTimestamp(String(issue.statusChangedAt));
      const updated = parseWizTimestamp(String(issue.updatedAt));
      expect(String(issue.createdAt)).toMatch(WIZ_TIME);
      expect(created).toBeGreaterThanOrEqual(NOW - 90 * DAY);
      expect(created).toBeLessThanOrEqual(changed);
      expect(changed).toBeLessThanOrEqual(updated);
      expect(updated).toBeLessThanOrEqual(NOW);
      expect(issue.resolvedAt === null).toBe(issue.status !== "RESOLVED");
      if (issue.status === "RESOLVED") expect(parseWizTimestamp(String(issue.resolvedAt))).toBe(changed);
      expect(issue.resolutionReason === null).toBe(issue.status === "OPEN" || issue.status === "IN_PROGRESS");
    }
  });

  it("prints timestamps that parse back to the column values exactly", () => {
    const cols = small.issues.cols;
    for (let i = 0; i < 500; i += 1) {
      expect(parseWizTimestamp(String(small.issues.get(i).updatedAt))).toBe(cols.updatedAt[i]);
      expect(parseWizTimestamp(String(small.vulnerabilityFindings.get(i).updatedAt))).toBe(small.vulnerabilityFindings.cols.updatedAt[i]);
    }
  });

  it("gives resources provider ids shaped like each platform's", () => {
    const patterns: Array<[RegExp, RegExp]> = [
      [/^ec2#instance$/, /^arn:aws:ec2:[a-z]{2}-[a-z]+-\d:\d{12}:instance\/i-0[0-9a-f]{16}$/],
      [/^s3#bucket$/, /^arn:aws:s3:::[a-z0-9.-]{3,63}$/],
      [/^lambda#function$/, /^arn:aws:lambda:[a-z]{2}-[a-z]+-\d:\d{12}:function:[\w-]+$/],
      [/^iam#role$/, /^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/],
      [/^rds#dbinstance$/, /^arn:aws:rds:[a-z]{2}-[a-z]+-\d:\d{12}:db:[\w-]+$/],
      [/^eks#cluster$/, /^arn:aws:eks:[a-z]{2}-[a-z]+-\d:\d{12}:cluster\/[\w-]+$/],
      [/^Microsoft\./, /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\/resourceGroups\/[\w-]+\/providers\/Microsoft\.[A-Za-z]+\/[\w./-]+$/],
      [/^compute#instance$/, /^\/\/compute\.googleapis\.com\/projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/zones\/[a-z]+-[a-z]+\d-[a-c]\/instances\/[a-z0-9-]+$/],
      [/^((storage|cloudfunctions|run|sqladmin|bigquery|cloudkms|pubsub|compute|container)#|iam#serviceAccount)/, /^\/\/[a-z]+\.googleapis\.com\/\S+$/],
      [/^(core|objectstorage|database|functions)#/, /^ocid1\.[a-z]+\.oc1\.[a-z]{3}\.[a-z0-9]{60}$/],
      [/^Container$/, /^[0-9a-f]{64}$/],
      [/^(Pod|Namespace|Deployment|ServiceAccount)$/, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
      [/^ContainerImage$/, /^sha256:[0-9a-f]{64}$/],
      [/^branch$/, /^(github|gitlab)\.com##[\w-]+\/[\w-]+##[\w./-]+$/],
      [/^(repository|project)$/, /^(github|gitlab)\.com##[\w-]+\/[\w-]+$/],
    ];
    const matched = new Set<number>();
    for (const resource of all(small, "cloudResources")) {
      const native = String(resource.nativeType);
      patterns.forEach(([nativeType, id], k) => {
        if (!nativeType.test(native)) return;
        expect(String(resource.providerUniqueId), native).toMatch(id);
        matched.add(k);
      });
    }
    expect(matched.size).toBe(patterns.length);
  });

  it("gives accounts ids shaped like their provider's", () => {
    const shapes: Record<string, RegExp> = {
      AWS: /^\d{12}$/,
      Azure: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      GCP: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      OCI: /^ocid1\.tenancy\.oc1\.\.[a-z0-9]{60}$/,
      GitHub: /^[\w-]+$/,
      GitLab: /^[\w-]+$/,
    };
    const providers = new Set<string>();
    for (const account of all(small, "cloudAccounts")) {
      const provider = String(account.cloudProvider);
      providers.add(provider);
      expect(String(account.externalId)).toMatch(shapes[provider] ?? /^$/);
    }
    expect([...providers].sort()).toEqual(Object.keys(shapes).sort());
  });

  it("resolves every resource by its provider id (unique ids)", () => {
    const ids = new Set<string>();
    for (let i = 0; i < small.cloudResources.size(); i += 1) {
      const providerId = String(small.cloudResources.get(i).providerUniqueId);
      ids.add(providerId);
      expect(small.resourceByProviderId(providerId)).toBe(i);
    }
    expect(ids.size).toBe(small.cloudResources.size());
    const container = all(small, "cloudResources").findIndex((r) => r.type === "CONTAINER");
    expect(small.resourceByProviderId(`containerd://${String(small.cloudResources.get(container).providerUniqueId)}`)).toBe(container);
    expect(small.resourceByProviderId("arn:aws:ec2:us-east-1:000000000000:instance/i-0nope")).toBeUndefined();
  });

  it("builds each issue's entitySnapshot from its resource and links rules by issue type", () => {
    const expectedRule: Record<string, string[]> = {
      TOXIC_COMBINATION: ["Control"],
      CLOUD_CONFIGURATION: ["CloudConfigurationRule"],
      THREAT_DETECTION: ["CloudEventRule", "Control"],
    };
    for (let i = 0; i < 400; i += 1) {
      const issue = small.issues.get(i);
      const snapshot = rec(issue.entitySnapshot);
      const resource = small.cloudResources.get(small.issues.cols.resource[i] ?? -1);
      expect(snapshot.id).toBe(resource.id);
      expect(snapshot.providerId).toBe(resource.providerUniqueId);
      expect(snapshot.name).toBe(resource.name);
      expect(snapshot.subscriptionExternalId).toBe(resource.subscriptionExternalId);
      expect(Array.isArray(snapshot.tags)).toBe(false);
      expect(snapshot.tags).toEqual(Object.fromEntries((resource.tags as Array<{ key: string; value: string }>).map((t) => [t.key, t.value])));
      expect(expectedRule[String(issue.type)]).toContain(rec(issue.sourceRule).__typename);
      expect(issue.url).toBe(`https://app.wiz.io/issues#~(issue~'${String(issue.id)})`);
      expect(rec(rec(issue.projects)[0] ?? {}).riskProfile).toHaveProperty("businessImpact");
    }
  });

  it("links THREAT_DETECTION issues to their main detection", () => {
    let checked = 0;
    for (let i = 0; i < small.issues.size() && checked < 50; i += 1) {
      const issue = small.issues.get(i);
      if (issue.type !== "THREAT_DETECTION") {
        expect(issue.threatDetectionDetails).toBeNull();
        continue;
      }
      const details = rec(issue.threatDetectionDetails);
      const main = rec(details.mainDetection);
      const d = small.detections.indexOf(String(main.id));
      expect(d).toBeDefined();
      expect(small.detections.cols.issue[d ?? -1]).toBe(i);
      expect(details.eventOrigin).toBe((main.origins as string[])[0]);
      expect(parseWizTimestamp(String(main.createdAt))).toBeLessThanOrEqual(parseWizTimestamp(String(issue.createdAt)));
      expect(rec(small.detections.get(d ?? 0).issue).id).toBe(issue.id);
      checked += 1;
    }
    expect(checked).toBe(50);
  });

  it("gives vulnerability findings a typed vulnerableAsset with every field", () => {
    const base = ["id", "type", "name", "region", "providerUniqueId", "cloudProviderURL", "cloudPlatform", "status", "subscriptionName", "subscriptionExternalId", "subscriptionId", "tags"];
    const own: Record<string, string[]> = {
      VulnerableAssetVirtualMachine: ["operatingSystem", "ipAddresses"],
      VulnerableAssetServerless: ["runtime"],
      VulnerableAssetContainerImage: ["imageId"],
      VulnerableAssetContainer: ["ImageExternalId", "VmExternalId", "ServerlessContainer", "PodNamespace", "PodName", "NodeName"],
      VulnerableAssetRepositoryBranch: ["repositoryName"],
    };
    const findingFields = ["portalUrl", "CVEDescription", "CVSSSeverity", "score", "exploitabilityScore", "impactScore", "dataSourceName", "hasExploit", "hasCisaKevExploit", "vendorSeverity", "firstDetectedAt", "lastDetectedAt", "remediation", "detailedName", "version", "fixedVersion", "detectionMethod", "link", "locationPath", "epssSeverity", "epssPercentile", "epssProbability", "validatedInRuntime", "layerMetadata", "projects", "ignoreRules"];
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      const finding = small.vulnerabilityFindings.get(i);
      for (const field of findingFields) expect(finding).toHaveProperty(field);
      expect(String(finding.name)).toMatch(/^CVE-\d{4}-\d{4,}$/);
      const asset = rec(finding.vulnerableAsset);
      const typename = String(asset.__typename);
      seen.add(typename);
      for (const field of [...base, ...(own[typename] ?? ["missing"])]) expect(asset, typename).toHaveProperty(field);
    }
    expect([...seen].sort()).toEqual(Object.keys(own).sort());
  });

  it("lists configuration finding resource tags as key/value pairs", () => {
    const finding = tiny.configurationFindings.get(0);
    const resource = rec(finding.resource);
    expect(Array.isArray(resource.tags)).toBe(true);
    expect(rec(finding.rule).__typename).toBe("CloudConfigurationRule");
    expect(["FAIL", "PASS"]).toContain(finding.result);
    expect(rec(finding.evidence)).toHaveProperty("expectedValue");
  });

  it("gives detections CloudEvents, runtime process trees and markdown descriptions", () => {
    const detections = all(small, "detections");
    const runtime = detections.find((d) => rec((d.triggeringEvents as WizRecord[])[0]).extraDetails !== null);
    expect(runtime).toBeDefined();
    const event = rec((rec(runtime).triggeringEvents as WizRecord[])[0]);
    expect(event.__typename).toBe("CloudEvent");
    expect(rec(event.extraDetails).__typename).toBe("CloudEventRuntimeDetails");
    expect((rec(event.extraDetails).processTree as WizRecord[]).length).toBeGreaterThan(0);
    expect(String(rec(runtime).description)).toContain("**");
    expect(new Set(detections.map((d) => d.type))).toEqual(new Set(["GENERATED_THREAT", "MATCH_ONLY"]));
    const matchOnly = detections.find((d) => d.type === "MATCH_ONLY");
    expect(rec(matchOnly).issue).toBeNull();
  });

  it("mirrors version-control resources and clusters with cloud resources", () => {
    for (let v = 0; v < small.versionControlResources.size(); v += 1) {
      const vcs = small.versionControlResources.get(v);
      expect(small.cloudResources.indexOf(String(vcs.id))).toBe(v);
      expect(vcs.providerID).toBe(small.cloudResources.get(v).providerUniqueId);
      expect(rec(vcs.repository)).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), url: expect.stringMatching(/^https:\/\//) }));
    }
    for (let c = 0; c < small.kubernetesClusters.size(); c += 1) {
      const cluster = small.kubernetesClusters.get(c);
      const mirror = small.cloudResources.indexOf(String(cluster.id));
      expect(mirror).toBeDefined();
      expect(small.cloudResources.get(mirror ?? 0).providerUniqueId).toBe(cluster.externalId);
      expect(["EKS", "AKS", "GKE"]).toContain(cluster.kind);
    }
  });

  it("returns a fresh object from every get()", () => {
    const first = small.issues.get(3);
    first.status = "CHANGED";
    (first.projects as WizRecord[]).length = 0;
    expect(small.issues.get(3).status).not.toBe("CHANGED");
    expect((small.issues.get(3).projects as WizRecord[]).length).toBe(1);
  });

  it("generates 200,000 findings (perf smoke; timings are measured by a script, not asserted)", () => {
    const big = generateTenant({ seed: 5, size: "tiny", counts: { vulnerabilityFindings: 200_000 }, now: NOW });
    expect(big.vulnerabilityFindings.size()).toBe(200_000);
    expect(big.vulnerabilityFindings.get(199_999).id).toBe(big.vulnerabilityFindings.idAt(199_999));
  });
});
