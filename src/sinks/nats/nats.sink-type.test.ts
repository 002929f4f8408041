import { describe, expect, it } from "vitest";
import { explainConnectError, reconnectDelayOf } from "./nats-connection.js";
import { pubAckVerdict, redactSecrets } from "./nats-errors.js";
import { natsSinkSchema, natsSinkType } from "./nats.sink-type.js";

const SENTINEL = "SENTINEL-SECRET-123";

describe("nats sink settings", () => {
  const problems = (input: Record<string, unknown>): string[] => {
    const result = natsSinkSchema.safeParse({ type: "nats", servers: "127.0.0.1:4222", ...input });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("takes one server or several, every auth method alone, and the delivery keys", () => {
    expect(problems({ servers: ["nats://a:4222", "tls://b:4222"], token: "t", subject: "sec.{connector}.{stream}", stream: "SEC", createStream: true, duplicateWindowSeconds: 300, maxInFlight: 4 })).toEqual([]);
    expect(problems({ user: "u", password: "p" })).toEqual([]);
    expect(problems({ credsFile: "user.creds", tls: { caFile: "ca.pem" } })).toEqual([]);
  });

  it("refuses what cannot work, saying what to write instead", () => {
    expect(problems({ servers: "nats://u:secret@host:4222" })[0]).toMatch(/^servers: .*without credentials/);
    expect(problems({ token: "t", user: "u" })[0]).toMatch(/sets token and user\/password; pick one way to authenticate/);
    expect(problems({ password: "p" })[0]).toMatch(/^password: needs user/);
    expect(problems({ subject: "wiz.{connector}.>" })[0]).toMatch(/^subject: must be dot-separated tokens/);
    expect(problems({ subject: "wiz..x" })[0]).toMatch(/^subject: /);
    expect(problems({ stream: "my.stream" })[0]).toMatch(/^stream: must be a JetStream stream name/);
    expect(problems({ duplicateWindowSeconds: 0 })[0]).toMatch(/at least 1 second/);
  });

  it("describes the sink without its token or password", () => {
    const settings = natsSinkSchema.parse({ type: "nats", servers: ["a:4222", "b:4222"], user: "wiz", password: SENTINEL });
    expect(natsSinkType.describe("bus", settings)).toBe("bus: NATS JetStream at a:4222, b:4222 (stream WIZBRIDGE, subject wiz.{connector}.{stream})");
    expect(natsSinkType.describe("bus", natsSinkSchema.parse({ type: "nats", servers: "a:4222", token: SENTINEL }))).not.toContain(SENTINEL);
  });

  it("resolves the creds and nkey files against the config directory", () => {
    const settings = natsSinkSchema.parse({ type: "nats", servers: "a:4222", credsFile: "keys/user.creds" });
    expect(natsSinkType.resolvePaths?.(settings, (p) => `/etc/wizbridge/${p}`).credsFile).toBe("/etc/wizbridge/keys/user.creds");
  });
});

describe("nats errors", () => {
  it("dead-letters only what can never be stored, fails setup problems with a fix, retries the rest", () => {
    expect(pubAckVerdict({ code: 400, err_code: 10054, description: "message size exceeds maximum allowed" })).toBe("reject");
    expect(pubAckVerdict({ code: 400, err_code: 10060, description: "expected stream does not match" })).toBe("config");
    expect(pubAckVerdict({ code: 503, err_code: 10077, description: "maximum messages exceeded" })).toBe("retry");
    expect(pubAckVerdict({ code: 503, description: "JetStream system temporarily unavailable" })).toBe("retry");
  });

  it("explains connect failures with a fix, never with the secret", () => {
    const settings = natsSinkSchema.parse({ type: "nats", servers: "a:4222", token: SENTINEL });
    const auth = explainConnectError(Object.assign(new Error(`Authorization Violation ${SENTINEL}`), { name: "AuthorizationError" }), settings);
    expect(auth).toMatchObject({ config: true });
    expect(auth.fix).toMatch(/Check token/);
    expect(auth.message).not.toContain(SENTINEL);
    expect(explainConnectError(new Error("connection refused", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }), settings)).toMatchObject({ config: false, fix: expect.stringMatching(/nats-server is running/) });
    expect(explainConnectError(new Error("server does not support 'tls'"), settings).fix).toMatch(/remove tls/);
    expect(explainConnectError(new Error("self-signed certificate in certificate chain"), settings).fix).toMatch(/tls.caFile/);
    expect(redactSecrets(`a ${SENTINEL} b`, [SENTINEL, undefined])).toBe("a *** b");
  });

  it("waits longer between reconnects the longer the outage lasts, within bounds", () => {
    expect(reconnectDelayOf(0)).toBe(250);
    expect(reconnectDelayOf(4_000)).toBe(2_000);
    expect(reconnectDelayOf(600_000)).toBe(5_000);
  });
});
