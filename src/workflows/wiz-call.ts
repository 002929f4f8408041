import type { OperationRequest } from "../wiz/operations/operation-request.js";

export type { OperationRequest };

/**
 * How a workflow talks to Wiz: one request envelope of OPERATIONS.md at a time (`{resource, operation,
 * parameters}` with Wiz's own variable shapes), so every call a workflow makes is one a user could send
 * unchanged through `wizbridge run`, and goes through the same operation registry. Sends one envelope
 * and returns the operation's result (the first page for a list).
 */
export type CallWiz = (request: OperationRequest) => Promise<unknown>;

/** One page of a list operation, as every list returns it. */
export interface WizPage<Node> {
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

/**
 * The nodes of a list request, following `pageInfo.endCursor` as `after` until the last page or `limit`
 * nodes; only the kept nodes stay in memory. Returns whether more were left behind.
 */
export async function listNodes<Node>(call: CallWiz, request: OperationRequest, limit = Number.POSITIVE_INFINITY): Promise<{ nodes: Node[]; truncated: boolean; totalCount?: number }> {
  const nodes: Node[] = [];
  let after: string | undefined;
  let totalCount: number | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = pageOf<Node>(await call({ ...request, parameters: { ...request.parameters, ...(after ? { after } : {}) } }), request);
    totalCount ??= page.totalCount;
    for (const node of page.nodes) {
      if (nodes.length >= limit) return { nodes, truncated: true, ...(totalCount !== undefined ? { totalCount } : {}) };
      nodes.push(node);
    }
    const next = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage || !next) return { nodes, truncated: false, ...(totalCount !== undefined ? { totalCount } : {}) };
    // A cursor seen before would loop for ever (OPERATIONS: "the same page twice").
    if (seen.has(next)) throw new Error(`${request.resource}.${request.operation} returned the cursor ${next} twice; stopping instead of reading the same page again. Retry later; if it persists, report it to Wiz.`);
    seen.add(next);
    after = next;
  }
}

function pageOf<Node>(result: unknown, request: OperationRequest): WizPage<Node> {
  const page = result as Partial<WizPage<Node>> | null;
  if (!page || !Array.isArray(page.nodes) || !page.pageInfo) {
    throw new Error(`${request.resource}.${request.operation} answered without nodes and pageInfo; it is not a list operation, or its answer changed shape.`);
  }
  return page as WizPage<Node>;
}
