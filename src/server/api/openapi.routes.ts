import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { packageVersion } from "../../version.js";
import type { ApiContext } from "./api-context.js";
import { ApiRouter } from "./api-router.js";

/** GET /api/openapi.json: the OpenAPI 3.1 document of every API route, built from the routes' own zod schemas. */
export async function registerOpenApiRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  new ApiRouter(app, ctx.auth, ctx.openapi).route({
    method: "GET",
    url: "/api/openapi.json",
    role: "viewer",
    tag: "Meta",
    summary: "The OpenAPI 3.1 document of this API",
    responses: { 200: { description: "OpenAPI 3.1 document", schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ request }) => ctx.openapi.document({ title: "wizbridge API", version: packageVersion(), serverUrl: `${request.protocol}://${request.host}` }),
  });
}
