import { describe, expect, it } from "vitest";
import { parseRuntimeConfig } from "./runtime-config.js";
import { deliveryConfigFromRuntimeConfig } from "./runtime-pipeline.js";

describe("the runtime config section", () => {
  it("fills defaults: intake limits, batch window, retention, retry budget; HMAC header", () => {
    const c = parseRuntimeConfig({ sources: { "aws-waf": { auth: { type: "hmac", secret: "0123456789abcdef0123" } } } });
    expect(c.intake).toEqual({ bodyLimitBytes: 5 * 1024 * 1024, maxRecordsPerRequest: 10_000, maxDepth: 64 });
    expect(c.sources["aws-waf"]).toMatchObject({ enabled: true, environment: "default", auth: { type: "hmac", header: "x-wizbridge-signature" } });
    expect(c).toMatchObject({ batchWindowMs: 5_000, retentionMs: 7 * 24 * 3_600_000, retryBudget: 8, clusterIdentities: [], serviceMappings: [] });
    expect(parseRuntimeConfig(undefined).sources).toEqual({});
  });

  it("names the bad key, the cause and what to do", () => {
    expect(() => parseRuntimeConfig({ sources: { falco: { auth: { type: "bearer", token: "short" } } } })).toThrow(/runtime\.sources\.falco\.auth\.token.*16 characters.*Fix that key/u);
    expect(() => parseRuntimeConfig({ sources: { splunk: { auth: { type: "none" } } } })).toThrow(/runtime\.sources/u);
    expect(() => parseRuntimeConfig({ batchWindow: 5 })).toThrow(/runtime/u);
  });

  it("alertLinkBase: unset leaves the main job's own alert route; set, it ends in / and reaches the delivery config", () => {
    expect(parseRuntimeConfig({}).alertLinkBase).toBeUndefined();
    expect(deliveryConfigFromRuntimeConfig(parseRuntimeConfig({})).alertLinkBase).toBeUndefined();
    const c = parseRuntimeConfig({ alertLinkBase: "https://wizbridge.example.com/api/runtime/alerts" });
    expect(c.alertLinkBase).toBe("https://wizbridge.example.com/api/runtime/alerts/");
    expect(deliveryConfigFromRuntimeConfig(c).alertLinkBase).toBe("https://wizbridge.example.com/api/runtime/alerts/");
    expect(() => parseRuntimeConfig({ alertLinkBase: "wizbridge.local/alerts" })).toThrow(/runtime\.alertLinkBase.*absolute URL/u);
  });
});
