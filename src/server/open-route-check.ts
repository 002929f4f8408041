import { isIP } from "node:net";
import type { SyncConfig } from "../sync/sync-config.js";

/** Whether a bind address only takes connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

/**
 * Routes that would answer without credentials, each with the key that closes it: refused when the server
 * listens beyond loopback, where anyone on the network could post alerts or read metrics.
 */
export function openRoutesProblem(config: SyncConfig, host: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const open: string[] = [];
  if (config.server?.metricsPublic) open.push("/metrics is public (server.metricsPublic: true; set it to false, or keep the server on 127.0.0.1)");
  for (const [name, source] of Object.entries(config.runtime?.config.sources ?? {})) {
    if (source && source.enabled !== false && source.auth.type === "none") open.push(`/ingest/${name} takes alerts without credentials (runtime.sources.${name}.auth: use bearer or hmac)`);
  }
  if (open.length === 0) return undefined;
  return `the HTTP server would listen on ${host}, beyond this machine, with routes that need no credentials: ${open.join("; ")}. Change those keys, or bind 127.0.0.1 (server.host or --http-host) behind an authenticating proxy.`;
}
