import { ConnectorRepository } from "../store/connector.repository.js";
import { purgeConnectorData, type ConnectorPurgeCounts } from "../store/connector-purge.js";
import { ManagedConnectorRepository } from "../store/managed-connector.repository.js";
import { credentialsOf, objectBody, type CatalogDeps } from "./catalog-deps.js";
import { CatalogError, failureOf } from "./catalog-error.js";
import { buildConnectorConfig } from "./config-loader.js";
import { connectorOwner, deleteOwnerSecrets, readOwnerSecrets, writeOwnerSecrets } from "./owner-secrets.js";
import { CONNECTOR_SECRET_PATHS, keepOmittedSecrets, maskSecrets, splitSecrets, withSecrets } from "./secret-fields.js";
import type { ConnectorConfig } from "./sync-config.js";

/** Where to revoke what a disconnect leaves at Wiz: wizbridge forgets the secret, Wiz still honours it. */
export const REVOKE_IN_WIZ =
  "wizbridge no longer holds this service account's secret, but Wiz still accepts it: revoke it in the Wiz portal under Settings > Service Accounts (find the account by its Client ID and delete it, or rotate its secret).";

/** What DELETE /api/connectors/:id answers. */
export interface DisconnectResult {
  disconnected: string;
  clientId: string | null;
  credentialsDeleted: number;
  removed: ConnectorPurgeCounts;
  revoke: string;
}

/**
 * The connectors: the config file's (read-only) and those created through the API, stored in the store
 * without their secrets (sealed in the credential store), validated with the config file's own schema and
 * run by the engine like config ones. `load()` brings the stored ones back at start; one whose secret does
 * not open (another master key) is shown Failed with the fix, and the others run.
 */
export class ConnectorCatalog {
  private readonly repo: ManagedConnectorRepository;
  private readonly configIds: ReadonlySet<string>;
  /** Stored connectors that did not start, with why. */
  private readonly failed = new Map<string, { message: string; fix?: string }>();

  constructor(private readonly deps: CatalogDeps) {
    this.repo = new ManagedConnectorRepository(deps.db);
    this.configIds = new Set(deps.engine.config.connectors.map((c) => c.id));
  }

  /** Starts the stored connectors (call after the sinks' load and before runScheduled). */
  async load(): Promise<void> {
    for (const entry of await this.repo.list()) {
      try {
        if (this.configIds.has(entry.id)) throw new CatalogError("conflict", `the config file defines a connector "${entry.id}" too; the config file's wins`, { fix: `disconnect the stored one (DELETE /api/connectors/${entry.id}) or rename the config file's connector.` });
        const secrets = await readOwnerSecrets(credentialsOf(this.deps), connectorOwner(entry.id));
        await this.deps.engine.addConnector(this.validate(withSecrets(entry.definition, secrets)));
      } catch (error) {
        const failure = failureOf(error);
        this.failed.set(entry.id, failure);
        if (!this.configIds.has(entry.id)) await this.markFailed(entry.id, entry.definition, failure);
        this.deps.logger.error({ connector: entry.id, fix: failure.fix }, `the stored connector ${entry.id} did not start: ${failure.message}`);
      }
    }
  }

  sourceOf(id: string): "config" | "api" | undefined {
    if (this.configIds.has(id)) return "config";
    return this.deps.engine.connector(id) || this.failed.has(id) ? "api" : undefined;
  }

  /** Every connector id, config ones first. */
  ids(): string[] {
    return [...new Set([...this.deps.engine.config.connectors.map((c) => c.id), ...this.failed.keys()])];
  }

  /** Why a stored connector is not running, when it is not. */
  failure(id: string): { message: string; fix?: string } | undefined {
    return this.failed.get(id);
  }

  /** The running settings of a connector, or a not_found / unavailable error. */
  running(id: string): ConnectorConfig {
    const connector = this.deps.engine.connector(id);
    if (connector) return connector;
    const failure = this.failed.get(id);
    if (failure) throw new CatalogError("unavailable", `Connector "${id}" is not running: ${failure.message}`, failure.fix ? { fix: failure.fix } : {});
    throw this.notFound(id);
  }

  /** An API connector's entry as stored, secrets shown as `{set: true}` / `{set: false}` (config ones: undefined). */
  async definition(id: string): Promise<Record<string, unknown> | undefined> {
    if (this.sourceOf(id) !== "api") return undefined;
    const stored = await this.repo.get(id);
    if (!stored) return undefined;
    const fields = this.deps.credentials ? await this.deps.credentials.fields(connectorOwner(id)) : [];
    const masked = maskSecrets(withSecrets(stored.definition, new Map(fields.map((f) => [f, ""]))), CONNECTOR_SECRET_PATHS);
    const connection = masked.connection;
    if (typeof connection === "object" && connection !== null && !("clientSecret" in connection)) (connection as Record<string, unknown>).clientSecret = { set: false };
    return masked;
  }

  /** POST /api/connectors: a connector entry as in the config file; started unless `enabled: false`. */
  async create(body: unknown): Promise<ConnectorConfig> {
    return this.deps.queue.run(async () => {
      const input = objectBody(body);
      const id = typeof input.id === "string" ? input.id : undefined;
      if (id !== undefined && this.sourceOf(id)) {
        throw new CatalogError("conflict", `A connector "${id}" exists already (${this.sourceOf(id) === "config" ? "in the config file" : "created through the API"}); pick another id, or PUT /api/connectors/${id} to change it.`);
      }
      const connector = this.validate(input);
      const credentials = credentialsOf(this.deps);
      const { rest, secrets } = splitSecrets(input, CONNECTOR_SECRET_PATHS);
      const now = this.deps.now();
      await writeOwnerSecrets(credentials, connectorOwner(connector.id), secrets, now);
      await this.repo.save(connector.id, rest, now);
      try {
        await this.deps.engine.addConnector(connector);
      } catch (error) {
        // Nothing half-created stays behind.
        await this.repo.delete(connector.id);
        await deleteOwnerSecrets(this.deps.db, connectorOwner(connector.id));
        throw error;
      }
      this.deps.onConnectorChange?.(connector.id);
      return connector;
    });
  }

