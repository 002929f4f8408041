import type { FastifyInstance } from "fastify";
import type { ApiContext } from "./api-context.js";
import { registerConnectorRoutes } from "./connectors.routes.js";
import { registerSinkRoutes } from "./sinks.routes.js";
import { registerOpenApiRoutes } from "./openapi.routes.js";
import { registerMapRoutes } from "./maps.routes.js";
import { registerRuntimeRoutes } from "./runtime.routes.js";
import { registerOperationRoutes } from "./operations.routes.js";
import { registerMcpHttpRoutes } from "./mcp-http.routes.js";
import { registerWhoamiRoutes } from "./whoami.routes.js";

/**
 * The API's route plugins, one per area, each registered by the main job with the same ApiContext. A new area
 * adds its `register...Routes` here; the OpenAPI document lists whatever the plugins registered.
 */
export const API_PLUGINS: ReadonlyArray<(app: FastifyInstance, ctx: ApiContext) => Promise<void>> = [registerConnectorRoutes, registerSinkRoutes, registerOpenApiRoutes, registerMapRoutes, registerRuntimeRoutes, registerOperationRoutes, registerMcpHttpRoutes, registerWhoamiRoutes];
