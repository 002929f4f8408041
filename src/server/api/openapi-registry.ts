import { z } from "zod";
import { apiErrorSchema, type ApiRouteSpec } from "./api-router.js";

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (the dialect OpenAPI 3.1 uses); `io` picks the request or the response side. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** `/api/connectors/:id` -> `/api/connectors/{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input");
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" ? true : required.has(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

const ROLE_TEXT: Record<string, string> = {
  none: "No token needed.",
  viewer: "Needs a token with the viewer role or higher.",
  operator: "Needs a token with the operator role or higher.",
  admin: "Needs a token with the admin role.",
};

/**
 * Collects the API routes as they are registered and renders the OpenAPI 3.1 document served at
 * /api/openapi.json. The schemas are the routes' own zod schemas, so the document is what the server validates.
 */
export class OpenApiRegistry {
  private readonly routes: Array<ApiRouteSpec<z.ZodType, z.ZodType, z.ZodType>> = [];

  add(spec: ApiRouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    this.routes.push(spec);
  }

  /** The routes registered so far, as `METHOD /path` with their role and whether they take a body (for 404 messages and tests). */
  list(): Array<{ method: string; url: string; role: string; tag: string; body: boolean }> {
    return this.routes.map((r) => ({ method: r.method, url: r.url, role: r.role, tag: r.tag, body: r.body !== undefined }));
  }

  document(info: { title: string; version: string; serverUrl?: string }): JsonSchema {
    const paths: Record<string, Record<string, JsonSchema>> = {};
    const error = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
    for (const route of this.routes) {
      const path = openApiPath(route.url);
      const responses: Record<string, JsonSchema> = {};
      for (const [status, answer] of Object.entries(route.responses)) {
        responses[status] = { description: answer.description, ...(answer.schema ? { content: { "application/json": { schema: jsonSchema(answer.schema, "output") } } } : {}) };
      }
      if (route.params || route.query || route.body) responses["400"] ??= { description: "The request is not valid; the message names the field.", content: error };
      if (route.role !== "none") {
        responses["401"] ??= { description: "No token, or a token that is not valid.", content: error };
        responses["403"] ??= { description: `The token's role is below ${route.role}.`, content: error };
        responses["429"] ??= { description: "Too many failed authentications from this address; Retry-After says when to try again.", content: error };
      }
      (paths[path] ??= {})[route.method.toLowerCase()] = {
        tags: [route.tag],
        summary: route.summary,
        description: [route.description, ROLE_TEXT[route.role]].filter(Boolean).join("\n\n"),
        operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
        parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
        ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
        responses,
        ...(route.role === "none" ? { security: [] } : {}),
      };
    }
    return {
      openapi: "3.1.0",
      info: { title: info.title, version: info.version, description: "The wizbridge control plane: connectors, sinks, transform maps, runtime alerts and Wiz operations. Every /api route needs `Authorization: Bearer <token>` (`wizbridge token create`)." },
      ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
      security: [{ bearer: [] }],
      tags: [...new Set(this.routes.map((r) => r.tag))].map((name) => ({ name })),
      paths,
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token from `wizbridge token create --role viewer|operator|admin` (the admin token is printed once at the first start)." } },
        schemas: { Error: jsonSchema(apiErrorSchema, "output") },
      },
    };
  }
}
