/**
 * Reading an error's cause chain (undici and Node wrap the socket's error in `cause`, and an AggregateError
 * holds several in `errors`), so a sink can name the root cause instead of "fetch failed".
 */

/** How many links of a cause chain are followed. */
const MAX_DEPTH = 5;

/** The `code`s along the cause chain (and inside `errors`), deepest first: the first one names the root cause. */
export function errorCodesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && current !== null && typeof current === "object"; depth += 1) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string") codes.push(record.code);
    if (Array.isArray(record.errors)) codes.push(...record.errors.flatMap((e) => errorCodesOf(e)));
    current = record.cause;
  }
  return codes.reverse();
}

/** The deepest non-empty message along the chain of `Error` causes, or the error as text when there is none. */
export function rootMessageOf(error: unknown): string {
  let current: unknown = error;
  let message = "";
  for (let depth = 0; depth < MAX_DEPTH && current instanceof Error; depth += 1) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message || String(error);
}
