import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { missingScopes, inputPath } from "./graphql-response.js";
import {
  capturedLogger,
  CREATE_NOTE,
  ISSUES_PAGE,
  recordingTokenProvider,
  simClient,
  startTestSimulator,
  type IssuesPageData,
} from "./sim-client.test-fixtures.js";
import { WizError, WizInputError, WizNotFoundError, WizPermissionError, WizSchemaError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<Simulator> {
  const started = await startTestSimulator(options);
  open.push(started);
  return started;
}

async function failure(promise: Promise<unknown>): Promise<WizError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WizError)) throw new Error(`expected a WizError, got ${String(error)}`);
  return error;
}

/** Every way an error gets printed or shipped. */
function renderings(error: Error): string[] {
  return [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), String(error), error.stack ?? ""];
}

describe("WizError", () => {
  it("keeps a redacted copy of the request and no cause chain in JSON", () => {
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
    const error = new WizError(
      { what: "What happened.", cause: "why.", fix: "do this." },
      {
        code: "X",
        status: 500,
        request: { method: "POST", url: "https://user:pw@api.us1.app.wiz.io/graphql?access_token=abc123", headers: { authorization: `Bearer ${token}`, "user-agent": "wizbridge/0" } },
        cause: new Error("low-level"),
      },
    );
    expect(error.message).toBe("What happened. Likely cause: why. What to do: do this.");
    expect(error.request?.headers?.authorization).toBe("Bearer [REDACTED]");
    expect(error.request?.url).not.toContain("pw");
    expect(error.request?.url).not.toContain("abc123");
    for (const text of renderings(error)) expect(text).not.toContain(token);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: "WizError", code: "X", status: 500, attempts: 1, totalRetryDelayMs: 0, retryable: false });
    expect(json.cause).toBeUndefined();
  });

  it("finds missing scopes and input paths in Wiz's messages", () => {
    expect(missingScopes([{ message: "Unauthorized: lacks read:vulnerabilities" }])).toEqual(["read:vulnerabilities"]);
    expect(missingScopes([{ message: "x", extensions: { requiredScopes: ["update:issues", "write:issues"] } }])).toEqual(["update:issues", "write:issues"]);
    expect(inputPath({ message: 'Variable "$filterBy" got invalid value "NOPE" at "filterBy.severity[0]"; Value "NOPE" does not exist' })).toBe("filterBy.severity[0]");
    expect(inputPath({ message: "bad", extensions: { exception: { path: ["input", "patch", "status"] } } })).toBe("input.patch.status");
  });
});

describe("typed errors from the simulator", () => {
  it("reports schema drift naming the field and type", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "schema-drift", field: "entitySnapshot", type: "Issue" }, path: "/graphql" });
    const error = await failure(client.graphql(ISSUES_PAGE, { first: 1 }));
    expect(error).toBeInstanceOf(WizSchemaError);
    const drift = error as WizSchemaError;
    expect(drift.field).toBe("entitySnapshot");
    expect(drift.typeName).toBe("Issue");
    expect(drift.message).toMatch(/schema drifted/);
    expect(drift.attempts).toBe(1);
  });

  it("names the missing scope, and keeps the fields that did resolve as partialData", async () => {
    const s = await sim({ serviceAccounts: [{ name: "x", scopes: ["read:issues"] }] });
    const client = simClient(s);
    open.push(client);
    const only = await failure(client.graphql("query Findings { vulnerabilityFindings(first: 1) { nodes { id } } }"));
    expect(only).toBeInstanceOf(WizPermissionError);
    expect((only as WizPermissionError).missingScopes).toEqual(["read:vulnerabilities"]);
    expect(only.message).toMatch(/lacks the scope read:vulnerabilities/);
    expect(only.message).toMatch(/Service Accounts/);

    const mixed = await failure(client.graphql("query Both { issuesV2(first: 2) { nodes { id } } vulnerabilityFindings(first: 1) { nodes { id } } }"));
    expect(mixed).toBeInstanceOf(WizPermissionError);
    const partial = mixed.partialData as { issuesV2: { nodes: unknown[] }; vulnerabilityFindings: null };
    expect(partial.issuesV2.nodes).toHaveLength(2);
    expect(partial.vulnerabilityFindings).toBeNull();
  });

  it("maps a bad filter value to WizInputError with its path", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const error = await failure(client.graphql(ISSUES_PAGE, { first: 1, filterBy: { severity: ["NOPE"] } }));
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).path).toMatch(/severity/);
    expect(error.message).toMatch(/NOPE/);
    expect(s.requests.list({ path: "/graphql" })).toHaveLength(1);
  });

  it("maps an unknown id to WizNotFoundError", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const error = await failure(client.graphql("query One($id: ID!) { issue(id: $id) { id } }", { id: "00000000-0000-4000-8000-000000000000" }));
    expect(error).toBeInstanceOf(WizNotFoundError);
  });

  it("refuses a document that does not parse before sending it", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    await expect(client.graphql("query { issuesV2(first: 1) { nodes { id }")).rejects.toThrow(/does not parse.*nothing was sent/s);
    expect(s.requests.list()).toHaveLength(0);
  });
});

