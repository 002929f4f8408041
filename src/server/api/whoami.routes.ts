import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ApiContext } from "./api-context.js";
import { ApiRouter } from "./api-router.js";

/** GET /api/whoami: the token's name and role, so the console can check a pasted token and show what it may do. */
export async function registerWhoamiRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  new ApiRouter(app, ctx.auth, ctx.openapi).route({
    method: "GET",
    url: "/api/whoami",
    role: "viewer",
    tag: "Meta",
    summary: "Who the token is: its name and role",
    responses: { 200: { description: "the token's name and role", schema: z.object({ name: z.string(), role: z.enum(["viewer", "operator", "admin"]) }) } },
    handler: async ({ principal }) => ({ name: principal?.name ?? "", role: principal?.role ?? "viewer" }),
  });
}
