import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";
import { WizInputError, WizNotFoundError } from "../../wiz-errors.js";
import { ISSUE_NOTE_MAX_LENGTH, ISSUE_NOTE_TRUNCATION_MARKER, truncateIssueNote } from "./issue-note-text.js";

let sim: Simulator;
let client: WizClient;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = new WizClient(simClient(sim));
});
afterAll(async () => {
  await client.core.close();
  await sim.close();
});

function issues(where: (issue: WizRecord) => boolean): WizRecord[] {
  const out: WizRecord[] = [];
  for (let i = 0; i < sim.tenant.issues.size(); i += 1) {
    const issue = sim.tenant.issues.get(i);
    if (where(issue)) out.push(issue);
  }
  return out;
}

function issueAt(where: (issue: WizRecord) => boolean, nth = 0): WizRecord {
  const found = issues(where)[nth];
  if (!found) throw new Error("the tiny tenant has no such issue");
  return found;
}

/** Variables of the last request that asked for this root field. */
function lastVariables(rootField: string): Record<string, unknown> | undefined {
  return sim.requests.list({ rootField }).at(-1)?.variables;
}

describe("issue operations against the simulator", () => {
  it("list sends bare-list filters and returns the first page of the matching issues", async () => {
    const expected = issues((i) => i.severity === "HIGH" && (i.status === "OPEN" || i.status === "IN_PROGRESS"));
    const page = await client.issue.list({ filterBy: { severity: ["HIGH"], status: ["OPEN", "IN_PROGRESS"] }, first: 5 });
    expect(lastVariables("issuesV2")).toEqual({ filterBy: { severity: ["HIGH"], status: ["OPEN", "IN_PROGRESS"] }, first: 5 });
    expect(page.totalCount).toBe(expected.length);
    expect(page.nodes.map((n) => n.id)).toEqual(expected.slice(0, 5).map((i) => i.id));
    expect(page.pageInfo.hasNextPage).toBe(expected.length > 5);
    const [first] = page.nodes;
    const record = expected[0] as WizRecord;
    expect(first).toMatchObject({ id: record.id, type: record.type, status: record.status, severity: "HIGH", createdAt: record.createdAt, url: record.url });
    expect(first?.entitySnapshot?.providerId).toBe((record.entitySnapshot as WizRecord).providerId);
  });

  it("listAll walks every page without repeating a record", async () => {
    const expected = issues((i) => i.type === "TOXIC_COMBINATION");
    const before = sim.requests.list({ rootField: "issuesV2" }).length;
    const ids: string[] = [];
    for await (const issue of client.issue.listAll({ filterBy: { type: ["TOXIC_COMBINATION"] }, first: 40 })) ids.push(issue.id);
    expect(ids).toEqual(expected.map((i) => i.id));
    expect(sim.requests.list({ rootField: "issuesV2" }).length - before).toBe(Math.ceil(expected.length / 40));
  });

  it("list sends relatedEntity, dates and eventOrigin in Wiz's shapes", async () => {
    const record = issueAt((i) => i.type === "THREAT_DETECTION");
    const resourceId = (record.entitySnapshot as WizRecord).id as string;
    const origin = (record.threatDetectionDetails as WizRecord).eventOrigin as string;
    const page = await client.issue.list({
      filterBy: { relatedEntity: { id: resourceId }, createdAt: { before: "2030-01-01T00:00:00Z" }, eventOrigin: { equals: [origin as "WIZ_SENSOR"] } },
    });
    expect(lastVariables("issuesV2")).toEqual({
      filterBy: { relatedEntity: { id: resourceId }, createdAt: { before: "2030-01-01T00:00:00Z" }, eventOrigin: { equals: [origin] } },
      first: 100,
    });
    expect(page.nodes.map((n) => n.id)).toContain(record.id);
  });

  it("get returns one issue with its evidence query, and NOT_FOUND for an unknown id", async () => {
    const record = issueAt((i) => i.status === "OPEN");
    const issue = await client.issue.get({ filterBy: { id: String(record.id) } });
    expect(lastVariables("issuesV2")).toEqual({ filterBy: { id: record.id } });
    expect(issue).toMatchObject({ id: record.id, status: "OPEN", severity: record.severity, evidenceQuery: record.evidenceQuery, environments: record.environments });
    const missing = await client.issue.get({ filterBy: { id: "00000000-0000-4000-8000-000000000000" } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WizNotFoundError);
    // An empty answer means either cause; the message says both.
    expect((missing as WizNotFoundError).message).toMatch(/no issue has that id.*cannot see it/);
  });

  it("get points an id given at the top level to filterBy.id", async () => {
    const error = await client.issue.get({ id: String(issueAt(() => true).id) } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).message).toContain('{"filterBy": {"id": "<issue uuid>"}}');
  });

  it("getEvidence returns the evidence query to hand to graphSearch, and threat details for threats", async () => {
    const record = issueAt((i) => i.type === "CLOUD_CONFIGURATION");
    const evidence = await client.issue.getEvidence({ filterBy: { id: String(record.id) } });
    expect(lastVariables("issuesV2")).toEqual({ filterBy: { id: record.id } });
    expect(evidence).toEqual({ id: record.id, type: "CLOUD_CONFIGURATION", evidenceQuery: record.evidenceQuery, threatDetectionDetails: null });
    // The query runs unchanged through graphSearch run: the simulated graph has no edges, so it finds the issue's resource.
    const page = await client.graphSearch.run({ query: JSON.stringify(evidence.evidenceQuery), projectId: "*" });
    expect(page.nodes.map((n) => n.entities[0]?.id)).toContain((record.entitySnapshot as { id: string }).id);
    const threat = issueAt((i) => i.type === "THREAT_DETECTION");
    const details = await client.issue.getEvidence({ filterBy: { id: [String(threat.id)] } });
    expect(details.threatDetectionDetails?.eventOrigin).toBe((threat.threatDetectionDetails as WizRecord).eventOrigin);
  });

  it("update sends a patch and changes the issue", async () => {
    const record = issueAt((i) => i.status === "OPEN" && i.type !== "THREAT_DETECTION", 1);
    const updated = await client.issue.update({ issueId: String(record.id), patch: { status: "IN_PROGRESS", dueAt: "2030-02-01T00:00:00.000Z", note: "triaged by wizbridge" } });
    expect(lastVariables("updateIssue")).toEqual({ issueId: record.id, patch: { status: "IN_PROGRESS", dueAt: "2030-02-01T00:00:00.000Z", note: "triaged by wizbridge" } });
    expect(updated).toMatchObject({ id: record.id, status: "IN_PROGRESS" });
    expect(updated.dueAt).toMatch(/^2030-02-01T00:00:00/);
    expect(updated.notes.map((n) => n.text)).toContain("triaged by wizbridge");
    const index = sim.tenant.issues.indexOf(String(record.id)) as number;
    expect(sim.tenant.issues.get(index)).toMatchObject({ status: "IN_PROGRESS", dueAt: updated.dueAt });
  });

  it("clearDueAt sends override {dueAt: null} and clears the due date", async () => {
    const record = issueAt((i) => i.status === "OPEN", 2);
    await client.issue.update({ issueId: String(record.id), patch: { dueAt: "2030-03-01T00:00:00Z" } });
    const cleared = await client.issue.clearDueAt({ issueId: String(record.id) });
    expect(lastVariables("updateIssue")).toEqual({ issueId: record.id, override: { dueAt: null } });
    expect(cleared.dueAt).toBeNull();
    expect(sim.tenant.issues.get(sim.tenant.issues.indexOf(String(record.id)) as number).dueAt).toBeNull();
  });

  it("update refuses dueAt: null before sending, pointing to clearDueAt", async () => {
    const before = sim.requests.list().length;
    const error = await client.issue.update({ issueId: String(issueAt(() => true).id), patch: { dueAt: null as unknown as string } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).path).toBe("patch.dueAt");
    expect((error as WizInputError).message).toMatch(/patch semantics.*clearDueAt/);
    expect(sim.requests.list()).toHaveLength(before);
  });

  it("update sets RESOLVED only on THREAT_DETECTION issues: another type is refused before any change", async () => {
    const threat = issueAt((i) => i.type === "THREAT_DETECTION" && i.status === "OPEN");
    const resolved = await client.issue.update({ issueId: String(threat.id), patch: { status: "RESOLVED", resolutionReason: "MALICIOUS_THREAT", note: "contained" } });
    const sent = sim.requests.list().slice(-2);
    expect(sent.map((e) => [e.operationName, e.variables])).toEqual([
      ["IssueTypeBeforeResolve", { filterBy: { id: threat.id } }],
      ["UpdateIssue", { issueId: threat.id, patch: { status: "RESOLVED", resolutionReason: "MALICIOUS_THREAT", note: "contained" } }],
    ]);
    expect(resolved.status).toBe("RESOLVED");

    const posture = issueAt((i) => i.type === "TOXIC_COMBINATION" && i.status === "OPEN");
    const before = sim.requests.list({ rootField: "updateIssue" }).length;
    const error = await client.issue.update({ issueId: String(posture.id), patch: { status: "RESOLVED" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).message).toMatch(/TOXIC_COMBINATION issue, and Wiz resolves only THREAT_DETECTION issues by hand.*REJECTED/s);
    expect(sim.requests.list({ rootField: "updateIssue" })).toHaveLength(before);
  });

  it("notes longer than Wiz accepts are refused before sending, saying how to fit them", async () => {
    const record = issueAt(() => true);
    const before = sim.requests.list().length;
    const long = "x".repeat(1501);
    for (const call of [
      () => client.issue.createNote({ input: { issueId: String(record.id), text: long } }),
      () => client.issue.update({ issueId: String(record.id), patch: { note: long } }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WizInputError);
      expect((error as WizInputError).message).toMatch(/is 1501 characters; Wiz refuses notes longer than about 1500: shorten .*truncateLongNotes/);
    }
    expect(sim.requests.list()).toHaveLength(before);
    expect(truncateIssueNote(long)).toHaveLength(ISSUE_NOTE_MAX_LENGTH);
    expect(truncateIssueNote(long).endsWith(ISSUE_NOTE_TRUNCATION_MARKER)).toBe(true);
    expect(truncateIssueNote("short")).toBe("short");
  });

  it("createNote adds a note that deleteNote removes", async () => {
    const record = issueAt((i) => i.status === "OPEN", 3);
    const note = await client.issue.createNote({ input: { issueId: String(record.id), text: "seen in the SOC" } });
    expect(lastVariables("createIssueNote")).toEqual({ input: { issueId: record.id, text: "seen in the SOC" } });
    expect(note).toMatchObject({ text: "seen in the SOC", serviceAccount: { id: sim.clientId } });
    const index = sim.tenant.issues.indexOf(String(record.id)) as number;
    expect((sim.tenant.issues.get(index).notes as WizRecord[]).map((n) => n.id)).toContain(note.id);
    const deleted = await client.issue.deleteNote({ input: { id: note.id } });
    expect(lastVariables("deleteIssueNote")).toEqual({ input: { id: note.id } });
    expect(deleted).toEqual({ id: note.id, deleted: true });
    expect((sim.tenant.issues.get(index).notes as WizRecord[]).map((n) => n.id)).not.toContain(note.id);
  });

  it("groupedCount counts the matching issues per STATUS, SEVERITY or TYPE value", async () => {
    const open = issues((i) => i.severity === "HIGH");
    const result = await client.issue.groupedCount({ groupBy: "STATUS", filterBy: { severity: ["HIGH"] } });
    expect(lastVariables("issuesGroupedByValue")).toEqual({ groupBy: "STATUS", filterBy: { severity: ["HIGH"] }, first: 100 });
    const expected = [...new Set(open.map((i) => String(i.status)))].map((status) => ({ value: status, count: open.filter((i) => i.status === status).length }));
    expect(result.groups.sort((a, b) => a.value.localeCompare(b.value))).toEqual(expected.sort((a, b) => a.value.localeCompare(b.value)));
    expect(result.totalCount).toBe(expected.length);
    const resources = new Set(issues((i) => i.status === "OPEN").map((i) => (i.entitySnapshot as WizRecord).id));
    expect((await client.issue.groupedCount({ groupBy: "RESOURCE", filterBy: { status: ["OPEN"] }, first: 500 })).totalCount).toBe(resources.size);
  });

  it("refuses issue filters in another root's shape, saying what to write", async () => {
    const wrapped = await client.issue.list({ filterBy: { status: { equals: ["OPEN"] } } } as never).catch((e: unknown) => e);
    expect((wrapped as WizInputError).message).toContain('issue filters take a bare list here, not an {equals} wrapper: write ["OPEN"]');
    const platform = await client.issue.list({ filterBy: { cloudPlatform: ["AWS"] } } as never).catch((e: unknown) => e);
    expect((platform as WizInputError).message).toContain('{"relatedEntity": {"cloudPlatform": ["AWS"]}}');
  });

  it("severityCounts counts open and in-progress issues per severity, narrowed by the caller's filters", async () => {
    const project = String(((issueAt((i) => (i.projects as WizRecord[]).length > 0).projects as WizRecord[])[0] as WizRecord).id);
    const active = issues((i) => (i.status === "OPEN" || i.status === "IN_PROGRESS") && (i.projects as WizRecord[]).some((p) => p.id === project));
    const counts = await client.issue.severityCounts({ filterBy: { project: [project] } });
    expect(lastVariables("issuesV2")).toEqual({ filterBy: { status: ["OPEN", "IN_PROGRESS"], project: [project] } });
    const count = (severity: string) => active.filter((i) => i.severity === severity).length;
    expect(counts).toEqual({
      totalCount: active.length,
      criticalSeverityCount: count("CRITICAL"),
      highSeverityCount: count("HIGH"),
      mediumSeverityCount: count("MEDIUM"),
      lowSeverityCount: count("LOW"),
      informationalSeverityCount: count("INFORMATIONAL"),
    });
  });
});
