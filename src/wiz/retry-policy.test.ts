import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { parseRetryAfter } from "./retry-after.js";
import { RetryBudget } from "./retry-budget.js";
import { RetryPolicy } from "./retry-policy.js";
import { CREATE_NOTE, ISSUES_PAGE, recordingSleep, simClient, startTestSimulator, type IssuesPageData } from "./sim-client.test-fixtures.js";
import { WizNetworkError, WizRateLimitError, WizServerError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<Simulator> {
  const started = await startTestSimulator(options);
  open.push(started);
  return started;
}

function statuses(s: Simulator): number[] {
  return s.requests.list({ path: "/graphql" }).map((e) => e.status);
}

function serverError(retryAfterMs?: number): WizServerError {
  return new WizServerError({ what: "w", cause: "c", fix: "f" }, { code: "HTTP_503", status: 503, retryable: true, mayHaveExecuted: true, retryAfterMs });
}

describe("RetryPolicy (unit)", () => {
  it("backs off exponentially with full jitter under a ceiling, with Retry-After as a floor", () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    expect([0, 1, 2, 3, 4, 5].map((n) => policy.delayFor(serverError(), "server", n))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(new RetryPolicy({ baseDelayMs: 100, random: () => 0 }).delayFor(serverError(), "server", 3)).toBe(0);
    expect(policy.delayFor(serverError(2000), "server", 0)).toBe(2000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("spends the budget on retries, refills it on success, and stops when it is empty", async () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 5, transientCost: 10 });
    const policy = new RetryPolicy({ budget, sleep: () => Promise.resolve(), random: () => 0 });
    let calls = 0;
    const error = await policy
      .run(() => {
        calls += 1;
        return Promise.reject(serverError());
      }, { mutating: false, onUnauthenticated: () => undefined })
      .catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(budget.available()).toBe(2);
    expect((error as Error).message).toMatch(/Retry budget exhausted/);
    await policy.run(() => Promise.resolve(1), { mutating: false, onUnauthenticated: () => undefined });
    expect(budget.available()).toBe(3);
  });

  it("never retries what is not a WizError", async () => {
    const policy = new RetryPolicy({ sleep: () => Promise.resolve() });
    let calls = 0;
    await expect(
      policy.run(() => {
        calls += 1;
        return Promise.reject(new TypeError("bug"));
      }, { mutating: false, onUnauthenticated: () => undefined }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });
});

describe("retry against the simulator", () => {
  it("retries a 503 burst and then succeeds", async () => {
    const s = await sim();
    const backoff = recordingSleep();
    const client = simClient(s, { sleep: backoff.sleep });
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/graphql", times: 3 });
    const data = await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 2 });
    expect(data.issuesV2.nodes).toHaveLength(2);
    expect(statuses(s)).toEqual([503, 503, 503, 200]);
    expect(backoff.delays).toHaveLength(3);
  });

  it("surfaces persistent 5xx as WizServerError with attempts and total retry delay", async () => {
    const s = await sim();
    const backoff = recordingSleep();
    const client = simClient(s, { sleep: backoff.sleep, random: () => 0.5, retry: { baseDelayMs: 10, maxDelayMs: 1000, maxAttempts: 4 } });
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 502 }, path: "/graphql", times: 100 });
    const error = await client.graphql(ISSUES_PAGE, { first: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizServerError);
    const server = error as WizServerError;
    expect(server.status).toBe(502);
    expect(server.attempts).toBe(4);
    expect(backoff.delays).toEqual([5, 10, 20]);
    expect(server.totalRetryDelayMs).toBe(35);
    expect(server.message).toMatch(/gave up after 4 attempts/);
    expect(server.operationName).toBe("IssuesPage");
    expect(statuses(s)).toEqual([502, 502, 502, 502]);
  });

  it("honours Retry-After on HTTP 429", async () => {
    const s = await sim({ rateLimit: { requestsPerSecond: 0, mode: "http429" } });
    const backoff = recordingSleep(1);
    const client = simClient(s, { sleep: backoff.sleep });
    open.push(client);
    s.faults.inject({ spec: { kind: "rate-limit" }, path: "/graphql", times: 1 });
    await client.graphql(ISSUES_PAGE, { first: 1 });
    const log = s.requests.list({ path: "/graphql" });
    expect(log.map((e) => e.status)).toEqual([429, 200]);
    // The simulator says Retry-After: 1.
    expect(backoff.delays[0]).toBeGreaterThanOrEqual(1000);
    const [first, second] = log;
    expect((second?.startedAt ?? 0) - (first?.startedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it("treats RATE_LIMIT_EXCEEDED in an HTTP 200 body as throttling and honours extensions.retryAfter", async () => {
    const s = await sim({ rateLimit: { requestsPerSecond: 0, mode: "graphql200" } });
    const backoff = recordingSleep();
    const client = simClient(s, { sleep: backoff.sleep });
    open.push(client);
    s.faults.inject({ spec: { kind: "rate-limit" }, path: "/graphql", times: 2 });
    const data = await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 });
    expect(data.issuesV2.nodes).toHaveLength(1);
    const log = s.requests.list({ path: "/graphql" });
    expect(log.map((e) => e.status)).toEqual([200, 200, 200]);
    expect(log.map((e) => e.errorCodes?.[0])).toEqual(["RATE_LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED", undefined]);
    expect(backoff.delays.every((d) => d >= 1000)).toBe(true);
  });

  it("gives up on throttling with WizRateLimitError that says what to do", async () => {
    const s = await sim({ rateLimit: { requestsPerSecond: 0, mode: "graphql200" } });
    const client = simClient(s, { sleep: recordingSleep(0).sleep, retry: { maxAttempts: 2 } });
    open.push(client);
    s.faults.inject({ spec: { kind: "rate-limit" }, path: "/graphql", times: 5 });
    const error = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizRateLimitError);
    expect((error as WizRateLimitError).retryAfterMs).toBe(1000);
    expect((error as Error).message).toMatch(/requestsPerSecond/);
  });

  it("does not replay a mutation after a 5xx", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const issueId = (await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })).issuesV2.nodes[0]?.id;
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/graphql", operationName: "CreateNote", times: 5 });
    const error = await client.graphql(CREATE_NOTE, { input: { issueId, text: "runtime context" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizServerError);
    expect((error as WizServerError).attempts).toBe(1);
    expect((error as Error).message).toMatch(/not replayed/);
    expect(s.requests.list({ operationName: "CreateNote" })).toHaveLength(1);
  });

  it("does not replay a mutation after a dropped connection", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const issueId = (await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })).issuesV2.nodes[0]?.id;
    s.faults.inject({ spec: { kind: "drop-connection" }, path: "/graphql", operationName: "CreateNote", times: 5 });
    const error = await client.graphql(CREATE_NOTE, { input: { issueId, text: "runtime context" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizNetworkError);
    expect((error as WizNetworkError).failure).toBe("reset");
    expect((error as WizNetworkError).mayHaveExecuted).toBe(true);
    expect(s.requests.list({ operationName: "CreateNote" })).toHaveLength(1);
  });

  it("replays a mutation that was throttled, since Wiz refused it before running it", async () => {
    const s = await sim({ rateLimit: { requestsPerSecond: 0, mode: "graphql200" } });
    const client = simClient(s, { sleep: recordingSleep(0).sleep });
    open.push(client);
    const issueId = (await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 })).issuesV2.nodes[0]?.id;
    s.faults.inject({ spec: { kind: "rate-limit" }, path: "/graphql", operationName: "CreateNote", times: 1 });
    const data = await client.graphql<{ createIssueNote: { issueNote: { text: string } } }>(CREATE_NOTE, { input: { issueId, text: "once" } });
    expect(data.createIssueNote.issueNote.text).toBe("once");
    expect(s.requests.list({ operationName: "CreateNote" }).map((e) => e.errorCodes?.[0])).toEqual(["RATE_LIMIT_EXCEEDED", undefined]);
  });

  it("retries queries after a dropped connection and a truncated body", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "drop-connection" }, path: "/graphql", times: 1 });
    s.faults.inject({ spec: { kind: "malformed-json" }, path: "/graphql", after: 1, times: 1 });
    const data = await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 3 });
    expect(data.issuesV2.nodes).toHaveLength(3);
    expect(s.requests.list({ path: "/graphql" })).toHaveLength(3);
  });

  it("stops retrying once the shared budget is spent", async () => {
    const s = await sim();
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });
    const client = simClient(s, { retry: { budget, baseDelayMs: 1, maxAttempts: 10 } });
    open.push(client);
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/graphql", times: 100 });
    const first = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect((first as WizServerError).attempts).toBe(3);
    expect((first as Error).message).toMatch(/Retry budget exhausted/);
    const second = await client.graphql(ISSUES_PAGE, { first: 1 }).catch((e: unknown) => e);
    expect((second as WizServerError).attempts).toBe(1);
    expect(s.requests.list({ path: "/graphql" })).toHaveLength(4);
  });
});
