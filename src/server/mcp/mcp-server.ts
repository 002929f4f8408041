import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { WizError } from "../../wiz/index.js";
import type { OperationDefinition } from "../../wiz/operations/operation-definition.js";
import { parseOperationInput } from "../../wiz/operations/operation-input.js";
import { operationTools, toolName } from "./mcp-tools.js";

/** What the MCP server needs from the SDK: run one operation by resource and name. */
export interface OperationRunner {
  run(resource: string, name: string, input: unknown): Promise<unknown>;
}

export interface McpServerOptions {
  operations: readonly OperationDefinition[];
  runner: OperationRunner;
  /** Offer (and accept) mutating operations too. Default false: an assistant can only read. */
  allowMutations?: boolean;
  version: string;
  logger: Logger;
  /** How to get the mutating tools when they are not offered (default: the stdio server's --allow-mutations). */
  mutationsHint?: string;
}

/**
 * An MCP server with one tool per registry operation. The tool handlers are installed on the underlying
 * protocol server rather than through registerTool, so the input schema is exactly the registry's zod input
 * as JSON Schema and a refused input reads like the CLI's.
 */
export function createMcpServer(options: McpServerOptions): McpServer {
  const tools = operationTools(options.operations, { allowMutations: options.allowMutations ?? false });
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const mcp = new McpServer({ name: "wizbridge", version: options.version }, { capabilities: { tools: {} } });
  const logger = options.logger.child({ component: "mcp" });

  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations })),
  }));

  mcp.server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const name = request.params.name;
    const tool = byName.get(name);
    if (!tool) return toolError(unknownToolMessage(name, options.operations, options.mutationsHint));
    const args: unknown = tool.wrapsInput ? request.params.arguments?.input : (request.params.arguments ?? {});
    const started = performance.now();
    try {
      // Checked before the runner is called, so a refused input never costs a token request.
      parseOperationInput(tool.operation, args);
      // The raw arguments, not the parsed ones: the SDK parses again, and transforms must not run twice.
      const result = await options.runner.run(tool.operation.resource, tool.operation.name, args);
      logger.info({ tool: name, durationMs: Math.round(performance.now() - started) }, "mcp tool call answered");
      return { content: [{ type: "text", text: JSON.stringify(result ?? null, null, 2) }] };
    } catch (error) {
      logger.warn({ tool: name, error: error instanceof WizError ? error.toJSON() : String(error) }, "mcp tool call failed");
      return toolError(describeFailure(error));
    }
  });
  return mcp;
}

function describeFailure(error: unknown): string {
  if (error instanceof WizError) return `${error.name} (${error.code}): ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function unknownToolMessage(name: string, operations: readonly OperationDefinition[], mutationsHint = "start `wizbridge mcp --allow-mutations` to enable mutating tools"): string {
  const operation = operations.find((op) => toolName(op) === name);
  if (operation?.mutating) {
    return `The tool ${name} changes data in Wiz and this server does not offer it: ${mutationsHint}.`;
  }
  return `There is no tool ${name}; list the tools to see what this server offers.`;
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
