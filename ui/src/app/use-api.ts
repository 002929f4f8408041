import { useMutation, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import type { ApiError } from "../api/api-error";
import type { HttpMethod } from "../api/api-client";
import { useSession } from "./session-context";

/** A GET of the API, cached by path; `refreshMs` keeps live pages (states, backlog, alerts) current. */
export function useApiQuery<T>(path: string | undefined, options: { refreshMs?: number } = {}): UseQueryResult<T, ApiError> {
  const { api } = useSession();
  return useQuery<T, ApiError>({
    queryKey: ["api", path],
    queryFn: () => api.get<T>(path ?? ""),
    enabled: path !== undefined,
    ...(options.refreshMs ? { refetchInterval: options.refreshMs } : {}),
  });
}

/**
 * A call that changes something (sync, test, save, delete). After it succeeds the cached GETs under the
 * given prefixes are fetched again, so the page shows the effect.
 */
export function useApiMutation<T, V = unknown>(method: HttpMethod, pathOf: (vars: V) => string, options: { bodyOf?: (vars: V) => unknown; invalidate?: string[] } = {}) {
  const { api } = useSession();
  const client = useQueryClient();
  return useMutation<T, ApiError, V>({
    mutationFn: (vars) => api.request<T>(method, pathOf(vars), options.bodyOf ? options.bodyOf(vars) : method === "POST" ? {} : undefined),
    onSuccess: async () => {
      await Promise.all(
        (options.invalidate ?? []).map((prefix) => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === "api" && typeof q.queryKey[1] === "string" && q.queryKey[1].startsWith(prefix) })),
      );
    },
  });
}
