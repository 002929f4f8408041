import type { Logger } from "pino";
import type { ManagedCatalog } from "../../sync/managed-catalog.js";
import type { SyncSession } from "../../sync/sync-session.js";
import type { ApiAuth } from "../auth/api-auth.js";
import type { ConnectorWizClients } from "../connector-wiz-clients.js";
import type { OpenApiRegistry } from "./openapi-registry.js";

/**
 * What every API route plugin is given by the main job (the composition root builds it once): the running
 * session (engine + store), the token check, the OpenAPI registry the routes add themselves to, a logger and
 * the clock. A plugin makes its own `new ApiRouter(app, ctx.auth, ctx.openapi)`.
 */
export interface ApiContext {
  session: SyncSession;
  auth: ApiAuth;
  openapi: OpenApiRegistry;
  logger: Logger;
  now: () => number;
  /** Each connector's Wiz SDK client (operations, MCP over HTTP), sharing the engine's token cache and rate budget. */
  wiz: ConnectorWizClients;
  /** The connectors and sinks, config-file (read-only) and API-managed (stored, secrets sealed). */
  catalog: ManagedCatalog;
}
