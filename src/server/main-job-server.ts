import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { portalOriginOf } from "../model/portal-links.js";
import type { SyncConfig, WebhookAuth } from "../sync/sync-config.js";
import type { SyncSession } from "../sync/sync-session.js";
import { WizWebhookIntake } from "../sync/wiz-webhook-intake.js";
import { TransformMapRepository } from "../store/transform-map.repository.js";
import { resolveOutputProfile, type OutputProfile } from "../transform/output-profile.js";
import { engineMetrics } from "./engine-metrics.js";
import { startHttpServer, type HttpServer } from "./http-server.js";
import { registerWizWebhookRoutes } from "./wiz-webhook.routes.js";

export interface MainJobServer {
  http: HttpServer;
  webhooks: WizWebhookIntake;
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
  /** More route plugins (runtime intake, API). */
  plugins?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
}

/** The main job's HTTP side: Wiz webhooks into the connectors' outboxes, /metrics, /healthz. */
export async function startMainJobServer(options: MainJobServerOptions): Promise<MainJobServer> {
  const { config, session, logger } = options;
  // Connectors are registered (and states visible in /metrics) before the first request is served.
  await session.engine.prepare();
  const byId = new Map(config.connectors.map((c) => [c.id, c]));
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
        const maps = new TransformMapRepository(session.store.db);
        profile = resolveOutputProfile(output, {
          loadUserMap: async (name) => {
            const saved = await maps.get(name);
            return saved ? (JSON.parse(saved.definition) as unknown) : undefined;
          },
        });
        profiles.set(id, profile);
      }
      return profile;
    },
  });
  const auth = new Map<string, WebhookAuth>(config.connectors.flatMap((c) => (c.webhook && c.enabled ? [[c.id, c.webhook.auth] as const] : [])));
  const http = await startHttpServer({
    host: options.host,
    port: options.port,
    logger,
    metrics: () => engineMetrics(session.engine, session.store.db, webhooks),
    plugins: [(app) => registerWizWebhookRoutes(app, { intake: webhooks, connectors: auth }), ...(options.plugins ?? [])],
  });
  return {
    http,
    webhooks,
    webhookUrl: (id) => (auth.has(id) ? `${http.url}/webhooks/wiz/${encodeURIComponent(id)}` : undefined),
    close: () => http.close(),
  };
}
