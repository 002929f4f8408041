import { describe, expect, it } from "vitest";
import { customLadderSchema, ecsEventSeverityOf, ocsfSeverityIdOf, resolveSeverityLadder, wizSeverityOf } from "./severity-ladder.js";

describe("severity ladders", () => {
  it("ships Wiz's five tiers and the four-tier ladder vendors use", () => {
    expect(resolveSeverityLadder(undefined).levels.CRITICAL).toBe("CRITICAL");
    expect(resolveSeverityLadder("four-tier").levels).toEqual({ INFORMATIONAL: "info", LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "high" });
  });

  it("takes a user's ladder only when every Wiz tier is mapped", () => {
    const ladder = resolveSeverityLadder({ name: "p", levels: { INFORMATIONAL: "P5", LOW: "P4", MEDIUM: "P3", HIGH: "P2", CRITICAL: "P1" } });
    expect(ladder).toMatchObject({ name: "p", levels: { CRITICAL: "P1" } });
    expect(customLadderSchema.safeParse({ levels: { LOW: "x" } }).success).toBe(false);
  });

  it("maps to OCSF severity_id and ECS event.severity, unknown for NONE or garbage", () => {
    expect(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"].map((s) => ocsfSeverityIdOf(wizSeverityOf(s)))).toEqual([1, 2, 3, 4, 5]);
    expect(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"].map((s) => ecsEventSeverityOf(wizSeverityOf(s)))).toEqual([0, 21, 47, 73, 99]);
    expect(ocsfSeverityIdOf(wizSeverityOf("NONE"))).toBe(0);
    expect(ecsEventSeverityOf(wizSeverityOf(42))).toBeNull();
  });
});
