import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { roleAllows } from "../../store/api-token.repository.js";
import { OPERATIONS } from "../../wiz/index.js";
import { executeOperationRequest, isMutatingRequest, parseOperationRequest, type OperationRequest } from "../../wiz/operations/operation-request.js";
import { operationId } from "../../wiz/operations/operation-definition.js";
import { UnknownConnectorError } from "../connector-wiz-clients.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter, notFound } from "./api-router.js";
import { answeringWizErrors } from "./wiz-error-problem.js";

/** `?connector=`: which connector's tenant runs the operation (default: the runtime section's, else the first). */
/** The connector a request names with ?connector= (default: the runtime connector, else the first), or 404 listing them. */
export function requestedConnector(ctx: ApiContext, requested: string | undefined): string {
  try {
    return ctx.wiz.connectorId(requested);
  } catch (error) {
    if (error instanceof UnknownConnectorError) throw notFound("connector", error.connectorId, error.known);
    throw error;
  }
}

export const connectorQuery = z.strictObject({ connector: z.string().min(1).optional().describe("connector whose Wiz tenant runs it; default: the runtime connector, else the first") });

const operationSchema = z.object({
  resource: z.string(),
  operation: z.string(),
  description: z.string(),
  mutating: z.boolean(),
  scopes: z.array(z.string()),
  pageCap: z.number().optional(),
  parameters: z.record(z.string(), z.unknown()).describe("JSON Schema of `parameters`"),
});
const envelopeSchema = z.strictObject({
  integration_service: z.literal("wiz").optional().describe("accepted for envelopes shared with other tools; only wiz"),
  resource: z.string().min(1).describe("e.g. issue, cloudResource, vulnerabilityFinding (GET /api/operations lists them)"),
  operation: z.string().min(1).describe("e.g. list, get, update"),
  parameters: z.record(z.string(), z.unknown()).optional().describe("the operation's GraphQL variables by name; default {}"),
});

/** The JSON Schema of what a caller sends as `parameters` (zod's input side: before defaults). */
function parametersSchema(input: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" });
  return schema;
}

/**
 * The Wiz operation registry over HTTP: GET lists every operation with its parameters' JSON Schema, POST runs
 * one request envelope (`{resource, operation, parameters}`, as OPERATIONS.md and `wizbridge run` take it) on
 * a connector's tenant. Reading operations need a viewer token; operations that change data in Wiz need admin.
 */
export async function registerOperationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);
  const registry = OPERATIONS.map((op) => ({
    resource: op.resource,
    operation: op.name,
    description: op.description.trim(),
    mutating: op.mutating,
    scopes: [...op.scopes],
    ...(op.paginated ? { pageCap: op.paginated.pageCap } : {}),
    parameters: parametersSchema(op.input),
  }));

  router.route({
    method: "GET",
    url: "/api/operations",
    role: "viewer",
    tag: "Operations",
    summary: "Every Wiz operation: resource, operation, description, whether it changes data, scopes, parameters' JSON Schema",
    responses: { 200: { description: "the operation registry", schema: z.object({ operations: z.array(operationSchema) }) } },
    handler: async () => ({ operations: registry }),
  });

  router.route({
    method: "POST",
    url: "/api/operations",
    role: "viewer",
    tag: "Operations",
    summary: "Run one Wiz operation from a request envelope {resource, operation, parameters}",
    description: "Read-only operations need a viewer token; operations that change data in Wiz (mutating: true in GET /api/operations) need an admin token. Lists answer one page; pass its endCursor as parameters.after for the next.",
    query: connectorQuery,
    body: envelopeSchema,
    responses: {
      200: { description: "the operation's result", schema: z.object({ connector: z.string(), operation: z.string(), result: z.unknown() }) },
      403: { description: "a mutating operation asked with a token below admin" },
      404: { description: "no such connector, or Wiz has no object with that id" },
      429: { description: "Wiz kept throttling after retries" },
      502: { description: "Wiz refused wizbridge's credentials or scopes, or could not be reached" },
    },
    handler: async ({ query, body, principal, reply }) => {
      const connector = requestedConnector(ctx, query.connector);
      const envelope: OperationRequest = await answeringWizErrors("body", async () => parseOperationRequest(body));
      const mutating = isMutatingRequest(envelope);
      const id = operationId({ resource: envelope.resource, name: envelope.operation });
      if (mutating && !(principal && roleAllows(principal.role, "admin"))) {
        throw new ApiProblem(403, {
          error: "forbidden",
          message: `${id} changes data in Wiz and needs the admin role; token "${principal?.name ?? "?"}" has ${principal?.role ?? "no role"}. Nothing was sent to Wiz.`,
          fix: "Use an admin token (`wizbridge token create --role admin`), or a read-only operation (GET /api/operations shows mutating: false).",
        });
      }
      // The client going away aborts the Wiz call; a mutation already sent is not retried by the SDK.
      const abort = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) abort.abort();
      };
      reply.raw.once("close", onClose);
      try {
        const result = await answeringWizErrors("body.parameters", () => executeOperationRequest(ctx.wiz.client(connector), envelope, { allowMutations: mutating, signal: abort.signal }));
        ctx.logger.info({ connector, operation: id, mutating, token: principal?.name }, "operation run through the API");
        return { connector, operation: id, result: result ?? null };
      } finally {
        reply.raw.off("close", onClose);
      }
    },
  });
}
