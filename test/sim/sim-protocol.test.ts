import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { SimSession } from "../support/sim-session.js";

const ISSUES = /* GraphQL */ `
  query Issues($first: Int, $after: String, $filterBy: IssueFilters) {
    issues: issuesV2(first: $first, after: $after, filterBy: $filterBy) {
      nodes { id status severity }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

describe("simulator protocol: OAuth, GraphQL errors, scopes, page caps", () => {
  let sim: Simulator;
  let session: SimSession;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 7,
      size: "tiny",
      rateLimit: { requestsPerSecond: 0 },
      serviceAccounts: [
        { name: "all", scopes: ["read:all", "update:issues", "create:external_data_ingestion", "read:system_activities"] },
        { name: "issues-only", scopes: ["read:issues"] },
      ],
    });
    session = new SimSession(sim);
  });
  afterAll(async () => sim.close());

  it("serves a token and data over HTTP on 127.0.0.1", async () => {
    expect(sim.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const token = await (await session.fetchToken()).json();
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 86400 });
    const data = await session.data<{ issues: { nodes: unknown[]; totalCount: number } }>(ISSUES, { first: 3 });
    expect(data.issues.nodes).toHaveLength(3);
    expect(data.issues.totalCount).toBe(sim.tenant.issues.size());
  });

  it("answers a wrong secret with 401 and a missing or bad bearer with 401 UNAUTHENTICATED", async () => {
    const wrong = new SimSession(sim, { clientId: sim.clientId, clientSecret: "wrong" });
    const response = await wrong.fetchToken();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
    const anonymous = await fetch(sim.graphqlUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ issuesV2 { totalCount } }" }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
  });

  it("refuses a field the account lacks the scope for, as a partial result with UNAUTHORIZED", async () => {
    const account = sim.serviceAccounts[1];
    if (!account) throw new Error("second account missing");
    const limited = new SimSession(sim, account);
    const result = await limited.query(`{ issues: issuesV2(first: 1) { totalCount } vulnerabilityFindings(first: 1) { totalCount } }`);
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ issues: { totalCount: sim.tenant.issues.size() }, vulnerabilityFindings: null });
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors?.[0]).toMatchObject({ path: ["vulnerabilityFindings"], extensions: { code: "UNAUTHORIZED" } });
    expect(result.body.errors?.[0]?.message).toContain("read:vulnerabilities");
  });

  it("fails an unknown field exactly as graphql-js does", async () => {
    const result = await session.query(`{ issuesV2(first: 1) { nodes { id businessImpact } } }`);
    expect(result.status).toBe(200);
    expect(result.body.errors?.[0]?.message).toBe('Cannot query field "businessImpact" on type "Issue".');
    expect(result.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.body.data).toBeUndefined();
  });

  it("gives BAD_USER_INPUT for a bad filter shape sent in variables", async () => {
    const badField = await session.query(ISSUES, { first: 1, filterBy: { statuz: ["OPEN"] } });
    expect(badField.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badField.body.errors?.[0]?.message).toMatch(/statuz/);
    const badEnum = await session.query(ISSUES, { first: 1, filterBy: { status: ["CLOSED"] } });
    expect(badEnum.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badDate = await session.query(ISSUES, { first: 1, filterBy: { updatedAt: { after: "yesterday" } } });
    expect(badDate.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badDate.body.errors?.[0]?.message).toMatch(/RFC3339/);
  });

  it("refuses a page above the query's cap (500 issues, 1000 detections)", async () => {
    const tooBig = await session.query(ISSUES, { first: 501 });
    expect(tooBig.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, path: ["issues"] });
    expect(tooBig.body.errors?.[0]?.message).toContain("less than or equal to 500");
    const detections = await session.query(`{ detections(first: 1000, filterBy: {type: {equals: [GENERATED_THREAT, MATCH_ONLY]}}) { nodes { id } } }`);
    expect(detections.body.errors).toBeUndefined();
    const detectionsTooBig = await session.query(`{ detections(first: 1001) { nodes { id } } }`);
    expect(detectionsTooBig.body.errors?.[0]?.message).toContain("1000");
  });

  it("answers a non-JSON body with 400 and says what to send", async () => {
    const response = await session.raw("{not json");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(/not valid JSON/);
  });

  it("records each request with its client, token id, operation, variables and status, never the token", async () => {
    sim.requests.clear();
    await session.data(ISSUES, { first: 2, filterBy: { status: ["OPEN"] } });
    const [entry] = sim.requests.list({ path: "/graphql" });
    expect(entry).toMatchObject({ method: "POST", status: 200, clientId: sim.clientId, operationName: "Issues", rootFields: ["issuesV2"], variables: { first: 2, filterBy: { status: ["OPEN"] } } });
    expect(entry?.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(sim.requests.list())).not.toContain(await session.accessToken());
  });
});

describe("simulator rate limit", () => {
  for (const mode of ["http429", "graphql200"] as const) {
    it(`refuses requests above the tenant's rate with ${mode}`, async () => {
      const sim = await startSimulator({ seed: 1, size: "tiny", rateLimit: { requestsPerSecond: 2, mode } });
      try {
        const session = new SimSession(sim);
        await session.accessToken();
        const results = await Promise.all(Array.from({ length: 6 }, () => session.query(`{ issuesV2(first: 1) { totalCount } }`)));
        const refused = results.filter((r) => r.body.errors?.[0]?.extensions?.code === "RATE_LIMIT_EXCEEDED");
        expect(refused.length).toBeGreaterThanOrEqual(3);
        for (const r of refused) {
          if (mode === "http429") {
            expect(r.status).toBe(429);
            expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
          } else {
            expect(r.status).toBe(200);
            expect(r.body.data).toBeNull();
          }
        }
      } finally {
        await sim.close();
      }
    });
  }
});

describe("simulator token lifetimes", () => {
  it("issues 900 s tokens on a gov tenant and refuses them once simulated time passes", async () => {
    const sim = await startSimulator({ seed: 1, size: "tiny", tenantType: "gov", rateLimit: { requestsPerSecond: 0 } });
    try {
      const session = new SimSession(sim);
      expect(await (await session.fetchToken()).json()).toMatchObject({ expires_in: 900 });
      await session.data(`{ issuesV2(first: 1) { totalCount } }`);
      await sim.clock.advance(900_000);
      const expired = await session.query(`{ issuesV2(first: 1) { totalCount } }`);
      expect(expired.status).toBe(401);
      expect(expired.body.errors?.[0]?.message).toMatch(/expired/);
    } finally {
      await sim.close();
    }
  });

  it("serves the legacy Auth0 flavour with audience beyond-api only", async () => {
    const sim = await startSimulator({ seed: 1, size: "tiny", authFlavor: "auth0" });
    try {
      const session = new SimSession(sim);
      expect(sim.audience).toBe("beyond-api");
      expect((await session.fetchToken("wiz-api")).status).toBe(403);
      expect((await session.fetchToken("beyond-api")).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
