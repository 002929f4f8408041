import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import type { IssueNode } from "./operations/issue/issue-node.js";
import type { ListPage } from "./operations/list-page.js";
import type { Page } from "./paginate.js";
import { simClient, simSettings, startTestSimulator } from "./sim-client.test-fixtures.js";
import { WizClient } from "./wiz-client.js";
import { WizClientCore } from "./wiz-client-core.js";
import { WizInputError } from "./wiz-errors.js";

let sim: Simulator;
let client: WizClient;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = new WizClient(simClient(sim));
});
afterAll(async () => {
  await client.close();
  await client.core.close();
  await sim.close();
});

const ISSUE_ID = "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f";

/** The WizInputError a call throws, checking that nothing reached the simulator. */
async function refused(call: () => Promise<unknown> | unknown): Promise<WizInputError> {
  const before = sim.requests.list().length;
  let error: unknown;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(WizInputError);
  expect(sim.requests.list()).toHaveLength(before);
  return error as WizInputError;
}

describe("WizClient input validation (before any request)", () => {
  it("refuses an unknown severity value, naming the field and the accepted values", async () => {
    const error = await refused(() => client.issue.list({ filterBy: { severity: ["SEVERE" as "HIGH"] } }));
    expect(error.path).toBe("filterBy.severity[0]");
    expect(error.message).toContain("filterBy.severity[0]");
    expect(error.message).toContain('"CRITICAL"');
    expect(error.message).toContain('(got "SEVERE")');
    expect(error.mayHaveExecuted).toBe(false);
  });

  it("refuses an id that is not a UUID where Wiz needs one", async () => {
    const error = await refused(() => client.issue.get({ filterBy: { id: "ISSUE-42" } }));
    expect(error.path).toBe("filterBy.id");
    expect(error.message).toMatch(/issue UUID, e\.g\./);
    expect((await refused(() => client.detection.list({ filterBy: { id: { equals: ["d-1"] } } }))).path).toBe("filterBy.id.equals[0]");
  });

  it("refuses a page size over the query's cap (500; detections 1000)", async () => {
    const error = await refused(() => client.issue.list({ first: 501 }));
    expect(error.path).toBe("first");
    expect(error.message).toMatch(/at most 500, the page cap/);
    expect((await refused(() => client.detection.list({ first: 1001 }))).message).toMatch(/at most 1000/);
    await refused(() => client.issue.listAll({ first: 501 }));
    await refused(() => client.graphSearch.runPages({ query: { type: ["BUCKET"] }, projectId: "*", first: 0 }));
  });

  it("refuses unknown keys at any depth", async () => {
    const top = await refused(() => client.issue.list({ filterBy: {}, pageSize: 5 } as never));
    expect(top.path).toBe("pageSize");
    expect(top.message).toMatch(/unknown field/);
    const nested = await refused(() => client.issue.list({ filterBy: { statusIn: ["OPEN"] } } as never));
    expect(nested.path).toBe("filterBy.statusIn");
    // issues take bare lists, detections {equals}: the other root's convention is refused locally
    expect((await refused(() => client.issue.list({ filterBy: { status: { equals: ["OPEN"] } } } as never))).path).toBe("filterBy.status");
  });

  it("refuses a malformed date, an empty update and a wrong detection wrapper", async () => {
    expect((await refused(() => client.issue.list({ filterBy: { createdAt: { after: "yesterday" } } }))).path).toBe("filterBy.createdAt.after");
    expect((await refused(() => client.issue.update({ issueId: ISSUE_ID, patch: {} }))).message).toMatch(/at least one of status/);
    expect((await refused(() => client.detection.list({ filterBy: { type: { equals: ["THREAT"] } } } as never))).path).toBe("filterBy.type.equals[0]");
  });

  it("refuses an unknown operation and iterating one that is not a list", async () => {
    const unknown = await refused(() => client.run("issue", "explode", {}));
    expect(unknown.code).toBe("UNKNOWN_OPERATION");
    expect(unknown.message).toContain("issue.list");
    expect((await refused(() => client.iterate("issue", "get", { filterBy: { id: ISSUE_ID } }))).code).toBe("NOT_A_LIST_OPERATION");
  });
});

