import type { z } from "zod";
import { operationId, type OperationContext, type OperationDefinition } from "./operation-definition.js";
import type { Page } from "../paginate.js";
import { WizInputError } from "../wiz-errors.js";

/** Runs an operation on validated input: its own `execute`, else one request of its document. */
export async function runOperation<I extends z.ZodType, O>(definition: OperationDefinition<I, O, unknown>, input: z.output<I>, context: OperationContext): Promise<O> {
  if (definition.execute) return definition.execute(input, context);
  const data = await context.graphql(definition.document, definition.variables(input), { mutating: definition.mutating });
  return definition.output(data, input);
}

/** Every page of a list operation, one in memory at a time; the input's `first` is the page size. */
export function operationPages<I extends z.ZodType, Node>(definition: OperationDefinition<I, unknown, Node>, input: z.output<I>, context: OperationContext): AsyncIterable<Page<Node>> {
  const paginated = definition.paginated;
  if (!paginated) {
    throw new WizInputError(
      {
        what: `${operationId(definition)} is not a list operation, so it has no pages to follow.`,
        cause: "iterate/pages was called on an operation that returns a single result.",
        fix: "call it with run(); nothing was sent to Wiz.",
      },
      { code: "NOT_A_LIST_OPERATION", operationName: operationId(definition), mayHaveExecuted: false },
    );
  }
  return context.pages(definition.document, definition.variables(input), (data: unknown) => paginated.connection(data), { pageSizeCap: paginated.pageCap });
}

/** The nodes of every page, never holding more than one page. */
export async function* operationNodes<Node>(pages: AsyncIterable<Page<Node>>): AsyncGenerator<Node, void, undefined> {
  for await (const page of pages) yield* page.nodes;
}
