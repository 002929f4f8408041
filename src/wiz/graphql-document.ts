import { GraphQLError, getOperationAST, parse } from "graphql";
import { WizInputError } from "./wiz-errors.js";

export interface DocumentInfo {
  /** The operation's name: the one asked for, else the document's own. */
  operationName: string | undefined;
  /** True for a `mutation` operation. */
  isMutation: boolean;
}

/**
 * Reads the operation a document runs, locally, so a broken document fails before any request and
 * the retry policy knows whether it is a mutation without trusting the caller alone.
 */
export function describeDocument(document: string, operationName?: string): DocumentInfo {
  let operation;
  try {
    operation = getOperationAST(parse(document, { noLocation: true }), operationName);
  } catch (error) {
    const detail = error instanceof GraphQLError ? error.message : String(error);
    throw new WizInputError(
      { what: `The GraphQL document${operationName ? ` of ${operationName}` : ""} does not parse: ${detail}.`, cause: "a syntax error in the query text.", fix: "fix the document; nothing was sent to Wiz." },
      { code: "GRAPHQL_PARSE_FAILED", operationName, mayHaveExecuted: false },
    );
  }
  if (!operation) {
    throw new WizInputError(
      {
        what: operationName ? `The GraphQL document has no operation named ${operationName}.` : "The GraphQL document holds several operations and no operationName says which to run.",
        cause: "a wrong operationName, or a document with more than one operation.",
        fix: "pass the name of one of the document's operations; nothing was sent to Wiz.",
      },
      { code: "OPERATION_NOT_FOUND", operationName, mayHaveExecuted: false },
    );
  }
  return { operationName: operationName ?? operation.name?.value, isMutation: operation.operation === "mutation" };
}