describe("WizClient surfaces", () => {
  it("run(resource, name, input) gives what the typed method gives", async () => {
    const typed = await client.issue.list({ filterBy: { status: ["OPEN"] }, first: 3 });
    const generic = await client.run("issue", "list", { filterBy: { status: ["OPEN"] }, first: 3 });
    const untyped: unknown = await client.run(String("issue"), String("list"), { filterBy: { status: ["OPEN"] }, first: 3 });
    expect(generic).toEqual(typed);
    expect(untyped).toEqual(typed);
    expect(typed.nodes).toHaveLength(3);
    expect(typed.pageInfo.hasNextPage).toBe(true);
  });

  it("list returns the first page; listPages and iterate follow every page, one request each", async () => {
    const first = await client.vulnerabilityFinding.list({ filterBy: { status: ["RESOLVED"] }, first: 50 });
    const total = first.totalCount ?? 0;
    expect(total).toBeGreaterThan(50);
    const before = sim.requests.list({ rootField: "vulnerabilityFindings" }).length;
    const sizes: number[] = [];
    for await (const page of client.vulnerabilityFinding.listPages({ filterBy: { status: ["RESOLVED"] }, first: 50 })) sizes.push(page.nodes.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(sim.requests.list({ rootField: "vulnerabilityFindings" }).length - before).toBe(sizes.length);
    let count = 0;
    for await (const finding of client.iterate("vulnerabilityFinding", "list", { filterBy: { status: ["RESOLVED"] }, first: 50 })) {
      expect(finding.status).toBe("RESOLVED");
      count += 1;
    }
    expect(count).toBe(total);
  });

  it("resumes a list from a cursor", async () => {
    const first = await client.project.list({ first: 1 });
    const second = await client.project.list({ first: 1, after: first.pageInfo.endCursor ?? undefined });
    expect(second.nodes[0]?.id).not.toBe(first.nodes[0]?.id);
    expect(second.nodes[0]?.id).toBe(sim.tenant.projects.get(1).id);
  });

  it("builds its own core from settings and closes it", async () => {
    const own = new WizClient(simSettings(sim), { rateLimit: { requestsPerSecond: 0 } });
    expect(own.core).toBeInstanceOf(WizClientCore);
    const counts = await own.issue.severityCounts();
    expect(counts.totalCount).toBeGreaterThan(0);
    await own.close();
  });

  it("exposes one method per operation, and All/Pages for lists only", () => {
    expect(Object.keys(client.issue).sort()).toEqual(
      ["clearDueAt", "createNote", "deleteNote", "get", "getEvidence", "groupedCount", "list", "listAll", "listPages", "severityCounts", "update"].sort(),
    );
    expect(Object.keys(client.graphSearch).sort()).toEqual(["resolveResourceGraphID", "run", "runAll", "runPages"]);
    expect(Object.keys(client.upload).sort()).toEqual(["getSystemActivity", "requestUpload", "uploadDocument"]);
  });

  it("types each method from its definition", () => {
    expectTypeOf(client.issue.list).returns.resolves.toEqualTypeOf<ListPage<IssueNode>>();
    expectTypeOf(client.issue.listAll).returns.toEqualTypeOf<AsyncGenerator<IssueNode, void, undefined>>();
    expectTypeOf(client.issue.listPages).returns.toEqualTypeOf<AsyncIterable<Page<IssueNode>>>();
    expectTypeOf(client.issue.get).parameter(0).toEqualTypeOf<{ filterBy: { id: string | string[] } }>();
    expectTypeOf(client.issue.clearDueAt).returns.resolves.toHaveProperty("dueAt").toEqualTypeOf<string | null>();
    expectTypeOf(client.detection.list).parameter(0).exclude<undefined>().toHaveProperty("first").toEqualTypeOf<number | undefined>();
  });
});
