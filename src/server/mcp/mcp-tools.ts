import { z } from "zod";
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { OperationDefinition } from "../../wiz/operations/operation-definition.js";

export type ToolInputSchema = { type: "object"; [key: string]: unknown };

/** An MCP tool derived from one registry operation. */
export interface OperationTool {
  name: string;
  description: string;
  inputSchema: ToolInputSchema;
  annotations: ToolAnnotations;
  operation: OperationDefinition;
  /** The operation's input is not an object, so the tool takes it under `input`. */
  wrapsInput: boolean;
}

/** `issue.list` -> `issue_list`: MCP tool names allow only [A-Za-z0-9_-]. */
export function toolName(operation: Pick<OperationDefinition, "resource" | "name">): string {
  return `${operation.resource}_${operation.name}`;
}

/** The tools to offer: read-only operations, plus the mutating ones when the server was started with them allowed. */
export function operationTools(operations: readonly OperationDefinition[], options: { allowMutations: boolean }): OperationTool[] {
  return operations.filter((op) => options.allowMutations || !op.mutating).map(operationTool);
}

export function operationTool(operation: OperationDefinition): OperationTool {
  const notes = [
    operation.mutating ? "Changes data in Wiz." : "Read-only.",
    operation.paginated ? `Returns one page (at most ${operation.paginated.pageCap} records); pass the previous page's endCursor as \`after\` for the next.` : undefined,
    operation.scopes.length > 0 ? `Needs the Wiz service-account scope ${operation.scopes.join(" or ")}.` : undefined,
  ].filter((note): note is string => note !== undefined);
  const { schema, wrapped } = inputJsonSchema(operation.input);
  return {
    name: toolName(operation),
    description: `${operation.description.trim()} ${notes.join(" ")}`,
    inputSchema: schema,
    annotations: {
      title: `${operation.resource} ${operation.name}`,
      readOnlyHint: !operation.mutating,
      destructiveHint: operation.mutating,
      idempotentHint: !operation.mutating,
      openWorldHint: true,
    },
    operation,
    wrapsInput: wrapped,
  };
}

/**
 * The JSON Schema of what a caller sends (zod's `input` side: before defaults and transforms). Types JSON
 * cannot express become "any value" rather than failing the whole listing; the zod parse still checks them.
 */
export function inputJsonSchema(input: z.ZodType): { schema: ToolInputSchema; wrapped: boolean } {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" });
  if (schema.type === "object") return { schema: { ...schema, type: "object" }, wrapped: false };
  // MCP requires an object schema at the top; a non-object input is offered under `input`.
  return { schema: { type: "object", properties: { input: schema }, required: ["input"], additionalProperties: false }, wrapped: true };
}
