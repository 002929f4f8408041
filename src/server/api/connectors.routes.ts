import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isStreamName, STREAM_NAMES, type StreamName } from "../../model/stream-name.js";
import { describeSink } from "../../sinks/sink-registry.js";
import { DeadLetterRepository } from "../../store/dead-letter.repository.js";
import { connectorStatuses } from "../../sync/connector-status.js";
import { syncConfigFileSchema } from "../../sync/sync-config.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter, notFound } from "./api-router.js";
import { catalogCall } from "./catalog-problem.js";
import { documentedObject } from "./documented-body.js";
import { registerConnectorTestRoutes } from "./connector-test.routes.js";

const streamName = z.string().refine(isStreamName, { message: `must be a stream name: ${STREAM_NAMES.join(", ")}` });
const idParams = z.strictObject({ id: z.string().min(1).describe("connector id") });
const syncBodySchema = z.strictObject({
  streams: z.array(streamName).optional().describe("streams to run now; default: all the connector's streams"),
  full: z.boolean().optional().describe("re-export from the beginning instead of from the cursors"),
});
const deadLetterQuery = z.strictObject({
  sink: z.string().optional().describe("only this sink's dead letters"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20).describe("newest runs first; at most 200") });
const connectorStatusSchema = z.record(z.string(), z.unknown()).describe("state, cursors, backlog, health and recent runs (see `wizbridge status --json`)");
const connectorEntrySchema = documentedObject(
  syncConfigFileSchema.shape.connectors.element,
  "a connector entry exactly as the config file's connectors list takes it (no ${ENV} substitution); the secrets (connection.clientSecret, webhook auth) are sealed with the master key and never shown again",
);
const replaceBodySchema = documentedObject(
  syncConfigFileSchema.shape.connectors.element.partial({ id: true }),
  "the whole connector entry, as for POST; a secret left out, or sent back as {set: true}, keeps its stored value; {set: false} removes it",
);
const runSummarySchema = z.object({ id: z.number(), trigger: z.string(), status: z.string(), startedAt: z.string(), endedAt: z.string().nullable(), error: z.unknown(), streams: z.array(z.record(z.string(), z.unknown())) });
const disconnectSchema = z.object({ disconnected: z.string(), clientId: z.string().nullable(), credentialsDeleted: z.number(), removed: z.object({ cursors: z.number(), outbox: z.number(), deadLetters: z.number(), runs: z.number() }), revoke: z.string() });

/**
 * The connectors of the running main job: list and detail (viewer); create, replace, enable, disable and
 * disconnect API connectors (admin; config-file ones are read-only); test connection, "sync now" and replay
 * (operator); run history and dead letters (viewer).
 */
