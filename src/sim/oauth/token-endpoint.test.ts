import { describe, expect, it } from "vitest";
import { createServiceAccount } from "./service-accounts.js";
import { answerTokenRequest } from "./token-endpoint.js";
import { TokenIssuer } from "./token-issuer.js";

function setup(now = { t: Date.parse("2026-01-01T00:00:00Z") }) {
  const account = createServiceAccount("1", "reader", ["read:issues"]);
  const issuer = new TokenIssuer({ accounts: [account], signingKey: Buffer.alloc(32, 7), issuer: "test", expiresIn: 900, now: () => now.t });
  const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded", host: "127.0.0.1:1" });
  return { account, issuer, form, now };
}

describe("token endpoint", () => {
  it("issues a bearer token for client_credentials with the cognito audience", () => {
    const { account, issuer, form } = setup();
    const answer = answerTokenRequest(issuer, form({ grant_type: "client_credentials", client_id: account.clientId, client_secret: account.clientSecret, audience: "wiz-api" }), "cognito");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 900, scope: "read:issues" });
    const check = issuer.check(`Bearer ${String(answer.body.access_token)}`);
    expect(check.ok && check.account.clientId).toBe(account.clientId);
  });

  it("answers a wrong secret with 401 and an OAuth error body, in each flavour's words", () => {
    const { account, issuer, form } = setup();
    const bad = form({ grant_type: "client_credentials", client_id: account.clientId, client_secret: "nope", audience: "wiz-api" });
    expect(answerTokenRequest(issuer, bad, "cognito")).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(answerTokenRequest(issuer, { ...bad, body: bad.body.replace("wiz-api", "beyond-api") }, "auth0")).toEqual({ status: 401, body: { error: "access_denied", error_description: "Unauthorized" } });
  });

  it("refuses the other flavour's audience and says which one is expected", () => {
    const { account, issuer, form } = setup();
    const answer = answerTokenRequest(issuer, form({ grant_type: "client_credentials", client_id: account.clientId, client_secret: account.clientSecret, audience: "wiz-api" }), "auth0");
    expect(answer.status).toBe(403);
    expect(String(answer.body.error_description)).toContain('expects audience "beyond-api"');
  });

  it("picks the flavour from a Wiz auth host name", () => {
    const { account, issuer, form } = setup();
    const request = { ...form({ grant_type: "client_credentials", client_id: account.clientId, client_secret: account.clientSecret, audience: "beyond-api" }), host: "auth.wiz.io" };
    expect(answerTokenRequest(issuer, request, "cognito").status).toBe(200);
    expect(answerTokenRequest(issuer, { ...request, host: "auth.app.wiz.us" }, "auth0").status).toBe(400);
  });

  it("rejects a JSON body and other grant types with a clear error", () => {
    const { account, issuer, form } = setup();
    expect(answerTokenRequest(issuer, { body: "{}", contentType: "application/json", host: undefined }, "cognito")).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(answerTokenRequest(issuer, form({ grant_type: "password", client_id: account.clientId }), "cognito")).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
  });

  it("expires tokens on simulated time, and revokes and expires them on demand", () => {
    const { account, issuer, now } = setup();
    const first = issuer.issue(account, "wiz-api").access_token;
    now.t += 899_000;
    expect(issuer.check(`Bearer ${first}`).ok).toBe(true);
    now.t += 1_000;
    expect(issuer.check(`Bearer ${first}`)).toEqual({ ok: false, reason: "expired" });
    const second = issuer.issue(account, "wiz-api").access_token;
    issuer.revokeAll();
    expect(issuer.check(`Bearer ${second}`)).toEqual({ ok: false, reason: "revoked" });
    const third = issuer.issue(account, "wiz-api").access_token;
    expect(issuer.check(`Bearer ${third}`).ok).toBe(true);
    issuer.expireAll();
    expect(issuer.check(`Bearer ${third}`)).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token whose payload was altered", () => {
    const { account, issuer } = setup();
    const [h, p, s] = issuer.issue(account, "wiz-api").access_token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: "admin:all" })).toString("base64url");
    expect(issuer.check(`Bearer ${h}.${forged}.${s}`)).toEqual({ ok: false, reason: "bad-signature" });
    expect(issuer.check(undefined)).toEqual({ ok: false, reason: "missing" });
  });
});
