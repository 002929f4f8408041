import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { RUNTIME_ALERT_STATES, RUNTIME_SOURCES } from "../../model/runtime-alert.js";
import { DeliveryRepository } from "../../runtime/fold/delivery.repository.js";
import { RUNTIME_ALERT_PATH, runtimeAlertAnswer } from "../../runtime/runtime-alert.routes.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter } from "./api-router.js";
import { alertCursorOf, parseAlertCursor } from "./alert-cursor.js";

const alertSummarySchema = z.object({ id: z.string(), source: z.string(), ruleId: z.string(), severity: z.string(), state: z.string(), stateDetail: z.string().nullable(), occurredAt: z.string(), receivedAt: z.string(), updatedAt: z.string() });
const listQuery = z.strictObject({
  state: z.enum(RUNTIME_ALERT_STATES).optional().describe("only alerts in this state"),
  source: z.enum(RUNTIME_SOURCES).optional().describe("only alerts from this source"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(200).optional().describe("nextCursor of the previous page"),
});
const summaryQuery = z.strictObject({ minutes: z.coerce.number().int().min(1).max(1440).default(15).describe("how many minutes back the rate covers") });

/**
 * The push path's alerts (viewer): a paged list with state and source filters, a summary (counts per state,
 * alerts received per minute), and one alert's full trail, which Wiz events and notes link to. Registered only
 * when the config has a runtime section.
 */
export async function registerRuntimeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  if (!ctx.session.engine.config.runtime) return;
  const repository = new DeliveryRepository(ctx.session.store.db);
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);

  router.route({
    method: "GET",
    url: "/api/runtime/alerts",
    role: "viewer",
    tag: "Runtime",
    summary: "Runtime alerts, newest first, with the reason for their state; paged with a cursor",
    query: listQuery,
    responses: { 200: { description: "one page of alerts; nextCursor is null on the last page", schema: z.object({ alerts: z.array(alertSummarySchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ query }) => {
      const before = query.cursor === undefined ? undefined : parseAlertCursor(query.cursor);
      if (before === null) throw new ApiProblem(400, { error: "bad_request", message: "query.cursor: not a cursor this API gave out; pass the nextCursor of the previous page unchanged, or leave cursor out for the first page." });
      // One more than asked tells whether another page follows.
      const rows = await repository.listAlerts({ ...(query.state ? { state: query.state } : {}), ...(query.source ? { source: query.source } : {}), limit: query.limit + 1, ...(before ? { before } : {}) });
      const alerts = rows.slice(0, query.limit);
      const last = alerts.at(-1);
      return { alerts, nextCursor: rows.length > query.limit && last ? alertCursorOf(last) : null };
    },
  });

  router.route({
    method: "GET",
    url: "/api/runtime/summary",
    role: "viewer",
    tag: "Runtime",
    summary: "Alerts per state, and alerts received per minute over the last minutes",
    query: summaryQuery,
    responses: {
      200: {
        description: "counts and rate",
        schema: z.object({ total: z.number(), counts: z.record(z.string(), z.number()), windowMinutes: z.number(), receivedInWindow: z.number(), perMinute: z.number(), receivedPerMinute: z.array(z.object({ minute: z.string(), count: z.number() })) }),
      },
    },
    handler: async ({ query }) => {
      const now = ctx.now();
      const thisMinute = Math.floor(now / 60_000) * 60_000;
      const since = thisMinute - (query.minutes - 1) * 60_000;
      const stored = await repository.countByState();
      const counts = Object.fromEntries(RUNTIME_ALERT_STATES.map((s) => [s, stored[s] ?? 0]));
      const byMinute = await repository.receivedPerMinute(since);
      const receivedPerMinute = Array.from({ length: query.minutes }, (_, i) => since + i * 60_000).map((minute) => ({ minute: new Date(minute).toISOString(), count: byMinute.get(minute) ?? 0 }));
      const receivedInWindow = receivedPerMinute.reduce((sum, m) => sum + m.count, 0);
      return { total: Object.values(counts).reduce((a, b) => a + b, 0), counts, windowMinutes: query.minutes, receivedInWindow, perMinute: Math.round((receivedInWindow / query.minutes) * 100) / 100, receivedPerMinute };
    },
  });

  router.route({
    method: "GET",
    url: `${RUNTIME_ALERT_PATH}:id`,
    role: "viewer",
    tag: "Runtime",
    summary: "One alert's full trail: adapter, resolution rung and what was tried, folded event, upload, system activity, linked issue and note",
    description: "Takes an alert id (the ingest answer) or the id of the event it folded into (what Wiz events and notes carry).",
    params: z.strictObject({ id: z.string().min(1).describe("alert id or event id") }),
    responses: { 200: { description: "the alert and everything behind it", schema: z.record(z.string(), z.unknown()) }, 404: { description: "no alert or event has that id" } },
    handler: async ({ params }) => {
      const answer = await runtimeAlertAnswer(repository, params.id);
      if (!answer.found) throw new ApiProblem(404, answer.body);
      return answer.status;
    },
  });
}