export async function registerConnectorRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { session, catalog } = ctx;
  const engine = session.engine;
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);
  const runningOf = (id: string) => catalogCall(() => catalog.connectors.running(id));

  /** One connector's status, settings and (API ones) stored entry with secrets shown as set / not set. */
  const detail = async (id: string, runs = 20): Promise<Record<string, unknown>> => {
    const source = catalog.connectors.sourceOf(id);
    if (!source) await runningOf(id);
    const [status] = await connectorStatuses(session.store.db, { connectors: [id], runs });
    const settings = engine.connector(id);
    const failure = catalog.connectors.failure(id);
    return {
      ...(status ?? { id, state: "registered" }),
      source,
      readOnly: source === "config",
      enabled: settings?.enabled ?? false,
      ...(failure ? { startError: failure } : {}),
      streamSettings: (settings?.streams ?? []).map((s) => ({ stream: s.name, mode: s.mode, pageSize: s.pageSize, filter: s.filter, schedule: s.schedule.source })),
      sinkTargets: (settings?.sinks ?? []).map((sinkId) => {
        const sink = engine.config.sinks[sinkId];
        return { sink: sinkId, target: sink ? describeSink(sinkId, sink) : sinkId };
      }),
      ...(source === "api" ? { definition: await catalog.connectors.definition(id) } : {}),
    };
  };

  router.route({
    method: "GET",
    url: "/api/connectors",
    role: "viewer",
    tag: "Connectors",
    summary: "Every connector (config file and API) with its state, cursors, backlog, health and last runs",
    responses: { 200: { description: "the connectors", schema: z.object({ connectors: z.array(connectorStatusSchema) }) } },
    handler: async () => {
      const ids = catalog.connectors.ids();
      const statuses = await connectorStatuses(session.store.db, { runs: 5 });
      return {
        connectors: statuses
          .filter((s) => ids.includes(s.id))
          .map((s) => {
            const source = catalog.connectors.sourceOf(s.id);
            return { ...s, source, readOnly: source === "config", enabled: engine.connector(s.id)?.enabled ?? false };
          }),
      };
    },
  });

  router.route({
    method: "GET",
    url: "/api/connectors/:id",
    role: "viewer",
    tag: "Connectors",
    summary: "One connector: state, streams and their settings, cursors, sinks, run history; API ones also their stored entry (secrets as {set})",
    params: idParams,
    responses: { 200: { description: "the connector", schema: connectorStatusSchema }, 404: { description: "no such connector" } },
    handler: async ({ params }) => detail(params.id),
  });

  router.route({
    method: "POST",
    url: "/api/connectors",
    role: "admin",
    tag: "Connectors",
    summary: "Create a connector (stored, secrets sealed); it starts on its schedule unless enabled: false",
    body: connectorEntrySchema,
    responses: {
      201: { description: "created (the connector as GET /api/connectors/:id shows it)", schema: connectorStatusSchema },
      409: { description: "the id is taken (by the config file or the API)" },
      503: { description: "no usable master key to seal the secret" },
    },
    handler: async ({ body, reply }) => {
      const connector = await catalogCall(() => catalog.connectors.create(body));
      return reply.code(201).send(await detail(connector.id));
    },
  });

  router.route({
    method: "PUT",
    url: "/api/connectors/:id",
    role: "admin",
    tag: "Connectors",
    summary: "Replace an API connector (secrets left out are kept); it restarts from its cursors after the run in progress",
    params: idParams,
    body: replaceBodySchema,
    responses: { 200: { description: "the connector", schema: connectorStatusSchema }, 404: { description: "no such connector" }, 409: { description: "a config-file connector (read-only)" } },
    handler: async ({ params, body }) => {
      await catalogCall(() => catalog.connectors.replace(params.id, body));
      return detail(params.id);
    },
  });

  router.route({
    method: "DELETE",
    url: "/api/connectors/:id",
    role: "admin",
    tag: "Connectors",
    summary: "Disconnect: stop an API connector, delete its stored credentials, cursors, outbox and history; says how to revoke the account in Wiz",
    params: idParams,
    responses: { 200: { description: "disconnected", schema: disconnectSchema }, 404: { description: "no such connector" }, 409: { description: "a config-file connector (read-only)" } },
    handler: async ({ params }) => catalogCall(() => catalog.connectors.disconnect(params.id)),
  });

  for (const action of ["enable", "disable"] as const) {
    router.route({
      method: "POST",
      url: `/api/connectors/:id/${action}`,
      role: "admin",
      tag: "Connectors",
      summary: action === "enable" ? "Enable an API connector: it runs on its schedule again" : "Disable an API connector: its scheduler stops after the run in progress; the outbox is still delivered",
      params: idParams,
      responses: { 200: { description: "the connector", schema: connectorStatusSchema }, 404: { description: "no such connector" }, 409: { description: "a config-file connector: edit the config file" } },
      handler: async ({ params }) => {
        await catalogCall(() => catalog.connectors.setEnabled(params.id, action === "enable"));
        return detail(params.id);
      },
    });
  }

  await registerConnectorTestRoutes(router, ctx);

  router.route({
    method: "GET",
    url: "/api/connectors/:id/runs",
    role: "viewer",
    tag: "Connectors",
    summary: "Run history, newest first, with per-stream pages, records, emitted events, requests and errors",
    params: idParams,
    query: runsQuery,
    responses: { 200: { description: "the runs", schema: z.object({ connector: z.string(), runs: z.array(runSummarySchema) }) }, 404: { description: "no such connector" } },
    handler: async ({ params, query }) => {
      if (!catalog.connectors.sourceOf(params.id)) await runningOf(params.id);
      const [status] = await connectorStatuses(session.store.db, { connectors: [params.id], runs: query.limit });
      return { connector: params.id, runs: status?.runs ?? [] };
    },
  });

  router.route({
    method: "POST",
    url: "/api/connectors/:id/sync",
    role: "operator",
    tag: "Connectors",
    summary: "Sync now: one stream, several, all, or a full re-export",
    params: idParams,
    body: syncBodySchema,
    responses: { 202: { description: "queued", schema: z.object({ accepted: z.boolean(), connector: z.string(), streams: z.array(z.string()), full: z.boolean(), message: z.string() }) }, 404: { description: "no such connector" }, 409: { description: "the connector is disabled" } },
    handler: async ({ params, body, reply }) => {
      const connector = await runningOf(params.id);
      const streams = body.streams as StreamName[] | undefined;
      const unsynced = (streams ?? []).filter((s) => !connector.streams.some((cs) => cs.name === s));
      if (unsynced.length > 0) throw new ApiProblem(400, { error: "bad_request", message: `body.streams: ${connector.id} does not sync ${unsynced.join(", ")}; it syncs ${connector.streams.map((s) => s.name).join(", ")}.` });
      if (!engine.requestRun(connector.id, { ...(streams ? { streams } : {}), ...(body.full ? { full: true } : {}) })) {
        const how = catalog.connectors.sourceOf(connector.id) === "api" ? `POST /api/connectors/${connector.id}/enable` : "set enabled: true in the config file and restart";
        throw new ApiProblem(409, { error: "disabled", message: `Connector ${connector.id} is disabled; ${how} to run it.` });
      }
      return reply.code(202).send({ accepted: true, connector: connector.id, streams: streams ?? connector.streams.map((s) => s.name), full: body.full ?? false, message: "Queued: it runs as soon as the connector's current run (if any) ends. GET /api/connectors/<id> shows its progress." });
    },
  });

  router.route({
    method: "GET",
    url: "/api/connectors/:id/dead-letters",
    role: "viewer",
    tag: "Connectors",
    summary: "Events a sink refused for good, with the sink's reason",
    params: idParams,
    query: deadLetterQuery,
    responses: { 200: { description: "pending dead letters", schema: z.object({ deadLetters: z.array(z.object({ id: z.number(), sink: z.string(), stream: z.string(), eventId: z.string(), reason: z.string(), failedAt: z.string() })) }) }, 404: { description: "no such connector" } },
    handler: async ({ params, query }) => {
      if (!catalog.connectors.sourceOf(params.id)) await runningOf(params.id);
      const letters = await new DeadLetterRepository(session.store.db).list({ connectorId: params.id, pendingOnly: true, ...(query.sink ? { sinkId: query.sink } : {}) }, query.limit);
      return { deadLetters: letters.map((l) => ({ id: l.id, sink: l.sinkId, stream: l.stream, eventId: l.eventId, reason: l.reason, failedAt: new Date(l.failedAt).toISOString() })) };
    },
  });

  router.route({
    method: "POST",
    url: "/api/connectors/:id/sinks/:sink/replay",
    role: "operator",
    tag: "Connectors",
    summary: "Write a connector's dead letters to the sink again (after the cause was fixed)",
    params: z.strictObject({ id: z.string().min(1), sink: z.string().min(1) }),
    responses: { 200: { description: "how many were replayed", schema: z.object({ replayed: z.number() }) }, 404: { description: "no such connector or sink" }, 502: { description: "the sink refused the replay" } },
    handler: async ({ params }) => {
      const connector = await runningOf(params.id);
      if (!connector.sinks.includes(params.sink)) throw notFound(`sink fed by connector ${connector.id}`, params.sink, connector.sinks);
      try {
        return { replayed: await engine.replayDeadLetters(connector.id, params.sink) };
      } catch (error) {
        throw new ApiProblem(502, { error: "sink_failed", message: `The sink refused the replay: ${error instanceof Error ? error.message : String(error)}. The dead letters stay pending.` });
      }
    },
  });
}
