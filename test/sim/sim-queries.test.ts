import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import type { Collection, WizRecord } from "../../src/sim/tenant/types.js";
import { SimSession } from "../support/sim-session.js";

// The references below are computed the plain way from the records themselves (every record read, filtered
// and sorted in JavaScript on its API fields), independently of the simulator's column filters and cursors.
function everyRecord<C>(collection: Collection<WizRecord, C>): WizRecord[] {
  return Array.from({ length: collection.size() }, (_, i) => collection.get(i));
}
const time = (value: unknown): number => (typeof value === "string" ? Date.parse(value) : NaN);
const ids = (records: WizRecord[]): string[] => records.map((r) => String(r.id));
const SEVERITY_RANK: Record<string, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

const ISSUES = /* GraphQL */ `
  query Issues($first: Int, $after: String, $filterBy: IssueFilters, $orderBy: IssueOrder) {
    issues: issuesV2(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
      nodes { id type status severity createdAt updatedAt statusChangedAt projects { id } entitySnapshot { id providerId } }
      pageInfo { hasNextPage endCursor }
      totalCount
      criticalSeverityCount highSeverityCount mediumSeverityCount lowSeverityCount informationalSeverityCount
    }
  }
`;

describe("simulator queries against independently computed references", () => {
  let sim: Simulator;
  let session: SimSession;
  let issues: WizRecord[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    session = new SimSession(sim);
    issues = everyRecord(sim.tenant.issues);
  });
  afterAll(async () => sim.close());

  it("issuesV2 filters by status, severity and type, pages with any page size, and counts", async () => {
    const filterBy = { status: ["OPEN", "IN_PROGRESS"], severity: ["HIGH", "CRITICAL"], type: ["TOXIC_COMBINATION", "CLOUD_CONFIGURATION"] };
    const expected = issues.filter((r) => filterBy.status.includes(String(r.status)) && filterBy.severity.includes(String(r.severity)) && filterBy.type.includes(String(r.type)));
    expect(expected.length).toBeGreaterThan(3);
    for (const first of [1, 7, 500]) {
      expect(ids(await session.all<WizRecord>(ISSUES, { first, filterBy }, "issues"))).toEqual(ids(expected));
    }
    const counts = await session.data<{ issues: Record<string, number> }>(ISSUES, { first: 0, filterBy });
    expect(counts.issues.totalCount).toBe(expected.length);
    expect(counts.issues.highSeverityCount).toBe(expected.filter((r) => r.severity === "HIGH").length);
    expect(counts.issues.criticalSeverityCount).toBe(expected.filter((r) => r.severity === "CRITICAL").length);
    expect(counts.issues.lowSeverityCount).toBe(0);
  });

  it("accepts a scalar where a list is declared (XW/TF id and project variants)", async () => {
    const target = issues[5];
    const byScalar = await session.all<WizRecord>(ISSUES, { first: 10, filterBy: { id: target?.id } }, "issues");
    expect(ids(byScalar)).toEqual([target?.id]);
  });

  it("filters on updatedAt, statusChangedAt and createdAt ranges (exclusive bounds, microsecond precision)", async () => {
    const sorted = [...issues].sort((a, b) => microsOf(String(a.updatedAt)) - microsOf(String(b.updatedAt)));
    const pivot = sorted[Math.floor(sorted.length / 2)];
    const after = String(pivot?.updatedAt);
    const expected = issues.filter((r) => microsOf(String(r.updatedAt)) > microsOf(after));
    const got = await session.all<WizRecord>(ISSUES, { first: 100, filterBy: { updatedAt: { after } } }, "issues");
    expect(ids(got)).toEqual(ids(expected));
    expect(ids(got)).not.toContain(pivot?.id);

    const changedAfter = String(sorted[10]?.statusChangedAt ?? sorted[10]?.createdAt);
    const changed = issues.filter((r) => typeof r.statusChangedAt === "string" && microsOf(r.statusChangedAt) > microsOf(changedAfter));
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 100, filterBy: { statusChangedAt: { after: changedAfter } } }, "issues"))).toEqual(ids(changed));

    const now = sim.clock.now();
    const recent = issues.filter((r) => time(r.createdAt) > now - 7 * 86_400_000);
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 100, filterBy: { createdAt: { inLast: { amount: 7, unit: "DurationFilterValueUnitDays" } } } }, "issues"))).toEqual(ids(recent));
  });

  it("orders by SEVERITY DESC and CREATED_AT ASC across pages", async () => {
    const bySeverity = [...issues].sort(
      (a, b) => (SEVERITY_RANK[String(b.severity)] ?? 0) - (SEVERITY_RANK[String(a.severity)] ?? 0) || microsOf(String(b.createdAt)) - microsOf(String(a.createdAt)) || issues.indexOf(a) - issues.indexOf(b),
    );
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 13, orderBy: { field: "SEVERITY", direction: "DESC" } }, "issues"))).toEqual(ids(bySeverity));
    const byCreated = [...issues].sort((a, b) => microsOf(String(a.createdAt)) - microsOf(String(b.createdAt)) || issues.indexOf(a) - issues.indexOf(b));
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 50, orderBy: { field: "CREATED_AT", direction: "ASC" } }, "issues"))).toEqual(ids(byCreated));
  });

  it("filters by project and by related entity", async () => {
    const project = (issues[0]?.projects as WizRecord[] | undefined)?.[0]?.id;
    const inProject = issues.filter((r) => ((r.projects as WizRecord[]) ?? []).some((p) => p.id === project));
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 100, filterBy: { project: [project] } }, "issues"))).toEqual(ids(inProject));
    const resource = (issues[3]?.entitySnapshot as WizRecord).id;
    const onResource = issues.filter((r) => (r.entitySnapshot as WizRecord | null)?.id === resource);
    expect(ids(await session.all<WizRecord>(ISSUES, { first: 100, filterBy: { relatedEntity: { id: resource } } }, "issues"))).toEqual(ids(onResource));
  });

  it("issuesGroupedByValue counts distinct resources with open issues (Backstage)", async () => {
    const open = issues.filter((r) => r.status === "OPEN" || r.status === "IN_PROGRESS");
    const resources = new Set(open.map((r) => (r.entitySnapshot as WizRecord).id));
    const data = await session.data<{ issuesGroupedByValue: { totalCount: number } }>(
      `query Grouped($filterBy: IssueFilters) { issuesGroupedByValue(groupBy: RESOURCE, filterBy: $filterBy) { totalCount } }`,
      { filterBy: { status: ["OPEN", "IN_PROGRESS"] } },
    );
    expect(data.issuesGroupedByValue.totalCount).toBe(resources.size);
    const byRule = await session.data<{ issuesGroupedByValue: { nodes: Array<{ id: string; issues: { totalCount: number; nodes: WizRecord[] } }> } }>(
      `{ issuesGroupedByValue(groupBy: SOURCE_RULE, first: 3, orderBy: {field: SEVERITY, direction: DESC}) { nodes { id issues(first: 5, orderBy: {field: SEVERITY, direction: DESC}) { totalCount nodes { id sourceRule { id } } } } } }`,
    );
    for (const group of byRule.issuesGroupedByValue.nodes) {
      expect(group.issues.totalCount).toBe(issues.filter((r) => (r.sourceRule as WizRecord | null)?.id === group.id).length);
      for (const node of group.issues.nodes) expect((node.sourceRule as WizRecord).id).toBe(group.id);
    }
  });

  it("threats: THREAT_DETECTION issues with the XD filter scope and detection details", async () => {
    const threats = issues.filter((r) => r.type === "THREAT_DETECTION");
    const got = await session.all<WizRecord>(
      `query Threats($first: Int, $after: String, $filterBy: IssueFilters, $filterScope: IssueFiltersScope, $orderBy: IssueOrder) {
        issues: issuesV2(first: $first, after: $after, filterBy: $filterBy, filterScope: $filterScope, orderBy: $orderBy) {
          nodes { id threatDetectionDetails { eventOrigin detections(first: 0) { totalCount } mainDetection { id } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { first: 50, filterBy: { type: ["THREAT_DETECTION"] }, filterScope: "ALL_ISSUE_DETECTIONS", orderBy: { field: "CREATED_AT", direction: "DESC" } },
      "issues",
    );
    expect(new Set(ids(got))).toEqual(new Set(ids(threats)));
    const detections = everyRecord(sim.tenant.detections);
    for (const threat of got.slice(0, 10)) {
      const details = threat.threatDetectionDetails as { detections: { totalCount: number } };
      expect(details.detections.totalCount).toBe(detections.filter((d) => (d.issue as WizRecord | null)?.id === threat.id).length);
    }
  });

  it("vulnerabilityFindings: updatedAt incremental filter, status, asset, order by first detection", async () => {
    const findings = everyRecord(sim.tenant.vulnerabilityFindings);
    const query = /* GraphQL */ `
      query Findings($first: Int, $after: String, $filterBy: VulnerabilityFindingFilters, $orderBy: VulnerabilityFindingOrder) {
        vulnerabilityFindings(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
          nodes { id name status vendorSeverity firstDetectedAt updatedAt vulnerableAsset { __typename ... on VulnerableAssetBase { id type providerUniqueId } } }
          pageInfo { hasNextPage endCursor }
          totalCount
        }
      }`;
    const cut = [...findings].sort((a, b) => microsOf(String(a.updatedAt)) - microsOf(String(b.updatedAt)))[Math.floor(findings.length * 0.8)];
    const after = String(cut?.updatedAt);
    const expected = findings.filter((r) => microsOf(String(r.updatedAt)) > microsOf(after) && r.status === "OPEN");
    expect(ids(await session.all<WizRecord>(query, { first: 97, filterBy: { updatedAt: { after }, status: ["OPEN"] } }, "vulnerabilityFindings"))).toEqual(ids(expected));
    const asset = (findings[0]?.vulnerableAsset as WizRecord).id;
    const onAsset = findings.filter((r) => (r.vulnerableAsset as WizRecord).id === asset);
    expect(ids(await session.all<WizRecord>(query, { first: 500, filterBy: { assetId: [asset] } }, "vulnerabilityFindings"))).toEqual(ids(onAsset));
    const ordered = [...findings].sort((a, b) => microsOf(String(a.firstDetectedAt)) - microsOf(String(b.firstDetectedAt)) || findings.indexOf(a) - findings.indexOf(b));
    expect(ids(await session.all<WizRecord>(query, { first: 500, orderBy: { field: "FIRST_DETECTED_AT", direction: "ASC" } }, "vulnerabilityFindings"))).toEqual(ids(ordered));
  });

  it("detections: a filterBy without type implies GENERATED_THREAT; no filterBy returns both types", async () => {
    const detections = everyRecord(sim.tenant.detections);
    const query = /* GraphQL */ `
      query Detections($first: Int, $after: String, $filterBy: DetectionFilters) {
        detections(first: $first, after: $after, filterBy: $filterBy) { nodes { id type severity } pageInfo { hasNextPage endCursor } totalCount }
      }`;
    expect(ids(await session.all<WizRecord>(query, { first: 1000 }, "detections"))).toEqual(ids(detections));
    const severity = ["HIGH", "CRITICAL"];
    const implied = detections.filter((d) => d.type === "GENERATED_THREAT" && severity.includes(String(d.severity)));
    expect(ids(await session.all<WizRecord>(query, { first: 1000, filterBy: { severity: { equals: severity } } }, "detections"))).toEqual(ids(implied));
    const both = detections.filter((d) => severity.includes(String(d.severity)));
    expect(both.length).toBeGreaterThan(implied.length);
    expect(ids(await session.all<WizRecord>(query, { first: 1000, filterBy: { severity: { equals: severity }, type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] } } }, "detections"))).toEqual(ids(both));
  });

  it("a detection carries triggering events, cut to triggeringEvents(first:)", async () => {
    const data = await session.data<{ detections: { nodes: Array<{ triggeringEvents: { nodes: WizRecord[]; totalCountV2: number } }> } }>(
      `{ detections(first: 5) { nodes { id description(format: MARKDOWN) triggeringEvents(first: 1) { totalCountV2 nodes { ... on CloudEvent { id name timestamp extraDetails { ... on CloudEventRuntimeDetails { processTree { command } } } } } } } } }`,
    );
    for (const node of data.detections.nodes) {
      expect(node.triggeringEvents.nodes.length).toBeLessThanOrEqual(1);
      expect(node.triggeringEvents.totalCountV2).toBeGreaterThanOrEqual(node.triggeringEvents.nodes.length);
    }
  });

  it("cloud resources: providerUniqueId lookup (v1, v2 and graphSearch), type filter, totalCount alias", async () => {
    const resources = everyRecord(sim.tenant.cloudResources);
    const target = resources[17] as WizRecord;
    const providerId = String((target.graphEntity as WizRecord).providerUniqueId);
    const v1 = await session.data<{ cloudResources: { nodes: WizRecord[] } }>(`query R($ids: [String!]) { cloudResources(first: 5, filterBy: {providerUniqueId: $ids}) { nodes { id name type graphEntity { id providerUniqueId } } } }`, { ids: [providerId] });
    expect(ids(v1.cloudResources.nodes)).toEqual([target.id]);
    const v2 = await session.data<{ cloudResourcesV2: { nodes: WizRecord[]; totalCount: number } }>(
      `query R2($fetchTotalCount: Boolean!) { cloudResourcesV2(first: 5, filterBy: {providerUniqueId: {equals: ["${providerId}"]}}) { totalCount: totalServiceUsageResourceCount @include(if: $fetchTotalCount) nodes { id externalId type cloudPlatform } } }`,
      { fetchTotalCount: true },
    );
    expect(v2.cloudResourcesV2).toMatchObject({ totalCount: 1, nodes: [{ id: target.id, type: target.type }] });
    const graph = await session.data<{ graphSearch: { nodes: Array<{ entities: WizRecord[] }> } }>(
      `query G($query: GraphEntityQueryInput) { graphSearch(query: $query, projectId: "*", first: 5, quick: true) { nodes { entities { id name type properties } } } }`,
      { query: { type: ["CLOUD_RESOURCE"], select: true, where: { providerUniqueId: { EQUALS: [providerId] } } } },
    );
    expect(graph.graphSearch.nodes.map((n) => n.entities[0]?.id)).toEqual([target.id]);
    const type = String(target.type);
    const ofType = resources.filter((r) => r.type === type);
    expect(ids(await session.all<WizRecord>(`query T($first: Int, $after: String, $type: [GraphEntityType!]) { cloudResources(first: $first, after: $after, filterBy: {type: $type}) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { first: 50, type: [type] }, "cloudResources"))).toEqual(ids(ofType));
  });

  it("projects, accounts, clusters, repositories, users and the audit log page completely", async () => {
    const cases: Array<[string, Collection<WizRecord, unknown>, string]> = [
      ["projects", sim.tenant.projects, "projects(first: $first, after: $after) { nodes { id name slug riskProfile { businessImpact } } pageInfo { hasNextPage endCursor } }"],
      ["cloudAccounts", sim.tenant.cloudAccounts, "cloudAccounts(first: $first, after: $after) { nodes { id name externalId cloudProvider } pageInfo { hasNextPage endCursor } }"],
      ["kubernetesClusters", sim.tenant.kubernetesClusters, "kubernetesClusters(first: $first, after: $after) { nodes { id name kind } pageInfo { hasNextPage endCursor } }"],
      ["versionControlResources", sim.tenant.versionControlResources, "versionControlResources(first: $first, after: $after) { nodes { id providerID repository { name url } } pageInfo { hasNextPage endCursor } }"],
      ["users", sim.tenant.users, "users(first: $first, after: $after) { nodes { id name email } pageInfo { hasNextPage endCursor } }"],
      ["auditLogEntries", sim.tenant.auditLogEntries, "auditLogEntries(first: $first, after: $after) { nodes { id action timestamp } pageInfo { hasNextPage endCursor } }"],
      ["configurationFindings", sim.tenant.configurationFindings, "configurationFindings(first: $first, after: $after) { nodes { id severity resource { id } rule { id } } pageInfo { hasNextPage endCursor } }"],
    ];
    for (const [root, collection, selection] of cases) {
      const got = await session.all<WizRecord>(`query All($first: Int, $after: String) { ${selection} }`, { first: 3 }, root);
      expect(ids(got), root).toEqual(ids(everyRecord(collection)));
    }
    const entries = everyRecord(sim.tenant.auditLogEntries);
    const after = String(entries[Math.floor(entries.length / 2)]?.timestamp);
    const later = entries.filter((e) => microsOf(String(e.timestamp)) > microsOf(after));
    expect(ids(await session.all<WizRecord>(`query A($first: Int, $after: String, $filterBy: AuditLogEntryFilters) { auditLogEntries(first: $first, after: $after, filterBy: $filterBy) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { first: 20, filterBy: { timestamp: { after } } }, "auditLogEntries"))).toEqual(ids(later));
  });

  it("singular lookups answer NOT_FOUND with 'Resource not found' for unknown ids", async () => {
    const result = await session.query(`{ issue(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(result.body.errors?.[0]).toMatchObject({ message: "Resource not found", extensions: { code: "NOT_FOUND" } });
  });
});

describe("simulator mutations change state", () => {
  let sim: Simulator;
  let session: SimSession;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 12, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    session = new SimSession(sim);
  });
  afterAll(async () => sim.close());

  const UPDATE = /* GraphQL */ `
    mutation Update($input: UpdateIssueInput!) {
      updateIssue(input: $input) { issue { id status dueAt updatedAt resolutionReason notes { id text serviceAccount { id name } } } }
    }`;

  function firstIssue(predicate: (r: WizRecord) => boolean): WizRecord {
    for (let i = 0; i < sim.tenant.issues.size(); i += 1) {
      const r = sim.tenant.issues.get(i);
      if (predicate(r)) return r;
    }
    throw new Error("no such issue in the tenant");
  }

  it("patch sets status and due date and bumps updatedAt; patch cannot null a field, override can", async () => {
    const target = firstIssue((r) => r.status === "OPEN" && r.type !== "THREAT_DETECTION");
    await sim.clock.advance(60_000);
    const updated = await session.data<{ updateIssue: { issue: WizRecord } }>(UPDATE, { input: { id: target.id, patch: { status: "IN_PROGRESS", dueAt: "2026-02-01T00:00:00.000Z" } } });
    expect(updated.updateIssue.issue).toMatchObject({ status: "IN_PROGRESS", dueAt: expect.stringMatching(/^2026-02-01T00:00:00\.000/) });
    expect(microsOf(String(updated.updateIssue.issue.updatedAt))).toBe(sim.clock.now() * 1000);
    const patchedNull = await session.data<{ updateIssue: { issue: WizRecord } }>(UPDATE, { input: { id: target.id, patch: { dueAt: null } } });
    expect(patchedNull.updateIssue.issue.dueAt).toMatch(/^2026-02-01/);
    const overridden = await session.data<{ updateIssue: { issue: WizRecord } }>(UPDATE, { input: { id: target.id, override: { dueAt: null } } });
    expect(overridden.updateIssue.issue.dueAt).toBeNull();
    // The change is visible to an incremental reader.
    const changed = await session.data<{ issues: { nodes: WizRecord[] } }>(`query C($f: IssueFilters) { issues: issuesV2(first: 500, filterBy: $f) { nodes { id } } }`, { f: { updatedAt: { after: new Date(sim.clock.now() - 1).toISOString() } } });
    expect(ids(changed.issues.nodes)).toContain(target.id);
  });

  it("rejects with a reason and note; refuses to resolve a non-threat issue by hand", async () => {
    const target = firstIssue((r) => r.status === "OPEN" && r.type === "TOXIC_COMBINATION");
    const rejected = await session.data<{ updateIssue: { issue: WizRecord } }>(UPDATE, { input: { id: target.id, patch: { status: "REJECTED", resolutionReason: "WONT_FIX", note: "accepted risk" } } });
    expect(rejected.updateIssue.issue).toMatchObject({ status: "REJECTED", resolutionReason: "WONT_FIX" });
    expect((rejected.updateIssue.issue.notes as WizRecord[]).map((n) => n.text)).toContain("accepted risk");
    const resolve = await session.query(UPDATE, { input: { id: target.id, patch: { status: "RESOLVED" } } });
    expect(resolve.body.data).toBeNull();
    expect(resolve.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const threat = firstIssue((r) => r.status === "OPEN" && r.type === "THREAT_DETECTION");
    const resolved = await session.data<{ updateIssue: { issue: WizRecord } }>(UPDATE, { input: { id: threat.id, patch: { status: "RESOLVED", resolutionReason: "FALSE_POSITIVE" } } });
    expect(resolved.updateIssue.issue.status).toBe("RESOLVED");
  });

  it("creates and deletes notes; an unknown note is NOT_FOUND", async () => {
    const target = firstIssue((r) => r.status === "OPEN");
    const created = await session.data<{ createIssueNote: { issueNote: WizRecord } }>(
      `mutation N($input: CreateIssueNoteInput!) { createIssueNote(input: $input) { issueNote { id text createdAt serviceAccount { name } } } }`,
      { input: { issueId: target.id, text: "runtime context: shell in container" } },
    );
    expect(created.createIssueNote.issueNote).toMatchObject({ text: "runtime context: shell in container", serviceAccount: { name: "wizbridge-simulator" } });
    const noteId = String(created.createIssueNote.issueNote.id);
    const deleted = await session.data(`mutation D($input: DeleteIssueNoteInput!) { deleteIssueNote(input: $input) { _stub } }`, { input: { id: noteId } });
    expect(deleted).toEqual({ deleteIssueNote: { _stub: null } });
    const notes = await session.data<{ issue: { notes: WizRecord[] } }>(`query I($id: ID!) { issue(id: $id) { notes { id } } }`, { id: target.id });
    expect(ids(notes.issue.notes)).not.toContain(noteId);
    const again = await session.query(`mutation D($input: DeleteIssueNoteInput!) { deleteIssueNote(input: $input) { _stub } }`, { input: { id: noteId } });
    expect(again.body).toMatchObject({ data: null, errors: [{ message: "Resource not found", extensions: { code: "NOT_FOUND" } }] });
  });

  it("copyResourceForensicsToExternalAccount acknowledges a VM and answers data: null for an unknown id", async () => {
    let vm: WizRecord | undefined;
    for (let i = 0; i < sim.tenant.cloudResources.size() && !vm; i += 1) if (sim.tenant.cloudResources.get(i).type === "VIRTUAL_MACHINE") vm = sim.tenant.cloudResources.get(i);
    const ok = await session.data<{ copyResourceForensicsToExternalAccount: { systemActivityGroupId: string } }>(
      `mutation F($input: CopyResourceForensicsToExternalAccountInput!) { copyResourceForensicsToExternalAccount(input: $input) { systemActivityGroupId } }`,
      { input: { id: vm?.id } },
    );
    expect(ok.copyResourceForensicsToExternalAccount.systemActivityGroupId).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await session.query(`mutation { copyResourceForensicsToExternalAccount(input: {id: "nope"}) { systemActivityGroupId } }`);
    expect(missing.body.data).toBeNull();
  });
});

describe("simulator determinism", () => {
  it("the same seed serves the same data; another seed does not", async () => {
    const query = `{ issuesV2(first: 20) { nodes { id type status severity createdAt entitySnapshot { providerId } } } vulnerabilityFindings(first: 20) { nodes { id name firstDetectedAt } } detections(first: 20) { nodes { id severity } } }`;
    const read = async (seed: number) => {
      const sim = await startSimulator({ seed, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
      try {
        return JSON.stringify(await new SimSession(sim).data(query));
      } finally {
        await sim.close();
      }
    };
    const [a, b, c] = [await read(5), await read(5), await read(6)];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

// Microseconds since the epoch, exactly, from an RFC3339 string with up to six fraction digits.
function microsOf(value: string): number {
  const ms = Date.parse(value);
  const extra = /\.\d{3}(\d{1,3})/.exec(value)?.[1];
  return ms * 1000 + (extra ? Number(extra.padEnd(3, "0")) : 0);
}

describe("graphSearch with an issue's evidence query", () => {
  it("returns the issue's resource, with null for the selected related block", async () => {
    const sim = await startSimulator({ seed: 13, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    try {
      const issue = sim.tenant.issues.get(2);
      const data = await new SimSession(sim).data<{ graphSearch: { nodes: Array<{ entities: Array<WizRecord | null> }> } }>(
        `query Evidence($query: GraphEntityQueryInput) { graphSearch(query: $query, projectId: "*", first: 5, quick: true) { nodes { entities { id type } } } }`,
        { query: issue.evidenceQuery },
      );
      expect(data.graphSearch.nodes).toEqual([{ entities: [{ id: (issue.entitySnapshot as WizRecord).id, type: (issue.entitySnapshot as WizRecord).type }, null] }]);
    } finally {
      await sim.close();
    }
  });
});

describe("VulnerabilityFinding.relatedIssueAnalytics", () => {
  it("counts the open and in-progress issues on the finding's asset, by severity", async () => {
    const sim = await startSimulator({ seed: 14, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    try {
      const data = await new SimSession(sim).data<{ vulnerabilityFindings: { nodes: Array<{ vulnerableAsset: WizRecord; relatedIssueAnalytics: Record<string, number> }> } }>(
        `{ vulnerabilityFindings(first: 20) { nodes { vulnerableAsset { ... on VulnerableAssetBase { id } } relatedIssueAnalytics { issueCount highSeverityCount criticalSeverityCount } } } }`,
      );
      const issues = Array.from({ length: sim.tenant.issues.size() }, (_, i) => sim.tenant.issues.get(i));
      for (const node of data.vulnerabilityFindings.nodes) {
        const open = issues.filter((r) => (r.entitySnapshot as WizRecord | null)?.id === node.vulnerableAsset.id && (r.status === "OPEN" || r.status === "IN_PROGRESS"));
        expect(node.relatedIssueAnalytics).toEqual({
          issueCount: open.length,
          highSeverityCount: open.filter((r) => r.severity === "HIGH").length,
          criticalSeverityCount: open.filter((r) => r.severity === "CRITICAL").length,
        });
      }
    } finally {
      await sim.close();
    }
  });
});
