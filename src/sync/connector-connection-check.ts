import type { Logger } from "pino";
import { checkConnection, FEATURE_PROBES, type ConnectionCheckReport } from "../wiz/connection-check.js";
import type { ResolvedConnectionSettings } from "./sync-config.js";

/**
 * The five checks (network, TLS, authentication, authorization per stream scope, one record per stream)
 * for a connector's connection and streams, exactly as `wizbridge test-connection --config` runs them:
 * the streams that have a probe are checked; `unprobed` names the others. Paced at the connector's own
 * rate limit (0: unpaced), so a test never spends more of the tenant's budget than a run would.
 */
export async function checkConnectorConnection(
  connection: ResolvedConnectionSettings,
  options: { streams?: readonly string[]; requestsPerSecond?: number; logger?: Logger },
): Promise<ConnectionCheckReport & { unprobed: string[] }> {
  const probed = new Set(FEATURE_PROBES.map((p) => p.feature));
  const features = options.streams?.filter((s) => probed.has(s));
  const unprobed = options.streams?.filter((s) => !probed.has(s)) ?? [];
  const report = await checkConnection(connection, {
    ...(features && features.length > 0 ? { features } : {}),
    ...(options.requestsPerSecond !== undefined ? { requestsPerSecond: options.requestsPerSecond } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { ...report, unprobed };
}
