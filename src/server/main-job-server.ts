import { access, constants } from "node:fs/promises";
import { dirname } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { ApiTokenRepository } from "../store/api-token.repository.js";
import { API_PLUGINS } from "./api/api-plugins.js";
import type { ApiContext } from "./api/api-context.js";
import { OpenApiRegistry } from "./api/openapi-registry.js";
import { ApiAuth } from "./auth/api-auth.js";
import type { Logger } from "pino";
import { portalOriginOf } from "../model/portal-links.js";
import type { SyncConfig, WebhookAuth } from "../sync/sync-config.js";
import type { SyncSession } from "../sync/sync-session.js";
import { WizWebhookIntake } from "../sync/wiz-webhook-intake.js";
import { outputProfileFromStore } from "../sync/connector-output-profile.js";
import type { OutputProfile } from "../transform/output-profile.js";
import { engineMetrics } from "./engine-metrics.js";
import { registerIngestRoutes } from "../runtime/intake/ingest.routes.js";
import { RuntimeIntake } from "../runtime/intake/runtime-intake.service.js";
import { deliveryConfigFromRuntimeConfig, startRuntimePipeline, type RuntimePipeline } from "../runtime/runtime-pipeline.js";
import { ConnectorWizClients } from "./connector-wiz-clients.js";
import { loadManagedCatalog, masterKeyForStore, type ManagedCatalog } from "../sync/managed-catalog.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import type { SecretBox } from "../store/secret-box.js";
import { startHttpServer, type HttpServer } from "./http-server.js";
import { registerWizWebhookRoutes } from "./wiz-webhook.routes.js";
import { registerConsoleRoutes } from "./console.routes.js";
import { RUNTIME_ALERT_PATH } from "../runtime/runtime-alert.routes.js";

export interface MainJobServer {
  http: HttpServer;
  webhooks: WizWebhookIntake;
  /** The push path's intake and delivery worker, when the config has a runtime section. */
  runtime?: { intake: RuntimeIntake; pipeline: RuntimePipeline; connector: string };
  /** The API routes registered, with their roles (the OpenAPI document's source; tests walk every route). */
  openapi: OpenApiRegistry;
  /** The connectors and sinks (config-file ones read-only, API-managed ones stored with sealed secrets). */
  catalog: ManagedCatalog;
  /** Where Wiz automation rules post for a connector, or undefined when it takes no webhooks. */
  webhookUrl(connectorId: string): string | undefined;
  close(): Promise<void>;
}

export interface MainJobServerOptions {
  config: SyncConfig;
  session: SyncSession;
  logger: Logger;
  host: string;
  port: number;
  now?: () => number;
  /** Where the master key comes from (WIZBRIDGE_MASTER_KEY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The master key sealing API-entered secrets; default: from env or `master.key` beside the store. */
  masterKey?: SecretBox;
  /** More route plugins (runtime intake, API). */
  plugins?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
}

