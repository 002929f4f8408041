import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateTenant } from "./generate-tenant.js";
import { loadTenantFromJson } from "./load-tenant.js";
import type { Tenant, WizRecord } from "./types.js";

const NOW = Date.parse("2026-01-01T00:00:00.000Z");
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
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-tenant-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const all = (tenant: Tenant, kind: (typeof KINDS)[number]): WizRecord[] => Array.from({ length: tenant[kind].size() }, (_, i) => tenant[kind].get(i));
const rec = (value: unknown): WizRecord => value as WizRecord;

describe("loadTenantFromJson", () => {
  it("replays an export (plain arrays and recorded GraphQL responses) record for record", () => {
    const source = generateTenant({ seed: 41, size: "tiny", counts: { vulnerabilityFindings: 300, auditLogEntries: 50 }, now: NOW });
    const dir = tempDir();
    for (const kind of KINDS) {
      const nodes = all(source, kind);
      const body = kind === "issues" ? { data: { issues: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } : kind === "detections" ? { data: { detections: { edges: nodes.map((node) => ({ node })) } } } : nodes;
      writeFileSync(join(dir, `${kind}.json`), JSON.stringify(body));
    }
    const loaded = loadTenantFromJson(dir, { now: NOW, seed: 41 });
    for (const kind of KINDS) {
      expect(loaded[kind].size(), kind).toBe(source[kind].size());
      for (let i = 0; i < source[kind].size(); i += 1) {
        const [a, b] = [loaded[kind].get(i), source[kind].get(i)];
        // JSON first (fast; recorded fields keep their order); toEqual only to explain a difference.
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(a, `${kind} ${i}`).toEqual(b);
      }
      const k = Math.min(3, source[kind].size() - 1);
      expect(loaded[kind].indexOf(source[kind].idAt(k))).toBe(k);
    }
    const resource = String(source.cloudResources.get(60).providerUniqueId);
    expect(loaded.resourceByProviderId(resource)).toBe(60);
    expect(Array.from(loaded.issues.cols.updatedAt.subarray(0, loaded.issues.size()))).toEqual(Array.from(source.issues.cols.updatedAt.subarray(0, source.issues.size())));
  });

  it("fills missing fields with nulls, adds referenced resources and accounts, and supports mutations and activity", () => {
    const tenant = loadTenantFromJson(
      {
        issuesV2: [
          {
            id: "0f6c1c34-6f2a-4bd5-8e2a-6a2b1e0e9a01",
            type: "TOXIC_COMBINATION",
            status: "OPEN",
            severity: "HIGH",
            createdAt: "2025-12-01T10:00:00.123456Z",
            sourceRule: { id: "wc-id-1335", name: "Publicly exposed VM" },
            notes: { nodes: [{ id: "note-1", text: "recorded", createdAt: "2025-12-02T00:00:00Z" }] },
            entitySnapshot: {
              id: "r-1",
              type: "VIRTUAL_MACHINE",
              name: "web-1",
              providerId: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234567890def",
              cloudPlatform: "AWS",
              subscriptionId: "acct-1",
              subscriptionExternalId: "123456789012",
              tags: { env: "prod" },
            },
          },
        ],
      },
      { now: NOW },
    );
    const issue = tenant.issues.get(0);
    expect(issue).toEqual(expect.objectContaining({ dueAt: null, resolvedAt: null, resolutionReason: null, serviceTickets: [], projects: [], threatDetectionDetails: null }));
    expect(issue.updatedAt).toBe("2025-12-01T10:00:00.123456Z");
    expect(rec(issue.sourceRule).__typename).toBe("Control");
    expect((issue.notes as WizRecord[]).map((n) => n.id)).toEqual(["note-1"]);
    expect(tenant.cloudResources.size()).toBe(1);
    expect(tenant.resourceByProviderId("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234567890def")).toBe(0);
    expect(tenant.cloudResources.get(0)).toEqual(expect.objectContaining({ id: "r-1", type: "VIRTUAL_MACHINE", subscriptionExternalId: "123456789012", tags: [{ key: "env", value: "prod" }] }));
    expect(tenant.cloudAccounts.get(0)).toEqual(expect.objectContaining({ id: "acct-1", externalId: "123456789012", linkedProjects: [], sourceConnectors: [] }));
    expect(tenant.issues.indexOf("0F6C1C34-6F2A-4BD5-8E2A-6A2B1E0E9A01")).toBe(0);

    const by = { id: "sa", name: "test" };
    tenant.updateIssue(0, { status: "IN_PROGRESS", note: "looking" }, false, by, NOW);
    expect(tenant.issues.get(0).status).toBe("IN_PROGRESS");
    expect(tenant.deleteIssueNote("note-1", NOW)).toBe(true);
    expect((tenant.issues.get(0).notes as WizRecord[]).map((n) => n.text)).toEqual(["looking"]);
    const raised = tenant.raiseThreatIssue({ resourceIndex: 0, severity: "HIGH", name: "Reverse shell", origin: "WIZ_CUSTOM_INTEGRATION" }, NOW + 1_000);
    expect(rec(rec(tenant.issues.get(raised).threatDetectionDetails).mainDetection).id).toBe(tenant.detections.idAt(0));
    const summary = tenant.simulateActivity(NOW + 5 * 3_600_000, NOW + 1_000, 10);
    expect(summary.createdFindings + summary.createdIssues.length).toBeGreaterThan(0);
    for (const i of summary.createdIssues) expect(tenant.issues.indexOf(tenant.issues.idAt(i))).toBe(i);
  });

  it("explains malformed input, naming the file and the problem", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "issues.json"), "{ not json");
    expect(() => loadTenantFromJson(dir, { now: NOW })).toThrow(/issues\.json: not valid JSON/);

    const wrongShape = tempDir();
    writeFileSync(join(wrongShape, "vulnerabilityFindings.json"), JSON.stringify({ findings: [] }));
    expect(() => loadTenantFromJson(wrongShape, { now: NOW })).toThrow(/vulnerabilityFindings\.json: expected an array of nodes or a GraphQL response/);

    const badNode = tempDir();
    writeFileSync(join(badNode, "projects.json"), JSON.stringify([{ id: "p" }, 42]));
    expect(() => loadTenantFromJson(badNode, { now: NOW })).toThrow(/projects\.json: node 1 should be an object/);

    const failedResponse = tempDir();
    writeFileSync(join(failedResponse, "detections.json"), JSON.stringify({ data: null, errors: [{ message: "Unauthorized" }] }));
    expect(() => loadTenantFromJson(failedResponse, { now: NOW })).toThrow(/detections\.json: the recorded response has no data \(Unauthorized\)/);

    const unknown = tempDir();
    writeFileSync(join(unknown, "findings.json"), "[]");
    expect(() => loadTenantFromJson(unknown, { now: NOW })).toThrow(/findings\.json: "findings" is not a root field/);

    expect(() => loadTenantFromJson(join(tempDir(), "missing"), { now: NOW })).toThrow(/does not exist/);
    expect(() => loadTenantFromJson({ users: "nope" as unknown as unknown[] }, { now: NOW })).toThrow(/tenant data "users": expected an array of nodes/);
  });
});
