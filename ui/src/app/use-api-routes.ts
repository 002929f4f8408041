import { useQuery } from "@tanstack/react-query";
import type { ApiError } from "../api/api-error";
import { useSession } from "./session-context";

type OpenApiDocument = { paths?: Record<string, Record<string, unknown>> };

export interface ApiRoutes {
  /** False until the server's OpenAPI document arrived. */
  known: boolean;
  /** Whether this server has the route, e.g. `has("POST", "/api/connectors/{id}/test")`. */
  has(method: string, path: string): boolean;
}

/**
 * The routes this server has, from its own OpenAPI document (GET /api/openapi.json): the console offers an
 * action only when the server behind it can do it, so an older wizbridge shows fewer buttons instead of errors.
 */
export function useApiRoutes(): ApiRoutes {
  const { api } = useSession();
  const query = useQuery<OpenApiDocument, ApiError>({ queryKey: ["openapi"], queryFn: () => api.get<OpenApiDocument>("/api/openapi.json"), staleTime: Number.POSITIVE_INFINITY });
  const paths = query.data?.paths ?? {};
  return { known: query.data !== undefined, has: (method, path) => paths[path]?.[method.toLowerCase()] !== undefined };
}
