import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isStreamName, STREAM_NAMES, type StreamName } from "../../model/stream-name.js";
import { describeSink } from "../../sinks/sink-registry.js";
import { DeadLetterRepository } from "../../store/dead-letter.repository.js";
import { connectorStatuses } from "../../sync/connector-status.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter, notFound } from "./api-router.js";

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
const connectorStatusSchema = z.record(z.string(), z.unknown()).describe("state, cursors, backlog, health and recent runs (see `wizbridge status --json`)");

/**
 * The connectors of the running main job: state, cursors, runs, outbox and sink health (viewer), "sync now"
 * (operator), dead letters (viewer) and their replay (operator).
 */
export async function registerConnectorRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { session } = ctx;
  const config = session.engine.config;
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);
  const connectorOf = (id: string) => {
    const connector = config.connectors.find((c) => c.id === id);
    if (!connector) throw notFound("connector", id, config.connectors.map((c) => c.id));
    return connector;
  };

  router.route({
    method: "GET",
    url: "/api/connectors",
    role: "viewer",
    tag: "Connectors",
    summary: "Every connector with its state, cursors, backlog, health and last runs",
    responses: { 200: { description: "the connectors", schema: z.object({ connectors: z.array(connectorStatusSchema) }) } },
    handler: async () => {
      const statuses = await connectorStatuses(session.store.db, { runs: 5 });
      return { connectors: statuses.map((s) => ({ ...s, source: "config", enabled: config.connectors.find((c) => c.id === s.id)?.enabled ?? false })) };
    },
  });

  router.route({
    method: "GET",
    url: "/api/connectors/:id",
    role: "viewer",
    tag: "Connectors",
    summary: "One connector: state, streams and their settings, cursors, sinks, run history",
    params: idParams,
    responses: { 200: { description: "the connector", schema: connectorStatusSchema }, 404: { description: "no such connector" } },
    handler: async ({ params }) => {
      const settings = connectorOf(params.id);
      const [status] = await connectorStatuses(session.store.db, { connectors: [params.id], runs: 20 });
      if (!status) throw notFound("connector", params.id, config.connectors.map((c) => c.id));
      return {
        ...status,
        source: "config",
        readOnly: true,
        enabled: settings.enabled,
        streamSettings: settings.streams.map((s) => ({ stream: s.name, mode: s.mode, pageSize: s.pageSize, filter: s.filter })),
        sinkTargets: settings.sinks.map((id) => {
          const sink = config.sinks[id];
          return { sink: id, target: sink ? describeSink(id, sink) : id };
        }),
      };
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
      const connector = connectorOf(params.id);
      const streams = body.streams as StreamName[] | undefined;
      const unsynced = (streams ?? []).filter((s) => !connector.streams.some((cs) => cs.name === s));
      if (unsynced.length > 0) throw new ApiProblem(400, { error: "bad_request", message: `body.streams: ${connector.id} does not sync ${unsynced.join(", ")}; it syncs ${connector.streams.map((s) => s.name).join(", ")}.` });
      if (!session.engine.requestRun(connector.id, { ...(streams ? { streams } : {}), ...(body.full ? { full: true } : {}) })) {
        throw new ApiProblem(409, { error: "disabled", message: `Connector ${connector.id} is disabled (enabled: false in the config).` });
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
      connectorOf(params.id);
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
      const connector = connectorOf(params.id);
      if (!connector.sinks.includes(params.sink)) throw notFound(`sink fed by connector ${connector.id}`, params.sink, connector.sinks);
      try {
        return { replayed: await session.engine.replayDeadLetters(connector.id, params.sink) };
      } catch (error) {
        throw new ApiProblem(502, { error: "sink_failed", message: `The sink refused the replay: ${error instanceof Error ? error.message : String(error)}. The dead letters stay pending.` });
      }
    },
  });

  router.route({
    method: "GET",
    url: "/api/sinks",
    role: "viewer",
    tag: "Sinks",
    summary: "Every sink with its target and, per connector, backlog, circuit state and last error",
    responses: { 200: { description: "the sinks", schema: z.object({ sinks: z.array(z.record(z.string(), z.unknown())) }) } },
    handler: async () => {
      const delivery = await session.engine.deliveryStatus();
      return {
        sinks: Object.entries(config.sinks).map(([id, settings]) => ({
          sink: id,
          type: settings.type,
          target: describeSink(id, settings),
          connectors: delivery
            .filter((d) => d.sinkId === id)
            .map((d) => ({ connector: d.connectorId, backlog: d.pending, state: d.state, down: d.down, lastError: d.lastError, failingSince: d.failingSince === null ? null : new Date(d.failingSince).toISOString(), delivered: d.delivered, retried: d.retried, deadLettered: d.deadLettered })),
        })),
      };
    },
  });
}
