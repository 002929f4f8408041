import type { FastifyInstance } from "fastify";
import type { ApiContext } from "./api-context.js";
import { registerConnectorRoutes } from "./connectors.routes.js";
import { registerOpenApiRoutes } from "./openapi.routes.js";

/**
 * The API's route plugins, one per area, each registered by the main job with the same ApiContext. A new area
 * adds its `register...Routes` here; the OpenAPI document lists whatever the plugins registered.
 */
export const API_PLUGINS: ReadonlyArray<(app: FastifyInstance, ctx: ApiContext) => Promise<void>> = [registerConnectorRoutes, registerOpenApiRoutes];
