import { describe, expect, it } from "vitest";
import { alertFingerprint, withinFoldWindow } from "./alert-fingerprint.js";

describe("alert fingerprint", () => {
  const base = { source: "falco" as const, ruleId: "Read sensitive file untrusted", salient: ["/etc/shadow", "cat /etc/shadow"] };

  it("is stable for the same source, rule, resource and salient arguments", () => {
    expect(alertFingerprint(base, "arn:aws:ec2:eu-west-1:1:instance/i-1")).toBe(alertFingerprint({ ...base, salient: [...base.salient] }, "arn:aws:ec2:eu-west-1:1:instance/i-1"));
    expect(alertFingerprint(base, "x")).toMatch(/^[0-9a-f]{32}$/u);
  });

  it("differs when any part differs, and parts cannot be shifted into each other", () => {
    const fp = alertFingerprint(base, "r1");
    expect(alertFingerprint(base, "r2")).not.toBe(fp);
    expect(alertFingerprint({ ...base, ruleId: "other" }, "r1")).not.toBe(fp);
    expect(alertFingerprint({ ...base, source: "tetragon" as const }, "r1")).not.toBe(fp);
    expect(alertFingerprint({ ...base, salient: ["/etc/passwd", "cat /etc/shadow"] }, "r1")).not.toBe(fp);
    expect(alertFingerprint({ ...base, salient: ["a|b", "c"] }, "r1")).not.toBe(alertFingerprint({ ...base, salient: ["a", "b|c"] }, "r1"));
  });

  it("folds within the window on either side of the event's span", () => {
    expect(withinFoldWindow(1_000, 2_000, 3_000, 1_000)).toBe(true);
    expect(withinFoldWindow(4_000, 2_000, 3_000, 1_000)).toBe(true);
    expect(withinFoldWindow(4_001, 2_000, 3_000, 1_000)).toBe(false);
    expect(withinFoldWindow(999, 2_000, 3_000, 1_000)).toBe(false);
  });
});
