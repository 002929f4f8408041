import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DocumentCache } from "./document-cache.js";
import { buildWizSchema } from "./schema.js";

describe("DocumentCache", () => {
  const schema = buildWizSchema();

  it("compiles documents with graphql-jit, except those whose variables have a recursive input type", () => {
    const cache = new DocumentCache(schema);
    const flat = "query Q($first: Int) { issuesV2(first: $first) { nodes { id } } }";
    expect(cache.compiled(flat, parse(flat), "Q")).toBeDefined();
    // GraphEntityQueryInput -> relationships -> with -> GraphEntityQueryInput: graphql-jit never finished compiling it.
    const recursive = 'query G($query: GraphEntityQueryInput) { graphSearch(query: $query, projectId: "*") { nodes { entities { id } } } }';
    expect(cache.compiled(recursive, parse(recursive), "G")).toBeUndefined();
  });
});
