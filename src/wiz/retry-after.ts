/**
 * Reads a Retry-After value: delta-seconds ("2") or an HTTP date (RFC 9110 section 10.2.3).
 * Returns milliseconds from `now`, or undefined when absent or unreadable (the caller then backs off on its own).
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Wiz's `extensions.retryAfter` in a RATE_LIMIT_EXCEEDED error: seconds, as a number or a numeric string. */
export function retryAfterFromExtension(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  return undefined;
}
