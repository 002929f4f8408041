import { isIP } from "node:net";

/**
 * `scheme://host[:port]` of a receiver URL: what logs, errors and describe() show. The path and query
 * are left out because many webhook URLs carry their token there (`/services/T0/B0/XXXX`, `?key=`).
 */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(unparseable URL)";
  }
}

/** True when the host is this machine (localhost, 127.0.0.0/8, ::1): plain http there crosses no network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}
