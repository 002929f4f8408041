import { describe, expect, it } from "vitest";
import { parseWizTimestamp } from "../clock.js";
import { generateTenant } from "./generate-tenant.js";
import type { Tenant } from "./types.js";

const NOW = Date.parse("2026-01-01T00:00:00.000Z");
const HOUR = 3_600_000;

function tenant(seed = 31): Tenant {
  return generateTenant({ seed, size: "tiny", now: NOW });
}

function changedSince(column: Float64Array, size: number, previous: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < size; i += 1) if ((column[i] ?? Number.NaN) > previous) out.add(i);
  return out;
}

describe("simulateActivity", () => {
  it("is deterministic for a seed and a time window", () => {
    const a = tenant();
    const b = tenant();
    const runs = [
      [NOW + 6 * HOUR, NOW],
      [NOW + 7 * HOUR, NOW + 6 * HOUR],
    ] as const;
    for (const [now, previous] of runs) expect(b.simulateActivity(now, previous, 20)).toEqual(a.simulateActivity(now, previous, 20));
    expect(b.issues.size()).toBe(a.issues.size());
    for (let i = a.issues.size() - 10; i < a.issues.size(); i += 1) expect(b.issues.get(i)).toEqual(a.issues.get(i));
    const c = tenant();
    expect(c.simulateActivity(NOW + 6 * HOUR + 1, NOW, 20)).not.toEqual(tenant().simulateActivity(NOW + 6 * HOUR, NOW, 20));
  });

  it("stamps every change inside (previous, now] so an updatedAt > previous filter finds it", () => {
    const t = tenant();
    const previous = NOW + HOUR;
    const now = NOW + 13 * HOUR;
    const v0 = t.version();
    const summary = t.simulateActivity(now, previous, 30);
    expect(t.version()).toBeGreaterThan(v0);
    expect(summary.createdIssues.length + summary.updatedIssues.length + summary.resolvedIssues.length).toBeGreaterThan(0);
    expect(summary.createdFindings + summary.updatedFindings).toBeGreaterThan(0);
    expect(summary.createdDetections.length).toBeGreaterThan(0);

    const issues = changedSince(t.issues.cols.updatedAt, t.issues.size(), previous);
    for (const i of [...summary.createdIssues, ...summary.updatedIssues, ...summary.resolvedIssues]) expect(issues.has(i)).toBe(true);
    for (const i of issues) {
      const issue = t.issues.get(i);
      const updated = parseWizTimestamp(String(issue.updatedAt));
      expect(updated).toBeGreaterThan(previous);
      expect(updated).toBeLessThanOrEqual(now);
      expect(parseWizTimestamp(String(issue.createdAt))).toBeLessThanOrEqual(parseWizTimestamp(String(issue.statusChangedAt)));
      expect(parseWizTimestamp(String(issue.statusChangedAt))).toBeLessThanOrEqual(updated);
    }
    for (const i of summary.createdIssues) {
      const created = parseWizTimestamp(String(t.issues.get(i).createdAt));
      expect(created > previous && created <= now).toBe(true);
    }
    for (const i of summary.resolvedIssues) {
      const issue = t.issues.get(i);
      expect(issue.status).toBe("RESOLVED");
      expect(parseWizTimestamp(String(issue.resolvedAt))).toBeGreaterThan(previous);
      expect(issue.resolutionReason).not.toBeNull();
    }
    const findings = changedSince(t.vulnerabilityFindings.cols.updatedAt, t.vulnerabilityFindings.size(), previous);
    expect(findings.size).toBeGreaterThanOrEqual(summary.createdFindings);
    expect(findings.size).toBeLessThanOrEqual(summary.createdFindings + summary.updatedFindings);
    for (const d of summary.createdDetections) {
      const created = parseWizTimestamp(String(t.detections.get(d).createdAt));
      expect(created > previous && created <= now).toBe(true);
    }
  });

  it("does nothing for a zero rate or an empty window", () => {
    const t = tenant();
    const v0 = t.version();
    const empty = { createdIssues: [], updatedIssues: [], resolvedIssues: [], createdFindings: 0, updatedFindings: 0, createdDetections: [] };
    expect(t.simulateActivity(NOW + HOUR, NOW, 0)).toEqual(empty);
    expect(t.simulateActivity(NOW, NOW, 50)).toEqual(empty);
    expect(t.version()).toBe(v0);
  });
});
