import {
  getNamedType,
  isInputObjectType,
  Kind,
  parse,
  typeFromAST,
  validate,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type GraphQLError,
  GraphQLError as GQLError,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

export type PreparedDocument = { ok: true; document: DocumentNode } | { ok: false; errors: readonly GraphQLError[]; code: "GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED" };

/** Parses and validates each distinct query text once: a sync sends the same document for every page. */
export class DocumentCache {
  private readonly entries = new Map<string, PreparedDocument>();
  private readonly compiledQueries = new Map<string, CompiledQuery | null>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly capacity = 500,
  ) {}

  prepare(query: string): PreparedDocument {
    const cached = this.entries.get(query);
    if (cached) {
      // Refresh recency: Map keeps insertion order, so re-inserting makes it the newest.
      this.entries.delete(query);
      this.entries.set(query, cached);
      return cached;
    }
    let prepared: PreparedDocument;
    try {
      const document = parse(query);
      const errors = validate(this.schema, document);
      prepared = errors.length > 0 ? { ok: false, errors, code: "GRAPHQL_VALIDATION_FAILED" } : { ok: true, document };
    } catch (error) {
      prepared = { ok: false, errors: [error instanceof GQLError ? error : new GQLError(String(error))], code: "GRAPHQL_PARSE_FAILED" };
    }
    this.entries.set(query, prepared);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return prepared;
  }

  /** The compiled form of a valid document, or undefined when graphql-jit cannot compile it (callers fall back to graphql-js). */
  compiled(query: string, document: DocumentNode, operationName: string | undefined): CompiledQuery | undefined {
    const key = `${operationName ?? ""}\u0000${query}`;
    let compiled = this.compiledQueries.get(key);
    if (compiled === undefined) {
      // graphql-jit unrolls variable coercion through nested input types and never ends on a recursive one
      // (GraphEntityQueryInput -> relationships -> with -> GraphEntityQueryInput): graphql-js runs those.
      const result = takesRecursiveInput(this.schema, document) ? null : compileQuery(this.schema, document, operationName);
      compiled = result !== null && isCompiledQuery(result) ? result : null;
      this.compiledQueries.set(key, compiled);
      if (this.compiledQueries.size > this.capacity) {
        const oldest = this.compiledQueries.keys().next().value;
        if (oldest !== undefined) this.compiledQueries.delete(oldest);
      }
    }
    return compiled ?? undefined;
  }
}

/** Whether any operation's variables are of an input type that contains itself (directly or through others). */
export function takesRecursiveInput(schema: GraphQLSchema, document: DocumentNode): boolean {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type as Parameters<typeof typeFromAST>[1]);
      const named = type ? getNamedType(type) : undefined;
      if (named && isInputObjectType(named) && reachesItself(named)) return true;
    }
  }
  return false;
}

function reachesItself(root: GraphQLInputObjectType): boolean {
  const seen = new Set<GraphQLInputObjectType>();
  const stack: GraphQLInputObjectType[] = [root];
  while (stack.length > 0) {
    const current = stack.pop() as GraphQLInputObjectType;
    for (const field of Object.values(current.getFields())) {
      const named = getNamedType(field.type);
      if (!isInputObjectType(named)) continue;
      if (named === root) return true;
      if (!seen.has(named)) {
        seen.add(named);
        stack.push(named);
      }
    }
  }
  return false;
}
