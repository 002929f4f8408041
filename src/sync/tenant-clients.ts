import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { WizClientCore } from "../wiz/index.js";
import type { ConnectorConfig } from "./sync-config.js";

/**
 * One SDK client per Wiz tenant (endpoint + service account): connectors and slices of one tenant share
 * its rate limiter and token cache, so throttling slows the whole tenant down, not one slice.
 */
export class TenantClients {
  private readonly clients = new Map<string, WizClientCore>();

  constructor(private readonly logger: Logger) {}

  clientFor(connector: ConnectorConfig): WizClientCore {
    const key = tenantKeyOf(connector);
    let client = this.clients.get(key);
    if (!client) {
      client = new WizClientCore({ settings: connector.connection, rateLimit: connector.rateLimit, logger: this.logger });
      this.clients.set(key, client);
    } else if (client.rateLimiter.options.requestsPerSecond !== connector.rateLimit.requestsPerSecond) {
      this.logger.warn({ connector: connector.id }, "another connector of the same tenant set a different rate limit; the tenant's first one applies to both");
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}

/** Endpoint, token URL, client id and a digest of the secret: a connector given a new secret gets a new client (and token). */
export function tenantKeyOf(connector: ConnectorConfig): string {
  const { endpoint, tokenUrl, clientId, clientSecret } = connector.connection;
  return `${endpoint}|${tokenUrl}|${clientId}|${createHash("sha256").update(clientSecret).digest("hex").slice(0, 16)}`;
}
