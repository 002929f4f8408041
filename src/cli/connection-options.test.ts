import { describe, expect, it } from "vitest";
import { CliInputError } from "./cli-input-error.js";
import { mergeConnectionSources, resolveConnectionInput } from "./connection-options.js";
import { loadConnectionProfile } from "./profile-file.js";

const PROFILES = `
default:
  clientId: profile-id
  clientSecret: profile-secret
  region: us17
  tenantType: gov
sim:
  clientId: sim-id
  clientSecret: sim-secret
  endpoint: http://127.0.0.1:8787/graphql
  allowNonWizHosts: true
  proxy: http://proxy.corp:3128
`;
const files = (text: string) => (path: string) => {
  if (path === "/cfg/profiles.yaml") return text;
  throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
};

describe("connection settings precedence", () => {
  it("takes each setting from flags, then env vars, then the profile", () => {
    const settings = mergeConnectionSources(
      { clientId: "flag-id", region: "eu2" },
      { WIZ_CLIENT_ID: "env-id", WIZ_CLIENT_SECRET: "env-secret", WIZ_REGION: "us1", WIZ_AUTH_FLAVOR: "auth0" },
      { clientId: "profile-id", clientSecret: "profile-secret", region: "us17", tenantType: "gov", audience: "profile-audience" },
    );
    expect(settings).toMatchObject({ clientId: "flag-id", clientSecret: "env-secret", region: "eu2", authFlavor: "auth0", tenantType: "gov", audience: "profile-audience" });
  });

  it("uses the default profile when none is named, and a named one from $WIZBRIDGE_CONFIG", () => {
    const env = { WIZBRIDGE_CONFIG: "/cfg/profiles.yaml" };
    expect(resolveConnectionInput({}, env, files(PROFILES))).toMatchObject({ clientId: "profile-id", region: "us17", tenantType: "gov" });
    expect(resolveConnectionInput({ profile: "sim" }, env, files(PROFILES))).toMatchObject({ clientId: "sim-id", endpoint: "http://127.0.0.1:8787/graphql", allowNonWizHosts: true, proxyUrl: "http://proxy.corp:3128" });
    expect(resolveConnectionInput({}, { ...env, WIZBRIDGE_PROFILE: "sim" }, files(PROFILES))).toMatchObject({ clientId: "sim-id" });
  });

  it("reads booleans and enums from env vars strictly", () => {
    expect(mergeConnectionSources({}, { WIZ_CLIENT_ID: "i", WIZ_CLIENT_SECRET: "s", WIZ_ALLOW_NON_WIZ_HOSTS: "true" }, {}).allowNonWizHosts).toBe(true);
    expect(() => mergeConnectionSources({}, { WIZ_CLIENT_ID: "i", WIZ_CLIENT_SECRET: "s", WIZ_TENANT_TYPE: "fedramp" }, {})).toThrow(/WIZ_TENANT_TYPE is "fedramp"/);
    expect(() => mergeConnectionSources({}, { WIZ_CLIENT_ID: "i", WIZ_CLIENT_SECRET: "s", WIZ_ALLOW_NON_WIZ_HOSTS: "maybe" }, {})).toThrow(CliInputError);
  });

  it("takes HTTPS_PROXY unless NO_PROXY exempts the endpoint; an explicit --proxy always applies", () => {
    const base = { WIZ_CLIENT_ID: "i", WIZ_CLIENT_SECRET: "s", HTTPS_PROXY: "http://proxy:3128" };
    expect(mergeConnectionSources({ endpoint: "https://api.us17.app.wiz.io/graphql" }, base, {}).proxyUrl).toBe("http://proxy:3128");
    expect(mergeConnectionSources({ endpoint: "http://127.0.0.1:9/graphql" }, { ...base, NO_PROXY: "localhost,127.0.0.1" }, {}).proxyUrl).toBeUndefined();
    expect(mergeConnectionSources({ endpoint: "https://api.us17.app.wiz.io/graphql" }, { ...base, NO_PROXY: ".wiz.io" }, {}).proxyUrl).toBeUndefined();
    expect(mergeConnectionSources({ endpoint: "http://127.0.0.1:9/graphql", proxy: "http://other:1" }, { ...base, NO_PROXY: "*" }, {}).proxyUrl).toBe("http://other:1");
  });

  it("says where to put a missing client id or secret", () => {
    expect(() => mergeConnectionSources({}, {}, {})).toThrow(/No Wiz client id/);
    try {
      mergeConnectionSources({ clientId: "x" }, {}, {}, "prod");
    } catch (error) {
      expect((error as CliInputError).fix).toMatch(/WIZ_CLIENT_SECRET, or clientSecret in profile prod/);
    }
  });
});

describe("profile file", () => {
  it("is optional unless a profile is named", () => {
    expect(loadConnectionProfile("/nowhere.yaml", undefined, files(""))).toEqual({});
    expect(() => loadConnectionProfile("/nowhere.yaml", "prod", files(""))).toThrow(/cannot be read \(ENOENT\), and --profile prod needs it/);
  });

  it("names the profiles it has when the one asked for is missing", () => {
    expect(() => loadConnectionProfile("/cfg/profiles.yaml", "prod", files(PROFILES))).toThrow(/no profile "prod" .*it has: default, sim/);
  });

  it("refuses unknown keys and bad YAML without quoting the file", () => {
    expect(() => loadConnectionProfile("/cfg/profiles.yaml", undefined, files("default:\n  clientSecrett: x\n"))).toThrow(/default: Unrecognized key: "clientSecrett"/);
    let message = "";
    try {
      loadConnectionProfile("/cfg/profiles.yaml", undefined, files("default:\n  clientSecret: \"s3cr3t-value-here\n  region: [us17\n"));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not valid YAML at line \d+, column \d+/);
    expect(message).not.toContain("s3cr3t");
  });
});
