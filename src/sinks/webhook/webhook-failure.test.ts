import { describe, expect, it } from "vitest";
import { explainConfigurationStatus, explainNetworkFailure, isRetryableStatus } from "./webhook-failure.js";

const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe("webhook failure explanations", () => {
  it("names the setting that fixes each network failure", () => {
    expect(explainNetworkFailure(coded("ENOTFOUND", "getaddrinfo ENOTFOUND siem.example")).fix).toContain("host in url");
    expect(explainNetworkFailure(coded("ECONNREFUSED")).fix).toContain("receiver is running");
    expect(explainNetworkFailure(coded("UND_ERR_CONNECT_TIMEOUT")).fix).toContain("timeoutMs.connect");
    expect(explainNetworkFailure(coded("UND_ERR_HEADERS_TIMEOUT")).fix).toContain("timeoutMs.headers");
    expect(explainNetworkFailure(coded("UNABLE_TO_VERIFY_LEAF_SIGNATURE")).fix).toContain("tls.caFile");
    expect(explainNetworkFailure(coded("CERT_HAS_EXPIRED")).fix).toContain("clock");
    expect(explainNetworkFailure(coded("ERR_TLS_CERT_ALTNAME_INVALID")).fix).toContain("tls.serverName");
    // undici wraps the socket's error: the deepest code decides.
    const wrapped = Object.assign(new Error("fetch failed"), { code: "UND_ERR_SOCKET", cause: coded("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate") });
    expect(explainNetworkFailure(wrapped)).toMatchObject({ what: expect.stringContaining("self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)"), fix: expect.stringContaining("tls.caFile") });
  });

  it("sorts statuses into retry, set-up error and per-event refusal", () => {
    for (const s of [408, 425, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 413, 422, 401, 404]) expect(isRetryableStatus(s)).toBe(false);
    expect(explainConfigurationStatus(401, undefined)?.fix).toContain("auth.token");
    expect(explainConfigurationStatus(403, undefined)?.fix).toContain("signing.secret");
    expect(explainConfigurationStatus(404, undefined)?.fix).toContain("path in url");
    expect(explainConfigurationStatus(308, "https://x.example (the same path)")?.what).toContain("does not follow");
    for (const s of [400, 409, 413, 415, 422]) expect(explainConfigurationStatus(s, undefined)).toBeUndefined();
  });
});
