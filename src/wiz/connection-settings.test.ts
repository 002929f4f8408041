import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { describeSettings, resolveConnectionSettings } from "./connection-settings.js";
import { WizSettingsError } from "./wiz-errors.js";

const SECRET = "s3cr3t-VALUE-abcdefghijklmnopqrstuvwxyz-0123456789";
const base = { clientId: "client-id-1234", clientSecret: SECRET };

function settingsError(input: unknown): WizSettingsError {
  try {
    resolveConnectionSettings(input);
  } catch (error) {
    if (error instanceof WizSettingsError) return error;
    throw error;
  }
  throw new Error("expected a WizSettingsError");
}

describe("resolveConnectionSettings", () => {
  it("derives the commercial endpoint and Cognito token service from a region", () => {
    const s = resolveConnectionSettings({ ...base, region: "US17" });
    expect(s.endpoint).toBe("https://api.us17.app.wiz.io/graphql");
    expect(s.tokenUrl).toBe("https://auth.app.wiz.io/oauth/token");
    expect(s.audience).toBe("wiz-api");
    expect(s.tenantType).toBe("commercial");
    expect(s.region).toBe("us17");
    expect(s.timeouts).toEqual({ connectMs: 10_000, requestMs: 110_000 });
  });

  it("uses the legacy Auth0 service and audience when asked", () => {
    const s = resolveConnectionSettings({ ...base, region: "eu2", authFlavor: "auth0" });
    expect(s.tokenUrl).toBe("https://auth.wiz.io/oauth/token");
    expect(s.audience).toBe("beyond-api");
  });

  it("knows the Wiz for Gov and GovCloud variants", () => {
    const gov = resolveConnectionSettings({ ...base, region: "us2", tenantType: "gov" });
    expect(gov.endpoint).toBe("https://api.us2.app.wiz.us/graphql");
    expect(gov.tokenUrl).toBe("https://auth.app.wiz.us/oauth/token");
    expect(gov.audience).toBe("wiz-api");

    const govcloud = resolveConnectionSettings({ ...base, region: "us1", tenantType: "govcloud" });
    expect(govcloud.endpoint).toBe("https://api.us1.gov.wiz.io/graphql");
    expect(govcloud.tokenUrl).toBe("https://auth.gov.wiz.io/oauth/token");
    const govcloudAuth0 = resolveConnectionSettings({ ...base, region: "us1", tenantType: "govcloud", authFlavor: "auth0" });
    expect(govcloudAuth0.tokenUrl).toBe("https://auth0.gov.wiz.io/oauth/token");
    expect(govcloudAuth0.audience).toBe("beyond-api");

    expect(settingsError({ ...base, region: "us2", tenantType: "gov", authFlavor: "auth0" }).message).toMatch(/no known auth0 token service.*set authFlavor to cognito/s);
  });

  it("infers the tenant type from a gov endpoint and refuses a contradicting tenantType", () => {
    const s = resolveConnectionSettings({ ...base, endpoint: "https://api.us2.app.wiz.us/graphql" });
    expect(s.tenantType).toBe("gov");
    expect(s.tokenUrl).toBe("https://auth.app.wiz.us/oauth/token");
    const error = settingsError({ ...base, endpoint: "https://api.us2.app.wiz.us/graphql", tenantType: "commercial" });
    expect(error.setting).toBe("tenantType");
    expect(error.message).toMatch(/Wiz for Gov/);
  });

  it("accepts an endpoint with or without /graphql and says when it added it", () => {
    const warnings: string[] = [];
    const without = resolveConnectionSettings({ ...base, endpoint: "https://api.us17.app.wiz.io/" }, { onWarning: (m) => warnings.push(m) });
    expect(without.endpoint).toBe("https://api.us17.app.wiz.io/graphql");
    expect(warnings.join("\n")).toMatch(/no \/graphql path/);
    expect(resolveConnectionSettings({ ...base, endpoint: "https://api.us17.app.wiz.io/graphql/" }).endpoint).toBe("https://api.us17.app.wiz.io/graphql");
  });

  it("explains a console URL instead of the API endpoint", () => {
    const error = settingsError({ ...base, endpoint: "https://app.wiz.io/issues#~(issue~'abc)" });
    expect(error.setting).toBe("endpoint");
    expect(error.message).toMatch(/Wiz console/);
    expect(error.message).toMatch(/Tenant Info/);
    expect(error.message).toMatch(/api\.<region>\.app\.wiz\.io\/graphql/);
    expect(settingsError({ ...base, endpoint: "https://auth.app.wiz.io/oauth/token" }).message).toMatch(/token service, not the GraphQL API/);
  });

  it("refuses hosts outside the Wiz domains unless allowed, and says why", () => {
    const error = settingsError({ ...base, endpoint: "https://wiz.example.com/graphql" });
    expect(error.message).toMatch(/not a Wiz host/);
    expect(error.message).toMatch(/client secret/);
    expect(error.message).toMatch(/allowNonWizHosts/);
    expect(settingsError({ ...base, region: "us1", tokenUrl: "https://evil.example.com/oauth/token" }).setting).toBe("tokenUrl");
    // A look-alike suffix is not a Wiz domain.
    expect(settingsError({ ...base, endpoint: "https://api.us1.app.wiz.io.evil.com/graphql" }).message).toMatch(/not a Wiz host/);

    const allowed = resolveConnectionSettings({ ...base, endpoint: "http://127.0.0.1:4000/graphql", tokenUrl: "http://127.0.0.1:4000/oauth/token", allowNonWizHosts: true });
    expect(allowed.endpoint).toBe("http://127.0.0.1:4000/graphql");
    expect(allowed.tokenUrl).toBe("http://127.0.0.1:4000/oauth/token");
  });

  it("refuses plain HTTP to Wiz", () => {
    expect(settingsError({ ...base, endpoint: "http://api.us1.app.wiz.io/graphql" }).message).toMatch(/HTTPS only/);
  });

  it("requires a region or an endpoint and explains a wrong region", () => {
    expect(settingsError(base).message).toMatch(/Neither region nor endpoint/);
    expect(settingsError({ ...base, region: "us-east-1" }).message).toMatch(/cloud provider region.*us1\.\.us28/s);
    expect(settingsError({ ...base, region: "https://api.us1.app.wiz.io" }).message).toMatch(/that is a URL/);
    expect(settingsError({ ...base, region: "us17", endpoint: "https://api.us8.app.wiz.io/graphql" }).message).toMatch(/region is us17 but the endpoint/);
    for (const region of ["us1", "us28", "eu9", "ap1", "fedramp1"]) expect(() => resolveConnectionSettings({ ...base, region })).not.toThrow();
  });

  it("reports unknown or mistyped fields", () => {
    const error = settingsError({ ...base, region: "us1", endpointUrl: "https://api.us1.app.wiz.io/graphql" });
    expect(error.message).toMatch(/endpointUrl/);
  });

  it("trims hidden characters from credentials with a warning that never shows the value", () => {
    const warnings: string[] = [];
    const s = resolveConnectionSettings(
      { clientId: "\u200Bclient-id-1234 ", clientSecret: `${SECRET}\u200B\r\n`, region: "us1" },
      { onWarning: (m) => warnings.push(m) },
    );
    expect(s.clientId).toBe("client-id-1234");
    expect(s.clientSecret).toBe(SECRET);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/clientSecret: removed 3 hidden/);
    expect(warnings.join("\n")).not.toContain(SECRET);
    expect(resolveConnectionSettings({ ...base, clientSecret: `"${SECRET}"`, region: "us1" }).clientSecret).toBe(SECRET);
    expect(settingsError({ ...base, clientSecret: " \u200B\n", region: "us1" }).setting).toBe("clientSecret");
  });

  it("keeps the secret out of every printed or serialised form of the settings", () => {
    const s = resolveConnectionSettings({ ...base, region: "us1" });
    expect(s.clientSecret).toBe(SECRET);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(inspect(s, { depth: 5 })).not.toContain(SECRET);
    expect(JSON.stringify({ ...s })).not.toContain(SECRET);
    expect(JSON.stringify(describeSettings(s))).not.toContain(SECRET);
  });

  it("takes a proxy and a CA chain as PEM text or a file path", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
    const fromText = resolveConnectionSettings({ ...base, region: "us1", proxyUrl: "http://user:pw@proxy.corp:3128", caCertificates: pem });
    expect(fromText.ca).toBe(pem.trim());
    expect(fromText.proxyUrl).toBe("http://user:pw@proxy.corp:3128/");
    expect(JSON.stringify(describeSettings(fromText))).not.toContain("pw@");

    const fromFile = resolveConnectionSettings({ ...base, region: "us1", caCertificates: "/etc/corp/ca.pem" }, { readFile: (path) => (path === "/etc/corp/ca.pem" ? pem : "") });
    expect(fromFile.ca).toBe(pem);
    expect(settingsError({ ...base, region: "us1", caCertificates: "/nonexistent/ca.pem" }).message).toMatch(/neither PEM text nor a readable file/);
    expect(settingsError({ ...base, region: "us1", proxyUrl: "socks5://proxy:1080" }).setting).toBe("proxyUrl");
  });
});
