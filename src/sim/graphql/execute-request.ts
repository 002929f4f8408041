import {
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { DocumentCache } from "./document-cache.js";
import { wizError } from "./wiz-graphql-error.js";

export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** Reads `{query, variables, operationName}`; a string describes what is wrong with the body. */
export function readRequestBody(raw: string): GraphQLRequestBody | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return `The request body is not valid JSON (${(error as Error).message}); send {"query": "...", "variables": {...}} with Content-Type: application/json.`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return 'The request body must be a JSON object {"query": "...", "variables": {...}}.';
  const body = parsed as Record<string, unknown>;
  if (typeof body.query !== "string" || body.query.trim() === "") return 'The request body has no "query" string.';
  if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== "object" || Array.isArray(body.variables))) {
    return '"variables" must be a JSON object.';
  }
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== "string") return '"operationName" must be a string.';
  return {
    query: body.query,
    variables: (body.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (body.operationName ?? undefined) as string | undefined,
  };
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName?: string;
  rootFields: string[];
}

export type Preparation = { ok: true; prepared: PreparedOperation } | { ok: false; result: ExecutionResult; code: string };

export function prepareOperation(documents: DocumentCache, body: GraphQLRequestBody): Preparation {
  const doc = documents.prepare(body.query);
  if (!doc.ok) {
    return { ok: false, code: doc.code, result: { errors: doc.errors.map((e) => withCode(e, doc.code)) } };
  }
  const operation = getOperationAST(doc.document, body.operationName);
  if (!operation) {
    const message = body.operationName ? `Unknown operation named "${body.operationName}".` : "Must provide operation name if query contains multiple operations.";
    return { ok: false, code: "BAD_USER_INPUT", result: { errors: [wizError("BAD_USER_INPUT", message)] } };
  }
  const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return { ok: true, prepared: { document: doc.document, operation, operationName: operation.name?.value, rootFields } };
}

export interface RootResolverContext {
  scopes: ReadonlySet<string>;
}

/** Wraps each root field so a missing scope fails that field with UNAUTHORIZED, as a partial result. */
export function scopedRootValue<C extends RootResolverContext>(
  resolvers: Record<string, GraphQLFieldResolver<unknown, C>>,
  requiredScopes: Readonly<Record<string, readonly string[]>>,
  hasScope: (rootField: string, granted: readonly string[]) => boolean,
): Record<string, (args: Record<string, unknown>, context: C, info: Parameters<GraphQLFieldResolver<unknown, C>>[3]) => unknown> {
  const root: Record<string, (args: Record<string, unknown>, context: C, info: Parameters<GraphQLFieldResolver<unknown, C>>[3]) => unknown> = {};
  for (const [field, resolve] of Object.entries(resolvers)) {
    const needed = requiredScopes[field] ?? [];
    root[field] = (args, context, info) => {
      if (!hasScope(field, [...context.scopes])) {
        throw wizError(
          "UNAUTHORIZED",
          `Unauthorized: the service account lacks the permission needed for ${field} (${needed.join(" or ")}). Grant it in Wiz under Settings > Service Accounts, then request a new token.`,
          { requiredScopes: needed },
        );
      }
      return resolve(undefined, args, context, info);
    };
  }
  return root;
}

export async function runOperation<C>(
  schema: GraphQLSchema,
  prepared: PreparedOperation,
  body: GraphQLRequestBody,
  rootValue: unknown,
  context: C,
): Promise<ExecutionResult> {
  const result = await execute({
    schema,
    document: prepared.document,
    rootValue,
    contextValue: context,
    variableValues: body.variables,
    operationName: body.operationName,
  });
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((e) => withCode(e, inferCode(e, result))) };
}

// Variable coercion failures come back with no data at all; Apollo-style servers label them BAD_USER_INPUT.
function inferCode(error: GraphQLError, result: ExecutionResult): string {
  const code = error.extensions?.code;
  if (typeof code === "string") return code;
  if (result.data === undefined && /^Variable "\$/.test(error.message)) return "BAD_USER_INPUT";
  return "INTERNAL";
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions?.code === "string") return error;
  const message = code === "INTERNAL" ? "Internal server error" : error.message;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    // Kept for the server log; GraphQLError's JSON form never includes it.
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
