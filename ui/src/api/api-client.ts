import { ApiError, errorBodyOf } from "./api-error";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** The console's only way to the server: the control-plane API with the session's bearer token. */
export interface ApiClient {
  request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

export interface ApiClientOptions {
  token: string;
  /** Injected so component tests can answer from a real in-memory handler instead of the network. */
  fetch?: typeof fetch;
  /** Origin of the API; the console is served by the same server, so "" by default. */
  baseUrl?: string;
  /** Told when the server says the token is no longer valid (revoked), so the page can ask for a new one. */
  onUnauthorized?: () => void;
}

/** Builds a client that sends `Authorization: Bearer <token>` and turns refusals into ApiError with the server's message. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl ?? "";
  async function request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      throw new ApiError(0, { error: "network", message: `The wizbridge server did not answer (${error instanceof Error ? error.message : String(error)}).`, fix: "Check that `wizbridge start` is still running and reload the page." });
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      if (response.status === 401) options.onUnauthorized?.();
      throw new ApiError(response.status, errorBodyOf(response.status, parsed, response.statusText));
    }
    return parsed as T;
  }
  return {
    request,
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body ?? {}),
    put: (path, body) => request("PUT", path, body),
    delete: (path) => request("DELETE", path),
  };
}

/** `/api/connectors/${id}` with the id escaped: ids come from users. */
export function apiPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ""), "");
}
