import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Page, RelayConnection } from "../paginate.js";

/** What an operation's `execute` runs with: the client's pipeline, never its credentials. */
export interface OperationContext {
  /** One GraphQL request through the client's token, retry and rate-limit pipeline. */
  graphql<TData = unknown>(document: string, variables: Record<string, unknown>, options?: { mutating?: boolean }): Promise<TData>;
  /** Walks a Relay connection one page at a time (see WizClientCore.paginate). */
  pages<TNode, TData = unknown>(
    document: string,
    variables: Record<string, unknown>,
    pick: (data: TData) => RelayConnection<TNode> | null | undefined,
    options: { pageSizeCap: number },
  ): AsyncIterable<Page<TNode>>;
  /** For requests outside the Wiz API (the upload PUT): honours the proxy and CA settings, sends no Wiz token. */
  dispatcher(): Dispatcher;
  signal?: AbortSignal;
}

/**
 * One Wiz operation, defined once. The SDK methods, the CLI subcommands, the HTTP routes and the MCP
 * tools are all derived from these definitions (n8n's resource/operation layout: one folder per
 * resource, one file per operation).
 */
export interface OperationDefinition<Input extends z.ZodType = z.ZodType, Output = unknown, Node = unknown> {
  /** Resource, camelCase, e.g. `issue`, `cloudResource`, `vulnerabilityFinding`. */
  resource: string;
  /** Operation, camelCase, e.g. `list`, `get`, `clearDueAt`. */
  name: string;
  /** One sentence for CLI help and the MCP tool description. */
  description: string;
  /** Validates and defaults the caller's input before any request is sent (exact Wiz filter shapes). */
  input: Input;
  /**
   * What to say when a caller sends a field the input does not have, by its path (`filterBy.cloudPlatform`):
   * the shape mistakes users make (a field that lives elsewhere on this root), so the refusal says where it goes.
   */
  inputHints?: Readonly<Record<string, string>>;
  /** The GraphQL document (tagged `/* GraphQL *\/` so the schema test validates it). */
  document: string;
  /** True when the operation changes state at Wiz (never replayed after it may have reached Wiz). */
  mutating: boolean;
  /** Service-account scopes, any one of which suffices (as schema/wiz.graphql's ROOT_FIELD_SCOPES). */
  scopes: readonly string[];
  /** Turns validated input into GraphQL variables. */
  variables(input: z.output<Input>): Record<string, unknown>;
  /** Shapes the response `data` into the operation's result. */
  output(data: unknown, input: z.output<Input>): Output;
  /** For list operations: where the Relay connection is in `data`, and the page cap of the query. */
  paginated?: {
    connection(data: unknown): RelayConnection<Node> | null | undefined;
    pageCap: number;
  };
  /** Operations outside GraphQL (the upload PUT) run here instead of `document`. */
  custom?: true;
  /**
   * For operations that are not one request of `document`: a lookup first (getEvidence, forensics by
   * provider id), batches (listIDs), or no GraphQL at all (`custom`). Surfaces call this instead of
   * sending `document` once; the input is already validated.
   */
  execute?(input: z.output<Input>, context: OperationContext): Promise<Output>;
}

/** The name a surface shows: `issue.list`, CLI `issue list`, MCP tool `issue_list`. */
export function operationId(op: Pick<OperationDefinition, "resource" | "name">): string {
  return `${op.resource}.${op.name}`;
}
