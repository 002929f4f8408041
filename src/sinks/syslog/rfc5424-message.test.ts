import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutText, escapeParamValue, headerField, priorityOf, structuredDataElement, syslogTimestamp, truncateUtf8 } from "./rfc5424-message.js";

describe("RFC 5424 message parts", () => {
  it("restricts header fields to PRINTUSASCII, cuts them to length and writes NILVALUE when empty", () => {
    expect(headerField("", 32)).toBe("-");
    expect(headerField(null, 32)).toBe("-");
    expect(headerField("vulnerabilityFindings", 32)).toBe("vulnerabilityFindings");
    expect(headerField("a b\u00fc\tc", 32)).toBe("a_b__c");
    expect(headerField("x".repeat(40), 32)).toBe("x".repeat(32));
  });

  it("computes PRI as facility * 8 + severity", () => {
    expect(priorityOf(16, 2)).toBe(130);
    expect(priorityOf(23, 7)).toBe(191);
    expect(priorityOf(0, 0)).toBe(0);
  });

  it("writes TIMESTAMP with upper-case T and Z and at most 6 fraction digits, cut not rounded", () => {
    expect(syslogTimestamp("2026-01-02T03:04:05.123456789Z")).toBe("2026-01-02T03:04:05.123456Z");
    expect(syslogTimestamp("2026-01-02t03:04:05.999999999z")).toBe("2026-01-02T03:04:05.999999Z");
    expect(syslogTimestamp("2026-01-02T03:04:05+02:00")).toBe("2026-01-02T03:04:05+02:00");
    expect(syslogTimestamp("yesterday")).toBe("-");
    expect(syslogTimestamp(null)).toBe("-");
  });

  it("escapes exactly \", \\ and ] in PARAM-VALUE (RFC 5424 section 6.3.3)", () => {
    expect(escapeParamValue('a"b\\c]d\ne=f[g\u00fc')).toBe('a\\"b\\\\c\\]d\ne=f[g\u00fc');
    expect(structuredDataElement("wiz@32473", [["eventId", 'x"]'], ["kind", "upsert"]])).toBe('[wiz@32473 eventId="x\\"\\]" kind="upsert"]');
  });

  it("cuts text by UTF-16 units without splitting a surrogate pair", () => {
    expect(cutText("ab\u{1f512}c", 3)).toBe("ab");
    expect(cutText("ab\u{1f512}c", 4)).toBe("ab\u{1f512}");
    expect(cutText("abc", 5)).toBe("abc");
  });

  it("truncates UTF-8 at a character boundary, never past the limit", () => {
    expect(truncateUtf8("a\u00fc\u{1f512}b", 1)).toBe("a");
    expect(truncateUtf8("a\u00fc\u{1f512}b", 2)).toBe("a");
    expect(truncateUtf8("a\u00fc\u{1f512}b", 3)).toBe("a\u00fc");
    expect(truncateUtf8("a\u00fc\u{1f512}b", 6)).toBe("a\u00fc");
    expect(truncateUtf8("a\u00fc\u{1f512}b", 7)).toBe("a\u00fc\u{1f512}");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.nat(200), (text, max) => {
        const cut = truncateUtf8(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(max);
        expect(Buffer.from(cut, "utf8").toString("utf8")).toBe(cut);
        if (Buffer.byteLength(text, "utf8") <= max) expect(cut).toBe(text);
      }),
    );
  });
});
