import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { OperationDefinition } from "../../wiz/operations/operation-definition.js";
import { inputJsonSchema, operationTools, toolName } from "./mcp-tools.js";

const operation = (name: string, mutating: boolean, input: z.ZodType = z.strictObject({ id: z.string() })): OperationDefinition => ({
  resource: "issue",
  name,
  description: `Does ${name}.`,
  input,
  document: "query X { __typename }",
  mutating,
  scopes: mutating ? ["update:issues"] : ["read:issues"],
  variables: () => ({}),
  output: (data) => data,
});

describe("MCP tools from the registry", () => {
  const operations = [operation("get", false), operation("update", true), operation("createNote", true)];

  it("names tools <resource>_<operation> and offers only read-only ones unless mutations are allowed", () => {
    expect(operationTools(operations, { allowMutations: false }).map((t) => t.name)).toEqual(["issue_get"]);
    expect(operationTools(operations, { allowMutations: true }).map((t) => t.name)).toEqual(["issue_get", "issue_update", "issue_createNote"]);
    expect(toolName({ resource: "cloudResource", name: "listIDs" })).toBe("cloudResource_listIDs");
  });

  it("describes each tool from its definition, with read-only hints and the scope", () => {
    const [get, update] = operationTools(operations, { allowMutations: true });
    expect(get?.description).toBe("Does get. Read-only. Needs the Wiz service-account scope read:issues.");
    expect(get?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(update?.description).toMatch(/Changes data in Wiz/);
    expect(update?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it("gives the input side of the zod schema as JSON Schema, defaults included and transforms ignored", () => {
    const input = z.strictObject({ first: z.int().max(500).default(100), when: z.string().transform((s) => new Date(s)).optional(), at: z.date().optional() });
    const { schema, wrapped } = inputJsonSchema(input);
    expect(wrapped).toBe(false);
    expect(schema).toEqual({
      type: "object",
      properties: { first: { type: "integer", maximum: 500, default: 100, minimum: expect.any(Number) }, when: { type: "string" }, at: {} },
      additionalProperties: false,
    });
  });

  it("wraps a non-object input under `input`, since MCP tools take objects", () => {
    const { schema, wrapped } = inputJsonSchema(z.array(z.string()));
    expect(wrapped).toBe(true);
    expect(schema).toMatchObject({ type: "object", properties: { input: { type: "array" } }, required: ["input"] });
  });
});
