import type { PageInfo, RelayConnection } from "../paginate.js";
import { WizResponseError } from "../wiz-errors.js";

/** One page of a list operation, as `client.<resource>.list()` returns it. */
export interface ListPage<TNode> {
  nodes: TNode[];
  pageInfo: Required<PageInfo>;
  /** Present when the connection has a total count. */
  totalCount?: number;
}

/** The first page of a connection in one shape, whether Wiz sent `nodes` or `edges`. */
export function toListPage<TNode>(connection: RelayConnection<TNode> | null | undefined, operation: string): ListPage<TNode> {
  if (!connection?.pageInfo) {
    throw new WizResponseError(
      {
        what: `The answer to ${operation} holds no connection with pageInfo.`,
        cause: "Wiz returned null for the list (for example a field it could not resolve) or the schema changed.",
        fix: "retry; if it persists, run `wizbridge test-connection` and report the request id to Wiz.",
      },
      { code: "MISSING_CONNECTION", status: 200, retryable: false },
    );
  }
  const nodes = connection.nodes ? [...connection.nodes] : (connection.edges ?? []).flatMap((edge) => (edge ? [edge.node] : []));
  const page: ListPage<TNode> = { nodes, pageInfo: { hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor ?? null } };
  if (typeof connection.totalCount === "number") page.totalCount = connection.totalCount;
  return page;
}
