import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApiRole } from "../../store/api-token.repository.js";
import type { ApiAuth, ApiPrincipal } from "../auth/api-auth.js";
import type { OpenApiRegistry } from "./openapi-registry.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One documented answer of a route: its description and, when it has a JSON body, that body's schema. */
export interface ApiResponseSpec {
  description: string;
  schema?: z.ZodType;
}

/** What a handler receives: the validated params, query and body, and who called. */
export interface ApiCall<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: ApiPrincipal | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * A route of the HTTP API, defined once: its role, its zod schemas and its handler. The router validates with
 * the schemas (a 400 names the field), and the same schemas become the route's part of /api/openapi.json, so the
 * document cannot drift from what the server accepts.
 */
export interface ApiRouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  /** Fastify path, e.g. `/api/connectors/:id`. */
  url: string;
  /** The least role that may call it; "none" only for routes that say nothing about data. */
  role: ApiRole | "none";
  /** Groups the route in the document (Connectors, Sinks, Maps, Runtime, Operations...). */
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Documented answers besides the 400/401/403 every validated, authenticated route gives. */
  responses: Record<number, ApiResponseSpec>;
  handler(call: ApiCall<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** The answer body of every refused request: a machine code, a sentence saying what to do, and per-field detail. */
export const apiErrorSchema = z.object({
  error: z.string().describe("machine-readable code: bad_request, unauthorized, forbidden, not_found, conflict..."),
  message: z.string().describe("what is wrong and what to do"),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  fix: z.string().optional(),
});

export type ApiError = z.infer<typeof apiErrorSchema>;

/** 400 with the first problem's path named (`body.streams.0: must be a stream name...`), as the config file's errors do. */
export function badRequest(error: z.ZodError, where: "body" | "query" | "params"): ApiError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  return { error: "bad_request", message: `${issues[0]?.path ?? where}: ${issues[0]?.message ?? "invalid"}`, issues };
}

/** Thrown by a handler to answer with a status and an error body (404 unknown id, 409 conflict...). */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}

/** 404 for an id that does not exist, listing what does when the list is short. */
export function notFound(kind: string, id: string, known?: readonly string[]): ApiProblem {
  const listed = known && known.length > 0 ? ` Known: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", ..." : ""}.` : "";
  return new ApiProblem(404, { error: "not_found", message: `No ${kind} "${id}".${listed}` });
}

/**
 * Registers API routes on a Fastify instance: authentication in `onRequest` (before the body is read, so an
 * unauthenticated client cannot make the server take a large body), zod validation of params, query and body,
 * and the route's entry in the OpenAPI document.
 */
export class ApiRouter {
  constructor(
    private readonly app: FastifyInstance,
    private readonly auth: ApiAuth | undefined,
    private readonly openapi: OpenApiRegistry | undefined,
  ) {}

  route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(spec: ApiRouteSpec<P, Q, B>): void {
    this.openapi?.add(spec as unknown as ApiRouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    const onRequest = spec.role !== "none" && this.auth ? [this.auth.require(spec.role)] : [];
    this.app.route({
      method: spec.method,
      url: spec.url,
      onRequest,
      handler: async (request, reply) => {
        const parts = { params: spec.params, query: spec.query, body: spec.body } as const;
        const values: Record<"params" | "query" | "body", unknown> = { params: undefined, query: undefined, body: undefined };
        for (const where of ["params", "query", "body"] as const) {
          const schema = parts[where];
          if (!schema) continue;
          const raw = where === "body" ? (request.body ?? {}) : request[where];
          const parsed = schema.safeParse(raw);
          if (!parsed.success) return reply.code(400).send(badRequest(parsed.error, where));
          values[where] = parsed.data;
        }
        try {
          const result = await spec.handler({ params: values.params, query: values.query, body: values.body, principal: request.principal, request, reply } as ApiCall<z.output<P>, z.output<Q>, z.output<B>>);
          if (reply.sent) return reply;
          return result;
        } catch (error) {
          if (error instanceof ApiProblem) return reply.code(error.statusCode).send(error.body);
          throw error;
        }
      },
    });
  }
}
