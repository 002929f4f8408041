import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { roleAllows } from "../../store/api-token.repository.js";
import { packageVersion } from "../../version.js";
import { OPERATIONS } from "../../wiz/index.js";
import { createMcpServer } from "../mcp/mcp-server.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter } from "./api-router.js";
import { connectorQuery, requestedConnector } from "./operations.routes.js";

/** One JSON-RPC 2.0 message (MCP 2025-06-18 has no batches); the MCP SDK checks the rest. */
const jsonRpcMessageSchema = z
  .looseObject({
    jsonrpc: z.literal("2.0").describe('always "2.0"'),
    id: z.union([z.string(), z.number()]).optional(),
    method: z.string().min(1).optional().describe("initialize, tools/list, tools/call... (absent in responses)"),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .describe("a JSON-RPC 2.0 message of the MCP Streamable HTTP transport");

/**
 * MCP over Streamable HTTP at /mcp on the main job's server: the same tools as `wizbridge mcp`, one per
 * registry operation, on a connector's tenant (`?connector=`). Stateless: every POST gets its own server and
 * transport, so there is no session to keep or to hijack; the bearer token is checked on every request, and
 * the mutating tools are offered only to admin tokens. GET (a server-initiated stream) and DELETE (ending a
 * session) answer 405, as the transport specification allows for a server without sessions.
 */
export async function registerMcpHttpRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);
  const logger = ctx.logger.child({ component: "mcp-http" });

  router.route({
    method: "POST",
    url: "/mcp",
    role: "viewer",
    tag: "Operations",
    summary: "MCP Streamable HTTP endpoint: the Wiz operations as MCP tools (mutating tools for admin tokens only)",
    description: "Point an MCP client at <server>/mcp with `Authorization: Bearer <token>`. Answers are JSON (no SSE stream); there are no sessions.",
    query: connectorQuery,
    body: jsonRpcMessageSchema,
    responses: { 200: { description: "the JSON-RPC answer" }, 202: { description: "a notification or response was accepted" }, 404: { description: "no such connector" } },
    handler: async ({ query, principal, request, reply }) => {
      const connector = requestedConnector(ctx, query.connector);
      const allowMutations = principal !== undefined && roleAllows(principal.role, "admin");
      const server = createMcpServer({
        operations: OPERATIONS,
        runner: ctx.wiz.client(connector),
        allowMutations,
        version: packageVersion(),
        logger: logger.child({ connector, token: principal?.name }),
        mutationsHint: "they are offered to admin tokens only; connect with an admin token (`wizbridge token create --role admin`)",
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      // The transport writes the answer itself; Fastify must not send one too.
      reply.hijack();
      reply.raw.once("close", () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        // The body Fastify parsed (the raw message, not zod's copy): the stream is already consumed.
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        logger.error({ error: error instanceof Error ? error.message : String(error) }, "mcp request failed");
        if (!reply.raw.headersSent) reply.raw.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error; the server log has the cause." }, id: null }));
      }
      return reply;
    },
  });

  for (const method of ["GET", "DELETE"] as const) {
    router.route({
      method,
      url: "/mcp",
      role: "viewer",
      tag: "Operations",
      summary: method === "GET" ? "MCP server-initiated stream: not offered (stateless server); 405" : "MCP session end: there are no sessions; 405",
      responses: { 405: { description: "this stateless MCP endpoint takes POST only" } },
      handler: async ({ reply }) => {
        void reply.header("allow", "POST");
        throw new ApiProblem(405, { error: "method_not_allowed", message: `${method} /mcp is not offered: this MCP endpoint is stateless (no sessions, no server-initiated stream). Send each JSON-RPC message as POST /mcp.` });
      },
    });
  }
}
