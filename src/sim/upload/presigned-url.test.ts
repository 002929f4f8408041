import { describe, expect, it } from "vitest";
import { parseAmzDate, presignUploadUrl, s3ErrorXml, toAmzDate, verifyPresignedQuery } from "./presigned-url.js";

const KEY = Buffer.alloc(32, 7);
const T0 = Date.parse("2022-10-03T10:40:10.500Z");

describe("presigned upload URLs", () => {
  it("formats and parses X-Amz-Date", () => {
    expect(toAmzDate(T0)).toBe("20221003T104010Z");
    expect(parseAmzDate("20221003T104010Z")).toBe(Date.parse("2022-10-03T10:40:10Z"));
    expect(parseAmzDate("2022-10-03")).toBeNaN();
  });

  it("verifies its own signature inside the window and rejects tampering and expiry", () => {
    const url = new URL(presignUploadUrl({ baseUrl: "http://sim.local/", uploadId: "17768", signedAt: T0, expiresSeconds: 60, key: KEY }));
    expect(url.pathname).toBe("/upload/17768");
    expect(url.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(verifyPresignedQuery("17768", url.searchParams, KEY, T0 + 59_000)).toEqual({ ok: true });
    expect(verifyPresignedQuery("17769", url.searchParams, KEY, T0)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyPresignedQuery("17768", url.searchParams, Buffer.alloc(32, 8), T0)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyPresignedQuery("17768", url.searchParams, KEY, T0 + 61_000)).toMatchObject({ ok: false, reason: "expired" });
    const stripped = new URLSearchParams(url.searchParams);
    stripped.delete("X-Amz-Signature");
    expect(verifyPresignedQuery("17768", stripped, KEY, T0)).toEqual({ ok: false, reason: "missing-parameters" });
  });

  it("writes S3 error documents with escaped text", () => {
    const xml = s3ErrorXml("AccessDenied", "a < b & c", "REQ1", { ServerTime: "now" });
    expect(xml).toContain("<Error><Code>AccessDenied</Code><Message>a &lt; b &amp; c</Message><ServerTime>now</ServerTime><RequestId>REQ1</RequestId>");
  });
});