  /** PUT /api/connectors/:id: full replace of an API connector; a secret left out (or sent back as `{set: true}`) is kept. */
  async replace(id: string, body: unknown): Promise<ConnectorConfig> {
    return this.deps.queue.run(async () => {
      this.writable(id);
      const input = objectBody(body);
      if (input.id !== undefined && input.id !== id) throw new CatalogError("invalid", `id: is "${String(input.id)}" but the URL names "${id}"; a connector cannot be renamed (create a new one).`, { problems: [{ path: "id", message: `must be "${id}" (or left out)` }] });
      const credentials = credentialsOf(this.deps);
      const stored = await this.repo.get(id);
      // A secret that no longer opens (another master key) is simply not kept: the body must give it again.
      const storedSecrets = await readOwnerSecrets(credentials, connectorOwner(id)).catch(() => new Map<string, string>());
      const merged = keepOmittedSecrets({ ...input, id }, CONNECTOR_SECRET_PATHS, { definition: stored?.definition ?? {}, secrets: storedSecrets });
      const connector = this.validate(merged);
      const { rest, secrets } = splitSecrets(merged, CONNECTOR_SECRET_PATHS);
      if (this.deps.engine.connector(id)) await this.deps.engine.replaceConnector(connector);
      else await this.deps.engine.addConnector(connector);
      this.failed.delete(id);
      const now = this.deps.now();
      await writeOwnerSecrets(credentials, connectorOwner(id), secrets, now);
      await this.repo.save(id, rest, now);
      this.deps.onConnectorChange?.(id);
      return connector;
    });
  }

  /** POST /api/connectors/:id/enable | disable: API connectors only (config ones: edit the file). */
  async setEnabled(id: string, enabled: boolean): Promise<ConnectorConfig> {
    return this.deps.queue.run(async () => {
      this.writable(id);
      const running = this.running(id);
      const stored = await this.repo.get(id);
      await this.deps.engine.setEnabled(id, enabled);
      if (stored) await this.repo.save(id, { ...stored.definition, enabled }, this.deps.now());
      this.deps.onConnectorChange?.(id);
      return { ...running, enabled };
    });
  }

  /**
   * DELETE /api/connectors/:id (disconnect): stops it after the run in progress, deletes its stored
   * credentials, its cursors, outbox and history, and the connector; says how to revoke the account in Wiz.
   */
  async disconnect(id: string): Promise<DisconnectResult> {
    return this.deps.queue.run(async () => {
      this.writable(id);
      const stored = await this.repo.get(id);
      const connection = stored?.definition.connection;
      const clientId = typeof connection === "object" && connection !== null && typeof (connection as Record<string, unknown>).clientId === "string" ? String((connection as Record<string, unknown>).clientId) : null;
      const removed = this.deps.engine.connector(id) ? await this.deps.engine.removeConnector(id, { purge: true }) : await purgeConnectorData(this.deps.db, id);
      const credentialsDeleted = await deleteOwnerSecrets(this.deps.db, connectorOwner(id));
      await this.repo.delete(id);
      this.failed.delete(id);
      this.deps.onConnectorChange?.(id);
      return { disconnected: id, clientId, credentialsDeleted, removed: removed ?? { cursors: 0, outbox: 0, deadLetters: 0, runs: 0 }, revoke: clientId ? REVOKE_IN_WIZ.replace("by its Client ID", `by its Client ID ${clientId}`) : REVOKE_IN_WIZ };
    });
  }

  /** Validates an entry with the config file's connector schema against the sinks that exist now. */
  validate(input: Record<string, unknown>): ConnectorConfig {
    const built = buildConnectorConfig(input, { validator: this.deps.validator, sinkIds: Object.keys(this.deps.engine.config.sinks) });
    if ("problems" in built) throw new CatalogError("invalid", `${built.problems[0]?.path || "(connector)"}: ${built.problems[0]?.message ?? "invalid"}`, { problems: built.problems });
    return built.connector;
  }

  private async markFailed(id: string, definition: Record<string, unknown>, failure: { message: string; fix?: string }): Promise<void> {
    const connection = definition.connection as Record<string, unknown> | undefined;
    const tenant = typeof connection?.endpoint === "string" ? connection.endpoint : typeof connection?.region === "string" ? `region ${connection.region}` : "(unknown)";
    const connectors = new ConnectorRepository(this.deps.db);
    const now = this.deps.now();
    await connectors.register(id, tenant, definition.enabled !== false, now);
    await connectors.setState(id, "failed", { detail: failure.message, errorCode: "NOT_STARTED", errorFix: failure.fix ?? null }, now);
  }

  private writable(id: string): void {
    const source = this.sourceOf(id);
    if (!source) throw this.notFound(id);
    if (source === "config") throw new CatalogError("read_only", `Connector "${id}" comes from the config file and is read-only here; edit the config file and restart wizbridge.`);
  }

  private notFound(id: string): CatalogError {
    return new CatalogError("not_found", `No connector "${id}".`, { missing: { kind: "connector", id, known: this.ids() } });
  }
}
