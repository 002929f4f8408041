import { describe, expect, it } from "vitest";
import { leefAttributeValue, leefDelimiterField, leefDevTime, leefHeaderField, parseLeefDelimiter } from "./leef-payload.js";

describe("LEEF payload", () => {
  it("reads the delimiter setting as one character or its hex code", () => {
    expect(parseLeefDelimiter("\t")).toBe("\t");
    expect(parseLeefDelimiter("^")).toBe("^");
    expect(parseLeefDelimiter("x5E")).toBe("^");
    expect(parseLeefDelimiter("0x09")).toBe("\t");
    expect(parseLeefDelimiter("x7c")).toBe("|");
    expect(parseLeefDelimiter("=")).toBeUndefined();
    expect(parseLeefDelimiter("\n")).toBeUndefined();
    expect(parseLeefDelimiter("ab")).toBeUndefined();
    expect(parseLeefDelimiter("x12345")).toBeUndefined();
  });

  it("writes the header's DelimiterCharacter as itself when printable, else in hex", () => {
    expect(leefDelimiterField("^")).toBe("^");
    expect(leefDelimiterField("\t")).toBe("x09");
    expect(leefDelimiterField("|")).toBe("x7C");
    expect(leefDelimiterField("\u00a6")).toBe("xA6");
  });

  it("keeps the delimiter and line breaks out of values and pipes out of header fields (LEEF has no escapes)", () => {
    expect(leefAttributeValue("a\tb^c=d\\e\r\nf\ng", "\t")).toBe("a b^c=d\\e f g");
    expect(leefAttributeValue("a\tb^c", "^")).toBe("a\tb c");
    expect(leefHeaderField("rule|1\nx")).toBe("rule 1 x");
  });

  it("renders devTime in GMT with milliseconds", () => {
    expect(leefDevTime("2026-02-03T04:05:06.789Z")).toBe("Feb 03 2026 04:05:06.789 GMT");
    expect(leefDevTime("2026-12-31T23:59:59+02:00")).toBe("Dec 31 2026 21:59:59.000 GMT");
    expect(leefDevTime("soon")).toBeNull();
  });
});
