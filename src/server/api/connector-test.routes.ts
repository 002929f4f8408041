import { z } from "zod";
import { isStreamName, STREAM_NAMES } from "../../model/stream-name.js";
import { checkConnectorConnection } from "../../sync/connector-connection-check.js";
import { resolveConnection } from "../../sync/sync-config.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, type ApiRouter } from "./api-router.js";
import { catalogCall } from "./catalog-problem.js";

const streamName = z.string().refine(isStreamName, { message: `must be a stream name: ${STREAM_NAMES.join(", ")}` });
const checkSchema = z.object({
  check: z.enum(["network", "tls", "authentication", "authorization", "data"]),
  subject: z.string(),
  status: z.enum(["pass", "fail", "skip"]),
  detail: z.string(),
  fix: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  durationMs: z.number(),
});
const reportSchema = z.object({ ok: z.boolean(), endpoint: z.string(), tokenUrl: z.string(), checks: z.array(checkSchema), unprobed: z.array(z.string()).describe("streams without a probe of their own (a sync checks them end to end)") });
const unsavedSchema = z.strictObject({
  connection: z.record(z.string(), z.unknown()).describe("the connector's connection, as in the config file (endpoint or region, clientId, clientSecret, tokenUrl...)"),
  streams: z
    .union([z.literal("all"), z.array(streamName), z.record(z.string(), z.unknown())])
    .optional()
    .describe("the streams to check (names, `all`, or the connector entry's streams map); default every stream"),
  rateLimit: z.strictObject({ requestsPerSecond: z.number().min(0).optional() }).optional().describe("pacing of the probes; default 3 requests/s"),
});

/**
 * The five checks (network, TLS, authentication, authorization per stream, one record per stream) for a
 * saved or config connector, and for one not saved yet: the same checks `wizbridge test-connection` runs.
 */
export async function registerConnectorTestRoutes(router: ApiRouter, ctx: ApiContext): Promise<void> {
  router.route({
    method: "POST",
    url: "/api/connectors/test",
    role: "operator",
    tag: "Connectors",
    summary: "Test the connection of a connector not saved yet: network, TLS, authentication, authorization, data",
    body: unsavedSchema,
    responses: { 200: { description: "the report: ok, and each check with its status, detail and fix", schema: reportSchema } },
    handler: async ({ body }) => {
      const connection = resolveConnection(body.connection, () => undefined);
      if ("error" in connection) {
        const setting = connection.error.setting === "settings" ? "" : `.${connection.error.setting}`;
        const path = `body.connection${setting}`;
        throw new ApiProblem(400, { error: "bad_request", message: `${path}: ${connection.error.what}`, issues: [{ path, message: connection.error.what }], fix: connection.error.fix });
      }
      const streams = body.streams === undefined || body.streams === "all" ? undefined : Array.isArray(body.streams) ? body.streams : Object.keys(body.streams);
      const unknown = streams?.filter((s) => !isStreamName(s)) ?? [];
      if (unknown.length > 0) throw new ApiProblem(400, { error: "bad_request", message: `body.streams.${unknown[0]}: must be a stream name: ${STREAM_NAMES.join(", ")}` });
      return checkConnectorConnection(connection, { ...(streams ? { streams } : {}), ...(body.rateLimit?.requestsPerSecond !== undefined ? { requestsPerSecond: body.rateLimit.requestsPerSecond } : {}), logger: ctx.logger });
    },
  });

  router.route({
    method: "POST",
    url: "/api/connectors/:id/test",
    role: "operator",
    tag: "Connectors",
    summary: "Test a connector's connection with its saved settings, for the streams it syncs",
    params: z.strictObject({ id: z.string().min(1).describe("connector id") }),
    responses: { 200: { description: "the report", schema: reportSchema }, 404: { description: "no such connector" }, 503: { description: "a stored connector whose secret does not open" } },
    handler: async ({ params }) => {
      const connector = await catalogCall(() => ctx.catalog.connectors.running(params.id));
      return checkConnectorConnection(connector.connection, { streams: connector.streams.map((s) => s.name), requestsPerSecond: connector.rateLimit.requestsPerSecond, logger: ctx.logger });
    },
  });
}
