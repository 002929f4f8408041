import { describe, expect, it } from "vitest";
import { eventIdOf } from "./event-id.js";
import { portalLinkOf, portalOriginOf } from "./portal-links.js";
import { formatWizTimestamp, parseWizTimestamp } from "./wiz-timestamp.js";

describe("the engine's model", () => {
  it("keeps Wiz timestamps to the microsecond, whatever fraction digits Wiz sent", () => {
    const us = parseWizTimestamp("2023-08-23T07:56:09.903743Z");
    expect(us).toBe(Date.parse("2023-08-23T07:56:09Z") * 1000 + 903743);
    expect(formatWizTimestamp(us ?? 0)).toBe("2023-08-23T07:56:09.903743Z");
    expect(parseWizTimestamp("2023-08-23T07:56:09Z")).toBe(Date.parse("2023-08-23T07:56:09Z") * 1000);
    expect(parseWizTimestamp("2023-08-23T09:56:09.5+02:00")).toBe(Date.parse("2023-08-23T07:56:09Z") * 1000 + 500000);
    expect(parseWizTimestamp("yesterday")).toBeUndefined();
    expect(parseWizTimestamp(null)).toBeUndefined();
  });

  it("event ids are deterministic per stream, record and version", () => {
    expect(eventIdOf("issues", "a", "2024-01-01T00:00:00.000000Z")).toBe(eventIdOf("issues", "a", "2024-01-01T00:00:00.000000Z"));
    expect(eventIdOf("issues", "a", "v1")).not.toBe(eventIdOf("issues", "a", "v2"));
    expect(eventIdOf("issues", "a", "v1")).not.toBe(eventIdOf("threats", "a", "v1"));
    expect(eventIdOf("issues", "a", "v1")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("normalises the common fields and links records to the tenant's portal", () => {
    expect(portalOriginOf("https://api.us17.app.wiz.io/graphql")).toBe("https://app.wiz.io");
    expect(portalOriginOf("https://api.gov1.app.wiz.us/graphql")).toBe("https://app.wiz.us");
    expect(portalOriginOf("http://127.0.0.1:8787/graphql")).toBe("https://app.wiz.io");
    expect(portalLinkOf("https://app.wiz.us", "cloudResources", "r1", "DATABASE")).toBe("https://app.wiz.us/graph#~(entity~(~'r1*2cDATABASE))");
  });
});
