import type { z } from "zod";
import { toListPage, type ListPage } from "./list-page.js";
import type { OperationDefinition } from "./operation-definition.js";
import type { RelayConnection } from "../paginate.js";

/** A definition whose resource and name keep their literal types, so SDK methods are typed per operation. */
export type DefinedOperation<R extends string, N extends string, I extends z.ZodType, O, Node = unknown> = OperationDefinition<I, O, Node> & {
  readonly resource: R;
  readonly name: N;
};

/** A list operation: `paginated` is always there and the output is the first page. */
export type DefinedListOperation<R extends string, N extends string, I extends z.ZodType, Node, O extends ListPage<Node> = ListPage<Node>> = DefinedOperation<
  R,
  N,
  I,
  O,
  Node
> & {
  readonly paginated: NonNullable<OperationDefinition<I, O, Node>["paginated"]>;
};

export function defineOperation<const R extends string, const N extends string, I extends z.ZodType, O>(
  definition: OperationDefinition<I, O> & { resource: R; name: N },
): DefinedOperation<R, N, I, O> {
  return Object.freeze(definition);
}

export interface ListOperationSpec<R extends string, N extends string, I extends z.ZodType, Node, O extends ListPage<Node>> {
  resource: R;
  name: N;
  description: string;
  input: I;
  /** See OperationDefinition.inputHints. */
  inputHints?: Readonly<Record<string, string>>;
  document: string;
  scopes: readonly string[];
  variables(input: z.output<I>): Record<string, unknown>;
  /** Where the connection sits in `data`. */
  connection(data: unknown): RelayConnection<Node> | null | undefined;
  pageCap: number;
  /** Shapes the first page when it carries more than ListPage (graphSearch's maxCountReached). */
  output?(data: unknown, input: z.output<I>): O;
}

/** A read-only Relay list: one request returns the first page; `paginated` lets surfaces follow the rest. */
export function defineListOperation<const R extends string, const N extends string, I extends z.ZodType, Node, O extends ListPage<Node> = ListPage<Node>>(
  spec: ListOperationSpec<R, N, I, Node, O>,
): DefinedListOperation<R, N, I, Node, O> {
  const id = `${spec.resource}.${spec.name}`;
  return Object.freeze({
    resource: spec.resource,
    name: spec.name,
    description: spec.description,
    input: spec.input,
    ...(spec.inputHints ? { inputHints: spec.inputHints } : {}),
    document: spec.document,
    mutating: false,
    scopes: spec.scopes,
    variables: spec.variables,
    // Without its own output, O is ListPage<Node> (the default), which toListPage returns.
    output: spec.output ?? ((data: unknown) => toListPage(spec.connection(data), id) as O),
    paginated: Object.freeze({ connection: spec.connection, pageCap: spec.pageCap }),
  });
}
