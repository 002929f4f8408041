import type { Logger } from "pino";
import type { SyncSession } from "../sync/sync-session.js";
import { WizClient, WizClientCore } from "../wiz/index.js";

/** A connector id the running job does not have; the message lists the ones it has. */
export class UnknownConnectorError extends Error {
  constructor(
    readonly connectorId: string,
    readonly known: readonly string[],
  ) {
    super(`No connector "${connectorId}". Known: ${known.join(", ") || "none"}.`);
    this.name = "UnknownConnectorError";
  }
}

/**
 * The SDK client of each connector's tenant, for the operations API, MCP over HTTP and the runtime uploads:
 * built on the engine's client of that tenant (one token cache and rate budget with the pull), so an
 * operation never gets a second budget against the same tenant. Built once by the main job.
 */
export class ConnectorWizClients {
  /** Per connector: the client and what it was built from (the engine's core, or the settings), to notice a replaced connector. */
  private readonly clients = new Map<string, { source: object; client: WizClient }>();

  constructor(
    private readonly session: SyncSession,
    private readonly logger: Logger,
  ) {}

  /** The connector a request means: the one named, else the runtime section's, else the first one. */
  connectorId(requested?: string): string {
    const config = this.session.engine.config;
    const known = config.connectors.map((c) => c.id);
    const id = requested ?? config.runtime?.connector ?? known[0];
    if (id === undefined || !known.includes(id)) throw new UnknownConnectorError(id ?? "(none)", known);
    return id;
  }

  /** The client of a connector's tenant (rebuilt when the connector was replaced since). */
  client(connectorId: string): WizClient {
    const settings = this.session.engine.config.connectors.find((c) => c.id === connectorId);
    if (!settings) throw new UnknownConnectorError(connectorId, this.session.engine.config.connectors.map((c) => c.id));
    const core = this.session.engine.clientFor(connectorId);
    // The engine's client when it has one; an engine built on a fake (some tests) has not, so the settings make one.
    const source: object = core instanceof WizClientCore ? core : settings;
    const cached = this.clients.get(connectorId);
    if (cached?.source === source) return cached.client;
    if (cached) void cached.client.close().catch((error: unknown) => this.logger.warn({ connector: connectorId, error: String(error) }, "closing a replaced connector's client failed"));
    const client = core instanceof WizClientCore ? new WizClient(core) : new WizClient(settings.connection, { rateLimit: settings.rateLimit, logger: this.logger });
    this.clients.set(connectorId, { source, client });
    return client;
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.client.close()));
  }
}