describe("secrets never leak", () => {
  it("keeps the client secret and every access token out of logs and errors", async () => {
    const s = await sim({ rateLimit: { requestsPerSecond: 0, mode: "graphql200" } });
    const { logger, output } = capturedLogger();
    const tokens = recordingTokenProvider(s);
    const client = simClient(s, { logger, tokenProvider: tokens });
    open.push(client);
    const errors: Error[] = [];
    const keep = (promise: Promise<unknown>): Promise<unknown> => promise.catch((e: unknown) => errors.push(e as Error));

    await client.graphql<IssuesPageData>(ISSUES_PAGE, { first: 1 });
    s.faults.inject({ spec: { kind: "expire-tokens" }, path: "/graphql", times: 1 });
    s.faults.inject({ spec: { kind: "rate-limit" }, path: "/graphql", times: 1, after: 1 });
    await client.graphql(ISSUES_PAGE, { first: 1 });
    s.faults.inject({ spec: { kind: "revoke-tokens" }, path: "/graphql", times: 2 });
    await keep(client.graphql(ISSUES_PAGE, { first: 1 }));
    s.faults.inject({ spec: { kind: "http-error", status: 503 }, path: "/graphql", times: 10 });
    await keep(client.graphql(CREATE_NOTE, { input: { issueId: "x", text: "t" } }));
    s.faults.clear();
    await keep(client.graphql(ISSUES_PAGE, { first: 1, filterBy: { severity: ["NOPE"] } }));
    const wrong = simClient(s, { logger, settings: { clientSecret: `${s.clientSecret}-wrong` } });
    open.push(wrong);
    await keep(wrong.graphql(ISSUES_PAGE, { first: 1 }));

    expect(errors).toHaveLength(4);
    expect(tokens.issued.size).toBeGreaterThanOrEqual(3);
    const secrets = [s.clientSecret, `${s.clientSecret}-wrong`, ...tokens.issued];
    const logText = output();
    expect(logText).toMatch(/retrying/);
    expect(logText).toMatch(/"attempt":1/);
    for (const secret of secrets) {
      expect(logText).not.toContain(secret);
      for (const error of errors) for (const text of renderings(error)) expect(text).not.toContain(secret);
    }
  });

  it("redacts a credential a caller logs by accident through the SDK's logger paths", async () => {
    const { logger, output } = capturedLogger();
    const { wizLogger } = await import("./log-redaction.js");
    wizLogger(logger, {}).info({ settings: { clientSecret: "leaky-secret-value" }, headers: { authorization: "Bearer leaky-token-value" } }, "oops");
    expect(output()).not.toContain("leaky-secret-value");
    expect(output()).not.toContain("leaky-token-value");
  });
});
