import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { eventFieldsOf, MalformedEventError } from "./wiz-event-fields.js";

const recordOf = (stream: string, record: Record<string, unknown>, profile = "canonical"): SinkRecord => ({
  seq: 1,
  eventId: "ev-1",
  connectorId: "prod",
  stream,
  payload: JSON.stringify({ id: "ev-1", source: "wiz", kind: "upsert", connector: "prod", stream, observedAt: "2026-02-03T04:05:06.789Z", profile, record, raw: null }),
});

describe("eventFieldsOf", () => {
  it("takes the signature id from the rule, the CVE or the audit action, else the stream", () => {
    expect(eventFieldsOf(recordOf("issues", { recordType: "issue", id: "i", title: "T", severity: "HIGH", rule: { id: "r1", name: "R" } }))).toMatchObject({ signatureId: "r1", name: "T", severity: "HIGH", ruleName: "R" });
    expect(eventFieldsOf(recordOf("configurationFindings", { recordType: "configurationFinding", id: "c", title: null, rule: { id: "r2", shortId: "S-1", name: "Rule two" } }))).toMatchObject({ signatureId: "r2", name: "Rule two" });
    expect(eventFieldsOf(recordOf("vulnerabilityFindings", { recordType: "vulnerabilityFinding", id: "v", title: null, cve: { id: "CVE-1", score: 9.8, description: "d" } }))).toMatchObject({ signatureId: "CVE-1", name: "CVE-1", cvssScore: 9.8, description: "d" });
    expect(eventFieldsOf(recordOf("auditLogEntries", { recordType: "auditLogEntry", id: "a", title: null, action: "Login", user: { email: "u@x" }, sourceIP: "192.0.2.1", userAgent: "ua" }))).toMatchObject({ signatureId: "Login", user: "u@x", sourceIp: "192.0.2.1", userAgent: "ua" });
    expect(eventFieldsOf(recordOf("projects", { recordType: "project", id: "p", title: "Proj", severity: null }))).toMatchObject({ signatureId: "projects", name: "Proj", severity: null });
  });

  it("keeps a source IP only when it is an IP address", () => {
    expect(eventFieldsOf(recordOf("auditLogEntries", { recordType: "auditLogEntry", id: "a", sourceIP: "not an ip" })).sourceIp).toBeNull();
    expect(eventFieldsOf(recordOf("auditLogEntries", { recordType: "auditLogEntry", id: "a", sourceIP: "2001:db8::1" })).sourceIp).toBe("2001:db8::1");
  });

  it("falls back to generic fields for other profiles", () => {
    const f = eventFieldsOf(recordOf("issues", { class_uid: 2004, severity: "Critical", id: "x", title: "T", rule: { id: "not read" } }, "ocsf"));
    expect(f).toMatchObject({ canonical: false, profile: "ocsf", signatureId: "issues", name: "T", severity: "CRITICAL", wizId: "x", ruleId: null, resource: null });
  });

  it("refuses a payload that is not a WizEvent object", () => {
    expect(() => eventFieldsOf({ seq: 1, eventId: "e", connectorId: "c", stream: "issues", payload: "[1]" })).toThrow(MalformedEventError);
    expect(() => eventFieldsOf({ seq: 1, eventId: "e", connectorId: "c", stream: "issues", payload: "{" })).toThrow(/payload is not JSON/);
  });
});
