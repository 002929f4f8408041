import { WizInputError, WizPaginationError, WizResponseError } from "./wiz-errors.js";

export interface PageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** A Relay connection as Wiz returns it: `nodes` or `edges { node }`, `pageInfo`, maybe `totalCount`. */
export interface RelayConnection<TNode> {
  nodes?: ReadonlyArray<TNode> | null;
  edges?: ReadonlyArray<{ node: TNode } | null> | null;
  pageInfo: PageInfo;
  totalCount?: number | null;
}

export interface Page<TNode> {
  nodes: readonly TNode[];
  pageInfo: PageInfo;
  /** The connection's totalCount when the query selected it. */
  totalCount: number | undefined;
  /** 1 for the first page. */
  pageNumber: number;
}

export interface PaginateOptions {
  /** Rows per page; default 100 (heavy nested pages stay well under Wiz's gateway timeout), never above the cap. */
  pageSize?: number;
  /** The query's page cap (500 for most Wiz connections, 1000 for detections); a larger page size is refused before sending. */
  pageSizeCap?: number;
  /** Names of the page-size and cursor variables. Default `first` and `after`. */
  firstVariable?: string;
  afterVariable?: string;
  /** Names the walk in errors. */
  operationName?: string;
}

export const DEFAULT_PAGE_SIZE = 100;

export type PageFetcher<TData> = (variables: Record<string, unknown>) => Promise<TData>;

/**
 * Walks a Relay connection page by page, holding one page at a time. Iterate it for pages, or call
 * `nodes()` for the records. It refuses to loop: a cursor Wiz already returned, or `hasNextPage` without
 * an `endCursor`, throws WizPaginationError.
 */
export class PageIterator<TNode, TData = unknown> implements AsyncIterable<Page<TNode>> {
  private readonly first: number;
  private readonly firstVariable: string;
  private readonly afterVariable: string;

  constructor(
    private readonly fetchPage: PageFetcher<TData>,
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly pick: (data: TData) => RelayConnection<TNode> | null | undefined,
    private readonly options: PaginateOptions = {},
  ) {
    this.firstVariable = options.firstVariable ?? "first";
    this.afterVariable = options.afterVariable ?? "after";
    // Checked here, before any request, so a bad page size never costs a round trip.
    this.first = resolvePageSize(variables[this.firstVariable], options, this.firstVariable);
  }

  [Symbol.asyncIterator](): AsyncIterator<Page<TNode>> {
    return this.pages();
  }

  async *pages(): AsyncGenerator<Page<TNode>, void, undefined> {
    const op = this.options.operationName ? `operation ${this.options.operationName}` : "the paginated query";
    // Cursors only (short strings), so a cycle of any length is caught without keeping any page.
    const seen = new Set<string>();
    let after = this.variables[this.afterVariable];
    if (typeof after === "string") seen.add(after);
    for (let pageNumber = 1; ; pageNumber += 1) {
      const data = await this.fetchPage({ ...this.variables, [this.firstVariable]: this.first, [this.afterVariable]: after ?? null });
      const connection = this.pick(data);
      if (!connection || typeof connection !== "object" || !connection.pageInfo) {
        throw new WizResponseError(
          {
            what: `Page ${pageNumber} of ${op} has no connection with pageInfo where pick() looked.`,
            cause: "the query does not select pageInfo { hasNextPage endCursor }, or pick() points at the wrong field.",
            fix: "select pageInfo { hasNextPage endCursor } on the connection and return that connection from pick().",
          },
          { code: "PAGE_WITHOUT_CONNECTION", operationName: this.options.operationName, status: 200, retryable: false },
        );
      }
      const nodes = connection.nodes ?? (connection.edges ?? []).flatMap((edge) => (edge ? [edge.node] : []));
      const { hasNextPage, endCursor } = connection.pageInfo;
      yield { nodes, pageInfo: { hasNextPage, endCursor: endCursor ?? null }, totalCount: connection.totalCount ?? undefined, pageNumber };
      if (!hasNextPage) return;
      if (!endCursor) {
        throw new WizPaginationError(
          {
            what: `Page ${pageNumber} of ${op} says hasNextPage is true but gives no endCursor.`,
            cause: "the query does not select pageInfo.endCursor, or Wiz returned an incomplete pageInfo.",
            fix: "select pageInfo { hasNextPage endCursor }; if it is selected, restart the walk and report the request to Wiz.",
          },
          { code: "MISSING_END_CURSOR", operationName: this.options.operationName, status: 200, retryable: false, mayHaveExecuted: false },
        );
      }
      if (seen.has(endCursor)) {
        throw new WizPaginationError(
          {
            what: `Page ${pageNumber} of ${op} returned a cursor Wiz had already returned; following it would loop forever.`,
            cause: "a pagination fault on the Wiz side, or an ordering on a field that changed while paging.",
            fix: "restart the walk (a checkpointed sync resumes from its last saved cursor); if it repeats, slice the query by a time filter and report it to Wiz.",
          },
          { code: "CURSOR_REPEATED", operationName: this.options.operationName, status: 200, retryable: false, mayHaveExecuted: false },
        );
      }
      seen.add(endCursor);
      after = endCursor;
    }
  }

  /** Every record of every page, one page in memory at a time. */
  async *nodes(): AsyncGenerator<TNode, void, undefined> {
    for await (const page of this.pages()) {
      for (const node of page.nodes) yield node;
    }
  }
}

function resolvePageSize(given: unknown, options: PaginateOptions, name: string): number {
  const cap = options.pageSizeCap;
  const size = given ?? options.pageSize ?? Math.min(DEFAULT_PAGE_SIZE, cap ?? DEFAULT_PAGE_SIZE);
  const op = options.operationName ? ` of ${options.operationName}` : "";
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
    throw new WizInputError(
      { what: `The page size${op} must be a positive integer, got ${JSON.stringify(size)}.`, cause: "a wrong pageSize or $" + name + " value.", fix: `pass a whole number between 1 and ${cap ?? 500}.` },
      { code: "PAGE_SIZE_INVALID", path: name, mayHaveExecuted: false },
    );
  }
  if (cap !== undefined && size > cap) {
    throw new WizInputError(
      {
        what: `The page size ${size}${op} is above the query's cap of ${cap}.`,
        cause: "Wiz refuses pages larger than the cap rather than shortening them.",
        fix: `use a page size of at most ${cap}; the iterator follows the pages for you.`,
      },
      { code: "PAGE_SIZE_ABOVE_CAP", path: name, mayHaveExecuted: false },
    );
  }
  return size;
}
