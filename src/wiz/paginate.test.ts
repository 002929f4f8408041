import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { PageIterator, type RelayConnection } from "./paginate.js";
import { ISSUES_PAGE, simClient, startTestSimulator, type IssuesPageData } from "./sim-client.test-fixtures.js";
import { WizInputError, WizPaginationError } from "./wiz-errors.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function sim(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<Simulator> {
  const started = await startTestSimulator(options);
  open.push(started);
  return started;
}

const FINDINGS_PAGE = /* GraphQL */ `
  query FindingsPage($first: Int, $after: String) {
    vulnerabilityFindings(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id } }
    }
  }
`;

type FindingsData = { vulnerabilityFindings: RelayConnection<{ id: string }> & { totalCount: number } };

describe("pagination against the simulator", () => {
  it("walks every issue exactly once and matches totalCount", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const ids = new Set<string>();
    let totalCount = -1;
    let pages = 0;
    for await (const page of client.paginate<{ id: string }, IssuesPageData>(ISSUES_PAGE, {}, (d) => d.issuesV2, { pageSize: 37, pageSizeCap: 500 })) {
      pages += 1;
      totalCount = page.totalCount ?? -1;
      for (const node of page.nodes) ids.add(node.id);
    }
    expect(ids.size).toBe(totalCount);
    expect(totalCount).toBe(s.tenant.issues.size());
    expect(pages).toBe(Math.ceil(totalCount / 37));
    const sent = s.requests.list({ rootField: "issuesV2" }).map((e) => e.variables?.first);
    expect(new Set(sent)).toEqual(new Set([37]));
  });

  it("reads edges as well as nodes, at the page cap", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    let count = 0;
    for await (const _node of client.paginate<{ id: string }, FindingsData>(FINDINGS_PAGE, { first: 500 }, (d) => d.vulnerabilityFindings, { pageSizeCap: 500 }).nodes()) count += 1;
    expect(count).toBe(s.tenant.vulnerabilityFindings.size());
  });

  it("throws on a repeated cursor instead of looping", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    s.faults.inject({ spec: { kind: "repeat-cursor" }, rootField: "issuesV2", after: 1, times: 1 });
    const walk = async (): Promise<number> => {
      let n = 0;
      for await (const _node of client.paginate<{ id: string }, IssuesPageData>(ISSUES_PAGE, {}, (d) => d.issuesV2, { pageSize: 50 }).nodes()) n += 1;
      return n;
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizPaginationError);
    expect((error as WizPaginationError).code).toBe("CURSOR_REPEATED");
    expect((error as Error).message).toMatch(/loop forever/);
    expect(s.requests.list({ rootField: "issuesV2" })).toHaveLength(2);
  });

  it("refuses a page size above the cap before sending anything", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    expect(() => client.paginate(ISSUES_PAGE, { first: 501 }, (d: IssuesPageData) => d.issuesV2, { pageSizeCap: 500 })).toThrow(WizInputError);
    expect(() => client.paginate(ISSUES_PAGE, {}, (d: IssuesPageData) => d.issuesV2, { pageSize: 0 })).toThrow(/positive integer/);
    expect(s.requests.list()).toHaveLength(0);
  });

  it("maps Wiz's own refusal of an oversized page to WizInputError naming the argument", async () => {
    const s = await sim();
    const client = simClient(s);
    open.push(client);
    const error = await client.graphql(ISSUES_PAGE, { first: 501 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).path).toBe("issuesV2.first");
    expect((error as Error).message).toMatch(/less than or equal to 500/);
  });
});

describe("PageIterator (unit)", () => {
  it("throws when hasNextPage comes without an endCursor", async () => {
    const pages = new PageIterator(() => Promise.resolve({ c: { nodes: [1], pageInfo: { hasNextPage: true, endCursor: null } } }), {}, (d) => d.c);
    const error = await (async () => {
      for await (const _page of pages) void _page;
    })().catch((e: unknown) => e);
    expect((error as WizPaginationError).code).toBe("MISSING_END_CURSOR");
  });

  it("catches a cursor cycle longer than one page", async () => {
    const cursors = ["a", "b", "a"];
    let call = 0;
    const pages = new PageIterator(
      () => Promise.resolve({ c: { nodes: [call], pageInfo: { hasNextPage: true, endCursor: cursors[call++] ?? "z" } } }),
      {},
      (d) => d.c,
    );
    const error = await (async () => {
      for await (const _page of pages) void _page;
    })().catch((e: unknown) => e);
    expect((error as WizPaginationError).code).toBe("CURSOR_REPEATED");
    expect(call).toBe(3);
  });

  it("keeps no page it has already handed out", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: Array<WeakRef<object>> = [];
    let call = 0;
    const iterator = new PageIterator(
      () => {
        call += 1;
        // Pages large enough that keeping them would show: 10k objects each.
        const nodes = Array.from({ length: 10_000 }, (_, i) => ({ i, payload: `row-${call}-${i}` }));
        refs.push(new WeakRef(nodes));
        return Promise.resolve({ c: { nodes, pageInfo: { hasNextPage: call < 20, endCursor: `cursor-${call}` } } });
      },
      {},
      (d) => d.c,
    );
    const oldPagesAlive = async (): Promise<number> => {
      for (let round = 0; round < 3; round += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      return refs.slice(0, -2).filter((r) => r.deref() !== undefined).length;
    };
    let seen = 0;
    const alive: number[] = [];
    for await (const node of iterator.nodes()) {
      seen += 1;
      if (node.i === 0 && (call === 10 || call === 19)) alive.push(await oldPagesAlive());
    }
    expect(seen).toBe(200_000);
    // V8 may pin one early page through its own caches; what matters is that the count does not grow with the walk.
    expect(alive[0]).toBeLessThanOrEqual(1);
    expect(alive[1]).toBeLessThanOrEqual(1);
  });
});
