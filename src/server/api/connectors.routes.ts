import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isStreamName, STREAM_NAMES, type StreamName } from "../../model/stream-name.js";
import { describeSink } from "../../sinks/sink-registry.js";
import { DeadLetterRepository } from "../../store/dead-letter.repository.js";
import { connectorStatuses } from "../../sync/connector-status.js";
import type { SyncSession } from "../../sync/sync-session.js";
import type { ApiAuth } from "../auth/api-auth.js";

export interface ConnectorRoutesDeps {
  session: SyncSession;
  auth: ApiAuth;
}

const syncBodySchema = z.strictObject({
  streams: z.array(z.string().refine(isStreamName, { message: `must be a stream name: ${STREAM_NAMES.join(", ")}` })).optional(),
  full: z.boolean().optional(),
});

/** 400 with the first problem's path named, as the config file's errors do. */
function badRequest(error: z.ZodError): { error: string; message: string; issues: Array<{ path: string; message: string }> } {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
  return { error: "bad_request", message: `${issues[0]?.path ?? "body"}: ${issues[0]?.message ?? "invalid"}`, issues };
}

/**
 * The connectors of the running main job: state, cursors, runs, outbox and sink health (viewer), "sync now"
 * (operator), dead letters (viewer) and their replay (operator).
 */
export async function registerConnectorRoutes(app: FastifyInstance, deps: ConnectorRoutesDeps): Promise<void> {
  const { session, auth } = deps;
  const config = session.engine.config;
  const viewer = { preHandler: auth.require("viewer") };
  const operator = { preHandler: auth.require("operator") };
  const notFound = (id: string) => ({ error: "not_found", message: `No connector "${id}"; connectors: ${config.connectors.map((c) => c.id).join(", ")}.` });

  app.get("/api/connectors", viewer, async () => {
    const statuses = await connectorStatuses(session.store.db, { runs: 5 });
    return { connectors: statuses.map((s) => ({ ...s, source: "config", enabled: config.connectors.find((c) => c.id === s.id)?.enabled ?? false })) };
  });

  app.get<{ Params: { id: string } }>("/api/connectors/:id", viewer, async (request, reply) => {
    const [status] = await connectorStatuses(session.store.db, { connectors: [request.params.id], runs: 20 });
    const settings = config.connectors.find((c) => c.id === request.params.id);
    if (!status || !settings) return reply.code(404).send(notFound(request.params.id));
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
  });

  app.post<{ Params: { id: string } }>("/api/connectors/:id/sync", operator, async (request, reply) => {
    const parsed = syncBodySchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error));
    const connector = config.connectors.find((c) => c.id === request.params.id);
    if (!connector) return reply.code(404).send(notFound(request.params.id));
    const streams = parsed.data.streams as StreamName[] | undefined;
    const unsynced = (streams ?? []).filter((s) => !connector.streams.some((cs) => cs.name === s));
    if (unsynced.length > 0) return reply.code(400).send({ error: "bad_request", message: `streams: ${connector.id} does not sync ${unsynced.join(", ")}; it syncs ${connector.streams.map((s) => s.name).join(", ")}.` });
    if (!session.engine.requestRun(connector.id, { ...(streams ? { streams } : {}), ...(parsed.data.full ? { full: true } : {}) })) {
      return reply.code(409).send({ error: "disabled", message: `Connector ${connector.id} is disabled (enabled: false in the config).` });
    }
    return reply.code(202).send({ accepted: true, connector: connector.id, streams: streams ?? connector.streams.map((s) => s.name), full: parsed.data.full ?? false, message: "Queued: it runs as soon as the connector's current run (if any) ends. GET /api/connectors/<id> shows its progress." });
  });

  app.get<{ Params: { id: string }; Querystring: { sink?: string; limit?: string } }>("/api/connectors/:id/dead-letters", viewer, async (request, reply) => {
    if (!config.connectors.some((c) => c.id === request.params.id)) return reply.code(404).send(notFound(request.params.id));
    const limit = Math.min(1000, Math.max(1, Number(request.query.limit ?? 100) || 100));
    const letters = await new DeadLetterRepository(session.store.db).list({ connectorId: request.params.id, pendingOnly: true, ...(request.query.sink ? { sinkId: request.query.sink } : {}) }, limit);
    return { deadLetters: letters.map((l) => ({ id: l.id, sink: l.sinkId, stream: l.stream, eventId: l.eventId, reason: l.reason, failedAt: new Date(l.failedAt).toISOString() })) };
  });

  app.post<{ Params: { id: string; sink: string } }>("/api/connectors/:id/sinks/:sink/replay", operator, async (request, reply) => {
    const connector = config.connectors.find((c) => c.id === request.params.id);
    if (!connector) return reply.code(404).send(notFound(request.params.id));
    if (!connector.sinks.includes(request.params.sink)) return reply.code(404).send({ error: "not_found", message: `Connector ${connector.id} does not feed a sink "${request.params.sink}"; it feeds ${connector.sinks.join(", ")}.` });
    try {
      const replayed = await session.engine.replayDeadLetters(connector.id, request.params.sink);
      return { replayed };
    } catch (error) {
      return reply.code(502).send({ error: "sink_failed", message: `The sink refused the replay: ${error instanceof Error ? error.message : String(error)}. The dead letters stay pending.` });
    }
  });

  app.get("/api/sinks", viewer, async () => {
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
  });
}
