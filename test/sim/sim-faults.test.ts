import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { SimSession } from "../support/sim-session.js";

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String) {
    issuesV2(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
  }
`;

describe("simulator fault injection", () => {
  let sim: Simulator;
  let session: SimSession;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    session = new SimSession(sim);
    await session.accessToken();
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => sim.close());

  it("adds fixed and per-node latency", async () => {
    sim.faults.inject({ spec: { kind: "latency", fixedMs: 150, perNodeMs: 2 } });
    const started = performance.now();
    await session.data(PAGE, { first: 50 });
    // 150 ms fixed + 50 nodes x 2 ms: at least 250 ms (no upper bound: the machine may be slow).
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it("answers a burst of 5xx with a gateway body, then recovers", async () => {
    sim.faults.inject({ spec: { kind: "http-error", status: 502 }, times: 2 });
    const first = await session.raw(JSON.stringify({ query: PAGE, variables: { first: 1 } }));
    const second = await session.raw(JSON.stringify({ query: PAGE, variables: { first: 1 } }));
    expect([first.status, second.status]).toEqual([502, 502]);
    expect(first.headers.get("content-type")).toBe("text/html");
    expect((await session.query(PAGE, { first: 1 })).status).toBe(200);
  });

  it("drops the connection", async () => {
    sim.faults.inject({ spec: { kind: "drop-connection" } });
    await expect(session.raw(JSON.stringify({ query: PAGE }))).rejects.toThrow();
    expect((await session.query(PAGE, { first: 1 })).status).toBe(200);
  });

  it("revokes tokens mid-run (after N requests) and a fresh token works", async () => {
    sim.faults.inject({ spec: { kind: "revoke-tokens" }, after: 2 });
    expect((await session.query(PAGE, { first: 1 })).status).toBe(200);
    expect((await session.query(PAGE, { first: 1 })).status).toBe(200);
    const revoked = await session.query(PAGE, { first: 1 });
    expect(revoked.status).toBe(401);
    expect(revoked.body.errors?.[0]?.message).toMatch(/revoked/);
    session.forgetToken();
    expect((await session.query(PAGE, { first: 1 })).status).toBe(200);
  });

  it("expires tokens without moving the clock", async () => {
    sim.faults.inject({ spec: { kind: "expire-tokens" } });
    const expired = await session.query(PAGE, { first: 1 });
    expect(expired.status).toBe(401);
    expect(expired.body.errors?.[0]?.message).toMatch(/expired/);
    session.forgetToken();
  });

  it("repeats the cursor the client sent, with hasNextPage still true", async () => {
    const first = await session.data<{ issuesV2: { pageInfo: { endCursor: string } } }>(PAGE, { first: 5 });
    sim.faults.inject({ spec: { kind: "repeat-cursor" }, rootField: "issuesV2" });
    const cursor = first.issuesV2.pageInfo.endCursor;
    const second = await session.data<{ issuesV2: { pageInfo: { endCursor: string; hasNextPage: boolean } } }>(PAGE, { first: 5, after: cursor });
    expect(second.issuesV2.pageInfo).toEqual({ endCursor: cursor, hasNextPage: true });
  });

  it("cuts the JSON body in half", async () => {
    sim.faults.inject({ spec: { kind: "malformed-json" } });
    const response = await session.raw(JSON.stringify({ query: PAGE, variables: { first: 3 } }));
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it("answers as if the schema drifted", async () => {
    sim.faults.inject({ spec: { kind: "schema-drift", field: "entitySnapshot", type: "Issue" } });
    const result = await session.query(PAGE, { first: 1 });
    expect(result.body.errors?.[0]).toMatchObject({ message: 'Cannot query field "entitySnapshot" on type "Issue".', extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
  });

  it("throttles on demand and returns an injected GraphQL error code", async () => {
    sim.faults.inject({ spec: { kind: "rate-limit" } });
    expect((await session.query(PAGE, { first: 1 })).status).toBe(429);
    sim.faults.inject({ spec: { kind: "graphql-error", code: "INTERNAL", message: "upstream timeout" } });
    expect((await session.query(PAGE, { first: 1 })).body).toEqual({ data: null, errors: [{ message: "upstream timeout", extensions: { code: "INTERNAL" } }] });
  });

  it("counts concurrency in the request log", async () => {
    sim.requests.clear();
    sim.faults.inject({ spec: { kind: "latency", fixedMs: 100 } });
    await Promise.all(Array.from({ length: 4 }, () => session.query(PAGE, { first: 1 })));
    expect(sim.requests.peakConcurrency()).toBe(4);
    expect(sim.requests.list({ rootField: "issuesV2" })).toHaveLength(4);
  });

  it("exposes Prometheus metrics with request totals by status and fault", async () => {
    const response = await fetch(`${sim.url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/wizsim_requests_total\{path="\/graphql",status="200",code="",fault=""\} \d+/);
    expect(text).toMatch(/wizsim_requests_total\{path="\/graphql",status="502",code="",fault="http-error"\} 2/);
    expect(text).toMatch(/wizsim_tenant_records\{kind="issues"\} 300/);
  });

  it("is scriptable from another process through the admin API", async () => {
    const added = await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ rule: "http-error:status=503,times=1" }) });
    expect(added.status).toBe(201);
    expect((await session.raw(JSON.stringify({ query: PAGE }))).status).toBe(503);
    const bad = await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ rule: "meteor" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/Unknown fault/);
  });
});
