import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { SINK_TYPE_NAMES } from "../../sinks/sink-registry.js";
import { runSinkSelfTest } from "../../sync/sink-self-test.js";
import type { ApiContext } from "./api-context.js";
import { ApiRouter } from "./api-router.js";
import { catalogCall } from "./catalog-problem.js";
import { documentedObject } from "./documented-body.js";
import { CONFIG_ID_PATTERN } from "../../sync/sync-config.js";

const idParams = z.strictObject({ id: z.string().min(1).describe("sink id") });
const sinkShape = { type: "object", required: ["id", "type"], properties: { id: { type: "string", pattern: CONFIG_ID_PATTERN.source }, type: { enum: [...SINK_TYPE_NAMES] } } };
const sinkBodySchema = documentedObject(
  sinkShape,
  `{id, type, ...settings} exactly as the config file's sinks map takes a sink (type: ${SINK_TYPE_NAMES.join(", ")}); secrets (passwords, tokens, HMAC secrets) are sealed with the master key and shown as {set: true}; relative paths resolve against the data directory`,
);
const replaceBodySchema = documentedObject({ ...sinkShape, required: ["type"] }, "the whole sink settings, as for POST (id may be left out); a secret left out, or sent back as {set: true}, keeps its stored value");
const sinkViewSchema = z.record(z.string(), z.unknown()).describe("id, source (config|api), readOnly, type, target, settings (secrets as {set: true}), connectors, health, backlog");
const deliverySchema = z.object({ connector: z.string(), backlog: z.number(), state: z.string(), down: z.boolean(), lastError: z.string().nullable(), failingSince: z.string().nullable(), delivered: z.number(), retried: z.number(), deadLettered: z.number() });
const stepSchema = z.object({ step: z.string(), ok: z.boolean(), detail: z.string(), fix: z.string().optional() });

/**
 * The sinks: list, one, health (viewer); create, replace, delete API sinks (admin; config-file ones are
 * read-only, and a sink a connector feeds cannot be deleted); self-test (operator).
 */
export async function registerSinkRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { session, catalog } = ctx;
  const engine = session.engine;
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);

  const delivery = async (sinkId: string) =>
    (await engine.deliveryStatus())
      .filter((d) => d.sinkId === sinkId)
      .map((d) => ({ connector: d.connectorId, backlog: d.pending, state: d.state, down: d.down, lastError: d.lastError, failingSince: d.failingSince === null ? null : new Date(d.failingSince).toISOString(), delivered: d.delivered, retried: d.retried, deadLettered: d.deadLettered }));
  const withHealth = async (id: string) => {
    const view = await catalogCall(() => catalog.sinks.view(id));
    const connectors = await delivery(id);
    return { ...view, health: view.error ? "not_running" : connectors.some((c) => c.down) ? "failing" : "ok", backlog: connectors.reduce((n, c) => n + c.backlog, 0), delivery: connectors };
  };

  router.route({
    method: "GET",
    url: "/api/sinks",
    role: "viewer",
    tag: "Sinks",
    summary: "Every sink (config file and API) with its target and, per connector, backlog, circuit state and last error",
    responses: { 200: { description: "the sinks", schema: z.object({ sinks: z.array(z.record(z.string(), z.unknown())) }) } },
    handler: async () => {
      const sinks = [];
      for (const id of catalog.sinks.ids()) {
        const view = await catalogCall(() => catalog.sinks.view(id));
        sinks.push({ sink: id, source: view.source, readOnly: view.readOnly, type: view.type, target: view.target, ...(view.error ? { error: view.error } : {}), connectors: await delivery(id) });
      }
      return { sinks };
    },
  });

  router.route({
    method: "GET",
    url: "/api/sinks/:id",
    role: "viewer",
    tag: "Sinks",
    summary: "One sink: type, target, settings (secrets as {set: true}), the connectors feeding it, health and backlog",
    params: idParams,
    responses: { 200: { description: "the sink", schema: sinkViewSchema }, 404: { description: "no such sink" } },
    handler: async ({ params }) => withHealth(params.id),
  });

  router.route({
    method: "POST",
    url: "/api/sinks",
    role: "admin",
    tag: "Sinks",
    summary: "Create a sink (stored, secrets sealed); connectors can feed it from then on",
    body: sinkBodySchema,
    responses: { 201: { description: "created", schema: sinkViewSchema }, 409: { description: "the id is taken, or another sink writes the same directory" }, 503: { description: "no usable master key to seal a secret" } },
    handler: async ({ body, reply }) => {
      const view = await catalogCall(() => catalog.sinks.create(body));
      return reply.code(201).send(await withHealth(view.id));
    },
  });

  router.route({
    method: "PUT",
    url: "/api/sinks/:id",
    role: "admin",
    tag: "Sinks",
    summary: "Replace an API sink's settings; its connectors resume delivery on the new settings from where they were",
    params: idParams,
    body: replaceBodySchema,
    responses: { 200: { description: "the sink", schema: sinkViewSchema }, 404: { description: "no such sink" }, 409: { description: "a config-file sink (read-only)" } },
    handler: async ({ params, body }) => {
      await catalogCall(() => catalog.sinks.replace(params.id, body));
      return withHealth(params.id);
    },
  });

  router.route({
    method: "DELETE",
    url: "/api/sinks/:id",
    role: "admin",
    tag: "Sinks",
    summary: "Delete an API sink and its stored credentials; refused while a connector feeds it",
    params: idParams,
    responses: { 200: { description: "deleted", schema: z.object({ deleted: z.string(), credentialsDeleted: z.number() }) }, 404: { description: "no such sink" }, 409: { description: "a config-file sink, or one a connector feeds" } },
    handler: async ({ params }) => catalogCall(() => catalog.sinks.remove(params.id)),
  });

  router.route({
    method: "POST",
    url: "/api/sinks/:id/test",
    role: "operator",
    tag: "Sinks",
    summary: "Self-test: connect, authenticate and write one marked test event, step by step with the fix",
    params: idParams,
    responses: { 200: { description: "the steps", schema: z.object({ sink: z.string(), ok: z.boolean(), steps: z.array(stepSchema) }) }, 404: { description: "no such sink" }, 503: { description: "a stored sink that is not running (its secret does not open)" } },
    handler: async ({ params }) => {
      const view = await catalogCall(() => catalog.sinks.view(params.id));
      const settings = engine.config.sinks[params.id];
      if (!settings) return { sink: params.id, ok: false, steps: [{ step: "settings", ok: false, detail: view.error?.message ?? "the sink is not running", ...(view.error?.fix ? { fix: view.error.fix } : {}) }] };
      return { sink: params.id, ...(await runSinkSelfTest(params.id, settings, { logger: ctx.logger, now: ctx.now })) };
    },
  });

  router.route({
    method: "GET",
    url: "/api/sinks/:id/health",
    role: "viewer",
    tag: "Sinks",
    summary: "A sink's health: ok, failing (writes fail; events wait in the outbox) or not_running, with per-connector backlog and last error",
    params: idParams,
    responses: { 200: { description: "the health", schema: z.object({ sink: z.string(), health: z.string(), backlog: z.number(), delivery: z.array(deliverySchema) }) }, 404: { description: "no such sink" } },
    handler: async ({ params }) => {
      const view = await withHealth(params.id);
      return { sink: params.id, health: view.health, backlog: view.backlog, delivery: view.delivery, ...(view.error ? { error: view.error } : {}) };
    },
  });
}