/** Ready when the store answers and takes a write (a full disk or a read-only volume is not ready). */
async function storeReadiness(session: SyncSession): Promise<string | undefined> {
  try {
    await sql`select 1`.execute(session.store.db);
    if (session.store.path !== ":memory:") await access(dirname(session.store.path), constants.W_OK);
    return undefined;
  } catch (error) {
    return `the store is not usable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The main job's HTTP side: Wiz webhooks into the connectors' outboxes, the API, /metrics, /healthz, /readyz. */
export async function startMainJobServer(options: MainJobServerOptions): Promise<MainJobServer> {
  const { config, session, logger } = options;
  // Connectors are registered (and states visible in /metrics) before the first request is served.
  await session.engine.prepare();
  // Connectors and sinks created through the API come back (secrets opened) before the scheduler starts.
  const catalog = await loadManagedCatalog({
    engine: session.engine,
    store: session.store,
    masterKey: options.masterKey ?? masterKeyForStore(session.store.path, options.env ?? process.env),
    validator: new WizFilterValidator(loadWizSchema()),
    dataDir: config.dataDir,
    logger,
    now: options.now ?? Date.now,
    onConnectorChange: (id) => refreshConnector(id),
  });
  // Looked up per request: connectors come and go through the API.
  const byId = { get: (id: string) => session.engine.connector(id), has: (id: string) => session.engine.connector(id) !== undefined };
  const profiles = new Map<string, Promise<OutputProfile>>();
  const webhooks = new WizWebhookIntake({
    db: session.store.db,
    now: options.now ?? Date.now,
    logger,
    portalOriginOf: (id) => portalOriginOf(byId.get(id)?.connection.endpoint ?? ""),
    onCommit: (id) => session.engine.notifyCommitted(id),
    outputProfileOf: (id) => {
      const output = byId.get(id)?.output;
      if (!output) return Promise.resolve(undefined);
      let profile = profiles.get(id);
      if (!profile) {
        profile = outputProfileFromStore(output, session.store.db);
        profiles.set(id, profile);
      }
      return profile;
    },
  });
  const apiAuth = new ApiAuth({ tokens: new ApiTokenRepository(session.store.db), now: options.now ?? Date.now });
  const wizClients = new ConnectorWizClients(session, logger);
  const api: ApiContext = { session, auth: apiAuth, openapi: new OpenApiRegistry(), logger, now: options.now ?? Date.now, wiz: wizClients, catalog };
  const auth = new Map<string, WebhookAuth>(session.engine.config.connectors.flatMap((c) => (c.webhook && c.enabled ? [[c.id, c.webhook.auth] as const] : [])));
  function refreshConnector(id: string): void {
    profiles.delete(id);
    const connector = session.engine.connector(id);
    if (connector?.webhook && connector.enabled) auth.set(id, connector.webhook.auth);
    else auth.delete(id);
  }
  let push: { intake: RuntimeIntake; connector: string; startPipeline: (httpUrl: string) => RuntimePipeline } | undefined;
  const plugins = [...(options.plugins ?? [])];
  if (config.runtime) {
    const { connector, config: runtimeConfig } = config.runtime;
    const intake = new RuntimeIntake({ alerts: session.store.runtimeAlerts });
    if (!byId.has(connector)) throw new Error(`runtime.connector names "${connector}", which is not a connector of this config.`);
    // The tenant's one client (rate limiter, token cache), shared with the pull and the operations API.
    const wiz = wizClients.client(connector);
    // Events and notes link back to this server's alert route unless the config names another address.
    const startPipeline = (httpUrl: string): RuntimePipeline =>
      startRuntimePipeline({
        store: session.store,
        wiz,
        config: deliveryConfigFromRuntimeConfig(runtimeConfig, runtimeConfig.alertLinkBase ? {} : { alertLinkBase: `${httpUrl}${RUNTIME_ALERT_PATH}` }),
        logger: logger.child({ component: "runtime" }),
      });
    plugins.push((app) => registerIngestRoutes(app, { intake, config: runtimeConfig }));
    push = { intake, connector, startPipeline };
  }
  const http = await startHttpServer({
    host: options.host,
    port: options.port,
    logger,
    auth: apiAuth,
    metricsPublic: config.server?.metricsPublic ?? false,
    ...(config.server?.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: config.server.requestTimeoutMs }),
    readiness: () => storeReadiness(session),
    metrics: () => engineMetrics(session.engine, session.store.db, webhooks),
    plugins: [(app) => registerWizWebhookRoutes(app, { intake: webhooks, connectors: auth }), ...API_PLUGINS.map((plugin) => (app: FastifyInstance) => plugin(app, api)), (app) => registerConsoleRoutes(app), ...plugins],
  });
  const runtime: MainJobServer["runtime"] = push ? { intake: push.intake, connector: push.connector, pipeline: push.startPipeline(http.url) } : undefined;
  return {
    http,
    webhooks,
    openapi: api.openapi,
    catalog,
    ...(runtime ? { runtime } : {}),
    webhookUrl: (id) => (auth.has(id) ? `${http.url}/webhooks/wiz/${encodeURIComponent(id)}` : undefined),
    close: async () => {
      // Stop taking requests, write what intake queued, then let the delivery worker finish its step.
      await http.close();
      await runtime?.intake.close();
      await runtime?.pipeline.stop();
      await wizClients.close();
    },
  };
}
