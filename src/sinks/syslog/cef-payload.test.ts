import { describe, expect, it } from "vitest";
import { cefPayloadOf, escapeCefExtensionValue, escapeCefHeader } from "./cef-payload.js";
import type { SyslogEventFields } from "./wiz-event-fields.js";

const fields = (overrides: Partial<SyslogEventFields> = {}): SyslogEventFields => ({
  eventId: "ev-1",
  stream: "detections",
  connector: "prod",
  kind: "upsert",
  observedAt: "2026-02-03T04:05:06.789Z",
  profile: "canonical",
  canonical: true,
  recordType: "detection",
  wizId: "det-1",
  title: "Reverse shell",
  severity: "HIGH",
  status: null,
  portalUrl: "https://app.wiz.io/threats/detections#~(detection~'det-1)",
  signatureId: "rule-1",
  name: "Reverse shell",
  ruleId: "rule-1",
  ruleName: "Reverse shell",
  cve: null,
  cvssScore: null,
  description: null,
  createdAt: null,
  updatedAt: null,
  resource: null,
  user: null,
  sourceIp: null,
  userAgent: null,
  ...overrides,
});

describe("CEF payload", () => {
  it("escapes header fields: backslash and pipe get a backslash, line breaks become a space", () => {
    expect(escapeCefHeader("a|b\\c=d\r\ne\nf")).toBe("a\\|b\\\\c=d e f");
  });

  it("escapes extension values: backslash, equals, LF and CR; pipes and spaces stay", () => {
    expect(escapeCefExtensionValue("a=b\\c|d e\nf\rg\r\n")).toBe("a\\=b\\\\c|d e\\nf\\rg\\r\\n");
  });

  it("writes the header and extension in a fixed order", () => {
    expect(cefPayloadOf(fields({ name: "Reverse | shell" }), "1.2.3")).toBe(
      `CEF:0|Wiz|wizbridge|1.2.3|rule-1|Reverse \\| shell|8|rt=${Date.parse("2026-02-03T04:05:06.789Z")} cat=detections act=upsert externalId=det-1 ` +
        "cs1Label=wizPortalUrl cs1=https://app.wiz.io/threats/detections#~(detection~'det-1) cs3Label=wizEventId cs3=ev-1 cs4Label=wizConnector cs4=prod",
    );
  });

  it("maps the Wiz tier to CEF severity, 0 when there is none", () => {
    const severity = (s: SyslogEventFields["severity"]): string => cefPayloadOf(fields({ severity: s }), "1").split("|")[6] as string;
    expect([severity("CRITICAL"), severity("HIGH"), severity("MEDIUM"), severity("LOW"), severity("INFORMATIONAL"), severity(null)]).toEqual(["10", "8", "5", "3", "1", "0"]);
  });
});
