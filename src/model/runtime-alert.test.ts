import { describe, expect, it } from "vitest";
import { genericRuntimeAlertInputSchema, MAX_IDENTIFIERS_PER_KIND, runtimeAlertSchema } from "./runtime-alert.js";

const minimal = {
  id: "0190a1b2-0000-7000-8000-000000000001",
  source: "falco",
  sensor: "Falco",
  ruleId: "Read sensitive file untrusted",
  ruleName: "Read sensitive file untrusted",
  title: "Read sensitive file untrusted",
  description: "",
  occurredAt: "2024-05-13T13:23:31.089890892Z",
  receivedAt: "2024-05-13T13:23:32.000Z",
  severity: "MEDIUM",
  originalSeverity: "Warning",
  mitre: { tactics: ["TA0006"], techniques: ["T1555"], origin: "payload" },
  context: {},
  identifiers: {},
  sensorLink: null,
  raw: { rule: "x" },
};

describe("runtimeAlertSchema", () => {
  it("keeps at most 50 identifiers of a kind, deduplicated, in the sender's order (100,000 ids once cost ~1,000 Wiz look-ups)", () => {
    const ips = Array.from({ length: 100_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const alert = runtimeAlertSchema.parse({ ...minimal, identifiers: { ips: ["10.0.0.7", "10.0.0.7", ...ips], hostnames: ["web-1"] } });
    expect(alert.identifiers.ips).toHaveLength(MAX_IDENTIFIERS_PER_KIND);
    expect(alert.identifiers.ips.slice(0, 2)).toEqual(["10.0.0.7", "10.0.0.0"]);
    expect(alert.identifiers.hostnames).toEqual(["web-1"]);
  });

  it("fills defaults for context and identifiers", () => {
    const alert = runtimeAlertSchema.parse(minimal);
    expect(alert.context.process).toBeNull();
    expect(alert.identifiers.cloudIds).toEqual([]);
    expect(alert.salient).toEqual([]);
  });

  it("rejects empty MITRE lists and malformed ids, naming the field", () => {
    const empty = runtimeAlertSchema.safeParse({ ...minimal, mitre: { tactics: [], techniques: ["T1555"], origin: "payload" } });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.path).toEqual(["mitre", "tactics"]);
    const bad = runtimeAlertSchema.safeParse({ ...minimal, mitre: { tactics: ["credential_access"], techniques: ["T1555"], origin: "payload" } });
    expect(bad.error?.issues[0]?.path).toEqual(["mitre", "tactics", 0]);
  });

  it("rejects a severity outside the Wiz enum", () => {
    expect(runtimeAlertSchema.safeParse({ ...minimal, severity: "Warning" }).success).toBe(false);
  });
});

describe("genericRuntimeAlertInputSchema", () => {
  it("accepts the documented minimal generic alert and rejects unknown keys", () => {
    const base = { sensor: "Contrast", ruleId: "sql-injection", title: "SQLi", occurredAt: "2024-01-01T00:00:00Z", severity: "HIGH" };
    const parsed = genericRuntimeAlertInputSchema.parse({ ...base, context: { request: { method: "POST", path: "/login" } } });
    expect(parsed.context?.request?.method).toBe("POST");
    expect(parsed.context?.request?.clientIp).toBeNull();
    const extra = genericRuntimeAlertInputSchema.safeParse({ ...base, sevrity: "HIGH" });
    expect(extra.success).toBe(false);
  });
});
