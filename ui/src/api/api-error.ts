/** The body every refused API request carries (src/server/api/api-router.ts apiErrorSchema). */
export interface ApiErrorBody {
  error: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
  fix?: string;
}

/** A refused or failed API call: the status and the server's own explanation, so pages can show what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = "ApiError";
  }
}

/** The server's error body when the answer is one, else a body describing the raw answer. */
export function errorBodyOf(status: number, parsed: unknown, statusText: string): ApiErrorBody {
  if (parsed && typeof parsed === "object" && typeof (parsed as { message?: unknown }).message === "string") {
    const body = parsed as Partial<ApiErrorBody> & { message: string };
    return { error: typeof body.error === "string" ? body.error : `http_${status}`, message: body.message, ...(Array.isArray(body.issues) ? { issues: body.issues } : {}), ...(typeof body.fix === "string" ? { fix: body.fix } : {}) };
  }
  if (status === 404) return { error: "not_found", message: `The server has no such route (${statusText}); this wizbridge may be older than the console.`, fix: "Update wizbridge, or use the CLI for this step." };
  return { error: `http_${status}`, message: `The server answered ${status} ${statusText}.` };
}
