import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { RateLimiter } from "./rate-limiter.js";
import { CREATE_NOTE, ISSUES_PAGE, recordingTokenProvider, simClient, simSettings, startTestSimulator, type IssuesPageData } from "./sim-client.test-fixtures.js";
import { WizClientCore } from "./wiz-client-core.js";
import { WizSettingsError, type WizServerError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<Simulator> {
  const started = await startTestSimulator(options);
  open.push(started);
  return started;
}

describe("WizClientCore", () => {
  it("returns data and sends the operation name the caller gave", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const doc = `${ISSUES_PAGE}\nquery Other { projects(first: 1) { nodes { id } } }`;
    const data = await client.graphql<IssuesPageData>(doc, { first: 3 }, { operationName: "IssuesPage" });
    expect(data.issuesV2.nodes).toHaveLength(3);
    const [entry] = s.requests.list({ path: "/graphql" });
    expect(entry?.operationName).toBe("IssuesPage");
    expect(entry?.variables).toEqual({ first: 3 });
  });

  it("treats a mutation document as mutating without being told, and a query as mutating when told", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 500 }, path: "/graphql", times: 10 });
    const mutation = await client.graphql(CREATE_NOTE, { input: { issueId: "x", text: "t" } }).catch((e: unknown) => e);
    expect((mutation as WizServerError).attempts).toBe(1);
    const sideEffect = await client.graphql(ISSUES_PAGE, { first: 1 }, { mutating: true }).catch((e: unknown) => e);
    expect((sideEffect as WizServerError).attempts).toBe(1);
    const query = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect((query as WizServerError).attempts).toBe(5);
  });

  it("shares one token provider and one rate limiter between clients of a tenant", async () => {
    const s = await sim();
    const tokens = recordingTokenProvider(s);
    const limiter = new RateLimiter({ requestsPerSecond: 0, maxConcurrency: 2 });
    const a = simClient(s, { tokenProvider: tokens, rateLimiter: limiter });
    const b = simClient(s, { tokenProvider: tokens, rateLimiter: limiter });
    open.push(a, b);
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).graphql(ISSUES_PAGE, { first: 1 })));
    expect(s.requests.list({ path: "/oauth/token" })).toHaveLength(1);
    expect(s.requests.peakConcurrency()).toBeLessThanOrEqual(2);
  });

  it("iterates nodes across pages", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const ids: string[] = [];
    for await (const node of client.paginate<{ id: string }, IssuesPageData>(ISSUES_PAGE, { filterBy: { severity: ["CRITICAL"] } }, (d) => d.issuesV2, { pageSize: 10 }).nodes()) {
      ids.push(node.id);
    }
    const critical = await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1, filterBy: { severity: ["CRITICAL"] } });
    expect(ids).toHaveLength(critical.issuesV2.totalCount);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stops waiting when the caller aborts", async () => {
    const s = await sim();
    const client = simClient(s, { retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, random: () => 1 });
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/graphql", times: 10 });
    const controller = new AbortController();
    const pending = client.graphql(ISSUES_PAGE, { first: 1 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("shutting down")), 200);
    await expect(pending).rejects.toThrow("shutting down");
  });

  it("validates settings at construction", () => {
    expect(() => new WizClientCore({ settings: { clientId: "a", clientSecret: "b", endpoint: "https://example.com/graphql" } })).toThrow(WizSettingsError);
  });

  it("accepts settings resolved beforehand", async () => {
    const s = await sim();
    const { resolveConnectionSettings } = await import("./connection-settings.js");
    const client = new WizClientCore({ settings: resolveConnectionSettings(simSettings(s)), rateLimit: { requestsPerSecond: 0 } });
    open.push(client);
    expect((await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })).issuesV2.nodes).toHaveLength(1);
  });
});
