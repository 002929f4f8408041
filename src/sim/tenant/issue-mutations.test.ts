import { describe, expect, it } from "vitest";
import { parseWizTimestamp } from "../clock.js";
import { generateTenant } from "./generate-tenant.js";
import type { Tenant, WizRecord } from "./types.js";

const NOW = Date.parse("2026-01-01T00:00:00.000Z");
const LATER = NOW + 3_600_000;
const BY = { id: "sa-client-id", name: "wizbridge" };

function tenant(): Tenant {
  return generateTenant({ seed: 21, size: "tiny", now: NOW });
}

function firstIssue(t: Tenant, status: number, type?: number): number {
  for (let i = 0; i < t.issues.size(); i += 1) if (t.issues.cols.status[i] === status && (type === undefined || t.issues.cols.type[i] === type)) return i;
  throw new Error("no such issue in the fixture tenant");
}

const notes = (issue: WizRecord): WizRecord[] => issue.notes as WizRecord[];

describe("issue mutations", () => {
  it("patch sets fields but cannot null them; override can", () => {
    const t = tenant();
    const i = firstIssue(t, 0);
    t.updateIssue(i, { dueAt: Date.parse("2026-02-01T00:00:00Z"), resolutionNote: "tracked in SEC-1" }, false, BY, LATER);
    expect(t.issues.get(i).dueAt).toBe("2026-02-01T00:00:00.000000Z");
    t.updateIssue(i, { dueAt: null, resolutionNote: null }, false, BY, LATER + 1);
    expect(t.issues.get(i).dueAt).toBe("2026-02-01T00:00:00.000000Z");
    expect(t.issues.get(i).resolutionNote).toBe("tracked in SEC-1");
    t.updateIssue(i, { dueAt: null, resolutionNote: null }, true, BY, LATER + 2);
    expect(t.issues.get(i).dueAt).toBeNull();
    expect(Number.isNaN(t.issues.cols.dueAt[i] ?? 0)).toBe(true);
    expect(t.issues.get(i).resolutionNote).toBeNull();
  });

  it("moves statusChangedAt, resolvedAt and updatedAt with the status, and bumps the version", () => {
    const t = tenant();
    const i = firstIssue(t, 0, 1);
    const v0 = t.version();
    t.updateIssue(i, { status: "IN_PROGRESS" }, false, BY, LATER);
    let issue = t.issues.get(i);
    expect(issue.status).toBe("IN_PROGRESS");
    expect(parseWizTimestamp(String(issue.statusChangedAt))).toBe(LATER);
    expect(parseWizTimestamp(String(issue.updatedAt))).toBe(LATER);
    expect(t.version()).toBeGreaterThan(v0);

    t.updateIssue(i, { status: "RESOLVED", resolutionReason: "MALICIOUS_THREAT", note: "contained" }, false, BY, LATER + 10);
    issue = t.issues.get(i);
    expect(issue.status).toBe("RESOLVED");
    expect(parseWizTimestamp(String(issue.resolvedAt))).toBe(LATER + 10);
    expect(issue.resolutionReason).toBe("MALICIOUS_THREAT");
    expect(issue.resolvedBy).toEqual({ user: null, serviceAccount: BY });
    expect(notes(issue).at(-1)?.text).toBe("contained");

    t.updateIssue(i, { status: "OPEN" }, false, BY, LATER + 20);
    issue = t.issues.get(i);
    expect(issue.resolvedAt).toBeNull();
    expect(issue.resolutionReason).toBeNull();
    expect(issue.resolvedBy).toBeNull();
    expect(parseWizTimestamp(String(issue.statusChangedAt))).toBe(LATER + 20);
  });

  it("leaves the issue and version alone for a patch that changes nothing", () => {
    const t = tenant();
    const i = firstIssue(t, 0);
    const before = t.issues.get(i);
    const v0 = t.version();
    t.updateIssue(i, { resolutionReason: null, dueAt: null }, false, BY, LATER);
    expect(t.version()).toBe(v0);
    expect(t.issues.get(i)).toEqual(before);
  });

  it("rejects unknown statuses and indexes", () => {
    const t = tenant();
    expect(() => t.updateIssue(0, { status: "DONE" }, false, BY, LATER)).toThrow(/unknown issue status/);
    expect(() => t.updateIssue(t.issues.size(), { status: "OPEN" }, false, BY, LATER)).toThrow(RangeError);
  });

  it("adds notes with ids and service account, and deletes them (generated notes too)", () => {
    const t = tenant();
    const i = firstIssue(t, 0);
    const count = notes(t.issues.get(i)).length;
    const note = t.addIssueNote(i, { text: "first look", serviceAccount: BY }, LATER);
    expect(note).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: "2026-01-01T01:00:00.000000Z", updatedAt: "2026-01-01T01:00:00.000000Z", text: "first look", user: null, serviceAccount: BY });
    expect(notes(t.issues.get(i))).toHaveLength(count + 1);
    expect(t.issues.get(i).updatedAt).toBe("2026-01-01T01:00:00.000000Z");
    const v = t.version();
    expect(t.deleteIssueNote(String(note.id), LATER + 5)).toBe(true);
    expect(t.version()).toBeGreaterThan(v);
    expect(notes(t.issues.get(i)).map((n) => n.id)).not.toContain(note.id);
    expect(t.deleteIssueNote(String(note.id), LATER + 6)).toBe(false);
    expect(t.deleteIssueNote("00000000-0000-4000-8000-000000000000", LATER)).toBe(false);

    let withNotes = -1;
    for (let k = 0; k < t.issues.size() && withNotes < 0; k += 1) if (notes(t.issues.get(k)).length > 0) withNotes = k;
    const generated = notes(t.issues.get(withNotes))[0] as WizRecord;
    expect(generated.user).toEqual(expect.objectContaining({ email: expect.stringContaining("@") }));
    expect(t.deleteIssueNote(String(generated.id), LATER)).toBe(true);
    expect(notes(t.issues.get(withNotes)).map((n) => n.id)).not.toContain(generated.id);
    const again = t.addIssueNote(withNotes, { text: "after delete", serviceAccount: BY }, LATER + 1);
    expect(notes(t.issues.get(withNotes)).filter((n) => n.id === again.id)).toHaveLength(1);
  });

  it("raises a threat issue, then updates it for the same resource and name", () => {
    const t = tenant();
    const resource = 150;
    const size = t.issues.size();
    const detections = t.detections.size();
    const init = { resourceIndex: resource, severity: "MEDIUM" as const, name: "Falco: Terminal shell in container", description: "A shell was spawned", origin: "WIZ_CUSTOM_INTEGRATION", details: { eventId: "e-1", commandLine: "bash -i" } };
    const created = t.raiseThreatIssue(init, LATER);
    expect(created).toBe(size);
    expect(t.issues.size()).toBe(size + 1);
    expect(t.issues.indexOf(t.issues.idAt(created))).toBe(created);
    let issue = t.issues.get(created);
    expect(issue).toEqual(expect.objectContaining({ type: "THREAT_DETECTION", status: "OPEN", severity: "MEDIUM", createdAt: "2026-01-01T01:00:00.000000Z" }));
    expect(rec(issue.entitySnapshot).id).toBe(t.cloudResources.idAt(resource));
    expect(rec(issue.sourceRule)).toEqual(expect.objectContaining({ __typename: "CloudEventRule", name: init.name }));
    const details = rec(issue.threatDetectionDetails);
    expect(details.eventOrigin).toBe("WIZ_CUSTOM_INTEGRATION");
    const main = rec(details.mainDetection);
    expect(main.description).toBe("A shell was spawned");
    expect(rec((main.triggeringEvents as WizRecord[])[0]).rawAuditLogRecord).toEqual(init.details);
    expect(t.detections.size()).toBe(detections + 1);

    const updated = t.raiseThreatIssue({ ...init, severity: "HIGH" }, LATER + 60_000);
    expect(updated).toBe(created);
    issue = t.issues.get(created);
    expect(issue.severity).toBe("HIGH");
    expect(issue.createdAt).toBe("2026-01-01T01:00:00.000000Z");
    expect(issue.updatedAt).toBe("2026-01-01T01:01:00.000000Z");
    expect((rec(issue.threatDetectionDetails).detections as WizRecord[]).length).toBe(2);
    t.raiseThreatIssue({ ...init, severity: "LOW" }, LATER + 120_000);
    expect(t.issues.get(created).severity).toBe("HIGH");

    t.updateIssue(created, { status: "RESOLVED", resolutionReason: "MALICIOUS_THREAT" }, false, BY, LATER + 180_000);
    expect(t.raiseThreatIssue(init, LATER + 240_000)).toBe(size + 1);
    expect(() => t.raiseThreatIssue({ ...init, resourceIndex: -1 }, LATER)).toThrow(RangeError);
  });
});

function rec(value: unknown): WizRecord {
  return value as WizRecord;
}
