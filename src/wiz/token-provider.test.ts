import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { ISSUES_PAGE, simClient, startTestSimulator, type IssuesPageData } from "./sim-client.test-fixtures.js";
import { TokenProvider, type TokenCredentials } from "./token-provider.js";
import { Transport } from "./transport.js";
import { WizAuthError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<Simulator> {
  const started = await startTestSimulator(options);
  open.push(started);
  return started;
}

function credentialsOf(s: Simulator, overrides: Partial<TokenCredentials> = {}): TokenCredentials {
  return { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: s.clientSecret, audience: s.audience, ...overrides };
}

function tokenRequests(s: Simulator): number {
  return s.requests.list({ path: "/oauth/token" }).length;
}

describe("TokenProvider", () => {
  it("serves 50 concurrent callers with exactly one token request", async () => {
    const s = await sim();
    const transport = new Transport();
    open.push(transport);
    const provider = new TokenProvider({ transport, now: () => s.clock.now() });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken(credentialsOf(s))));
    expect(new Set(tokens).size).toBe(1);
    expect(tokenRequests(s)).toBe(1);
  });

  it("gives 50 concurrent GraphQL calls one token between them", async () => {
    const s = await sim();
    const client = simClient(s, { rateLimit: { requestsPerSecond: 0, maxConcurrency: 50 } });
    open.push(client);
    const results = await Promise.all(Array.from({ length: 50 }, () => client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })));
    expect(results.every((r) => r.issuesV2.nodes.length === 1)).toBe(true);
    expect(tokenRequests(s)).toBe(1);
    expect(s.requests.list({ path: "/graphql" })).toHaveLength(50);
  });

  it("refreshes before expiry, on the clock it is given, and not before the margin", async () => {
    const s = await sim({ tokenTtlSeconds: 900 });
    const client = simClient(s);
    open.push(client);
    await client.graphql(ISSUES_PAGE, { first: 1 });
    await s.clock.advance(600_000);
    await client.graphql(ISSUES_PAGE, { first: 1 });
    expect(tokenRequests(s)).toBe(1);
    // 900 s lifetime: the margin is min(60 s, 10% = 90 s) = 60 s, so at 845 s the token is renewed first.
    await s.clock.advance(245_000);
    await client.graphql(ISSUES_PAGE, { first: 1 });
    expect(tokenRequests(s)).toBe(2);
    expect(s.requests.list({ path: "/graphql" }).map((e) => e.status)).toEqual([200, 200, 200]);
  });

  it("invalidate drops only the token that was refused", async () => {
    const s = await sim();
    const transport = new Transport();
    open.push(transport);
    const provider = new TokenProvider({ transport });
    const credentials = credentialsOf(s);
    const first = await provider.getToken(credentials);
    provider.invalidate(credentials, "some-older-token");
    expect(await provider.getToken(credentials)).toBe(first);
    provider.invalidate(credentials, first);
    const second = await provider.getToken(credentials);
    expect(second).not.toBe(first);
    expect(tokenRequests(s)).toBe(2);
  });

  it("caches per (token URL, client id, audience)", async () => {
    const s = await sim({ serviceAccounts: [{ name: "a", scopes: ["read:all"] }, { name: "b", scopes: ["read:issues"] }] });
    const transport = new Transport();
    open.push(transport);
    const provider = new TokenProvider({ transport });
    const [a, b] = s.serviceAccounts;
    if (!a || !b) throw new Error("two accounts expected");
    await Promise.all([
      provider.getToken(credentialsOf(s, { clientId: a.clientId, clientSecret: a.clientSecret })),
      provider.getToken(credentialsOf(s, { clientId: b.clientId, clientSecret: b.clientSecret })),
      provider.getToken(credentialsOf(s, { clientId: a.clientId, clientSecret: a.clientSecret })),
    ]);
    expect(tokenRequests(s)).toBe(2);
  });

  it("makes a token expiring mid-iteration invisible to the caller", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "expire-tokens" }, rootField: "issuesV2", after: 3 });
    let seen = 0;
    let total = 0;
    for await (const page of client.paginate<{ id: string }, IssuesPageData>(ISSUES_PAGE, {}, (d) => d.issuesV2, { pageSize: 40 })) {
      seen += page.nodes.length;
      total = page.totalCount ?? 0;
    }
    expect(seen).toBe(total);
    expect(tokenRequests(s)).toBe(2);
    expect(s.requests.list({ path: "/graphql" }).filter((e) => e.status === 401)).toHaveLength(1);
  });

  it("retries once after a revoked token, then gives up with WizAuthError", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    // path: a rule without one is consumed (to no effect) by the token request itself.
    s.faults.inject({ spec: { kind: "revoke-tokens" }, path: "/graphql", times: 1 });
    await expect(client.graphql(ISSUES_PAGE, { first: 1 })).resolves.toBeDefined();
    expect(tokenRequests(s)).toBe(2);

    s.faults.inject({ spec: { kind: "revoke-tokens" }, path: "/graphql", times: 2 });
    const error = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizAuthError);
    const auth = error as WizAuthError;
    expect(auth.source).toBe("api");
    expect(auth.attempts).toBe(2);
    expect(auth.message).toMatch(/freshly issued token was refused too/);
    expect(auth.message).toMatch(/region/);
    expect(tokenRequests(s)).toBe(3);
    // The refused token was dropped: the next call starts with a fresh one and succeeds.
    await client.graphql(ISSUES_PAGE, { first: 1 });
    expect(tokenRequests(s)).toBe(4);
    expect(s.requests.list({ path: "/graphql" }).at(-1)?.status).toBe(200);
  });

  it("maps a wrong secret to WizAuthError with the fix, without the secret", async () => {
    const s = await sim();
    const wrong = "definitely-the-wrong-secret-0123456789";
    const client = simClient(s, { settings: { clientSecret: wrong } });
    open.push(client);
    const error = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizAuthError);
    const auth = error as WizAuthError;
    expect(auth.source).toBe("token-endpoint");
    expect(auth.status).toBe(401);
    expect(auth.attempts).toBe(1);
    expect(auth.message).toMatch(/wrong client secret/);
    expect(auth.message).toMatch(/deleted/);
    expect(auth.message).toMatch(/auth\.app\.wiz\.us/);
    expect(JSON.stringify(auth)).not.toContain(wrong);
    expect(s.requests.list({ path: "/graphql" })).toHaveLength(0);
  });

  it("explains an audience the token service does not serve", async () => {
    const s = await sim({ authFlavor: "auth0" });
    const client = simClient(s, { settings: { audience: "wiz-api" } });
    open.push(client);
    const error = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizAuthError);
    expect((error as Error).message).toMatch(/refused the audience "wiz-api".*beyond-api.*set authFlavor/s);
  });

  it("retries a failing token endpoint, even for a mutation, since nothing reached the API", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/oauth/token", times: 2 });
    const issue = (await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })).issuesV2.nodes[0];
    expect(tokenRequests(s)).toBe(3);
    expect(issue).toBeDefined();
  });
});
