import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { takesRecursiveInput } from "./document-cache.js";
import { buildWizSchema } from "./schema.js";

describe("which documents graphql-jit may compile", () => {
  const schema = buildWizSchema();

  it("not those whose variables have a recursive input type (graphql-jit never finished compiling them)", () => {
    expect(takesRecursiveInput(schema, parse("query Q($first: Int, $filterBy: IssueFilters) { issuesV2(first: $first, filterBy: $filterBy) { nodes { id } } }"))).toBe(false);
    // GraphEntityQueryInput -> relationships -> with -> GraphEntityQueryInput.
    expect(takesRecursiveInput(schema, parse('query G($query: GraphEntityQueryInput) { graphSearch(query: $query, projectId: "*") { nodes { entities { id } } } }'))).toBe(true);
    // Inline arguments are coerced by graphql-js during validation, not by compiled code.
    expect(takesRecursiveInput(schema, parse('query G { graphSearch(query: {type: [POD]}, projectId: "*") { nodes { entities { id } } } }'))).toBe(false);
  });
});
