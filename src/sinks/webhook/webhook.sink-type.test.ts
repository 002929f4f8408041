import { describe, expect, it } from "vitest";
import { webhookSinkSchema, webhookSinkType } from "./webhook.sink-type.js";

const messages = (input: unknown): string[] => {
  const result = webhookSinkSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("webhook sink settings", () => {
  it("accepts every key", () => {
    const parsed = webhookSinkSchema.parse({
      type: "webhook",
      url: "https://siem.example.com:8443/wiz?source=wizbridge",
      format: "ndjson",
      headers: { "X-Tenant": "acme" },
      gzip: true,
      signing: { secret: "0123456789abcdef", header: "X-Signature" },
      auth: { type: "basic", username: "wiz", password: "correct horse" },
      timeoutMs: { connect: 5000, headers: 60_000 },
      tls: { caFile: "ca.pem" },
      batch: { maxEvents: 500 },
      maxInFlight: 4,
    });
    expect(parsed.format).toBe("ndjson");
    expect(webhookSinkSchema.parse({ type: "webhook", url: "http://127.0.0.1:9000/x", timeoutMs: 20_000 }).timeoutMs).toBe(20_000);
  });

  it("says what is wrong with a bad value", () => {
    expect(messages({ type: "webhook", url: "ftp://host/x" })).toEqual(["url: must be an http:// or https:// URL"]);
    expect(messages({ type: "webhook", url: "https://u:p@host/x" })[0]).toContain("use auth: {type: basic");
    expect(messages({ type: "webhook", url: "https://host/x", format: "xml" })[0]).toContain("must be json-array or ndjson");
    expect(messages({ type: "webhook", url: "https://host/x", auth: { type: "bearer", token: "short" } })[0]).toContain("at least 8 characters");
    expect(messages({ type: "webhook", url: "https://host/x", auth: { type: "digest" } })[0]).toContain("{type: bearer, token}");
    expect(messages({ type: "webhook", url: "https://host/x", headers: { "Content-Type": "text/plain" } })[0]).toContain("headers.Content-Type: is set by the sink itself");
    expect(messages({ type: "webhook", url: "https://host/x", auth: { type: "bearer", token: "12345678" }, headers: { Authorization: "x" } })[0]).toContain("from auth");
    expect(messages({ type: "webhook", url: "https://host/x", headers: { "bad name": "x" } })[0]).toContain("must be an HTTP header name");
    expect(messages({ type: "webhook", url: "https://host/x", headers: { "X-A": "a\r\nInjected: 1" } })[0]).toContain("must be one line");
    expect(messages({ type: "webhook", url: "http://host/x", tls: { caFile: "ca.pem" } })[0]).toContain("only applies to https://");
    expect(messages({ type: "webhook", url: "https://host/x", signing: { secret: "0123456789" }, headers: { "x-wizbridge-signature": "x" } })[0]).toContain("is set by the sink itself");
    expect(messages({ type: "webhook", url: "https://host/x", timeoutMs: 5 })[0]).toContain("milliseconds");
    expect(messages({ type: "webhook", url: "https://host/x", colour: "red" })[0]).toContain("colour");
  });

  it("describes the sink by origin only: no path, query or secret", () => {
    const settings = webhookSinkSchema.parse({
      type: "webhook",
      url: "https://hooks.example.com/services/T0/B0/SENTINEL-PATH-TOKEN?key=SENTINEL-QUERY",
      auth: { type: "bearer", token: "SENTINEL-SECRET-123" },
      signing: { secret: "SENTINEL-SIGNING-456" },
      headers: { "X-Api-Key": "SENTINEL-HEADER-789" },
      gzip: true,
    });
    const line = webhookSinkType.describe("siem", settings);
    expect(line).toBe("siem: webhook POST to https://hooks.example.com (json-array, gzip, signed, bearer auth)");
    expect(line).not.toContain("SENTINEL");
  });
});
