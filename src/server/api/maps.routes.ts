import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { STREAM_NAMES } from "../../model/stream-name.js";
import { TransformMapRepository } from "../../store/transform-map.repository.js";
import { TransformMapError } from "../../transform/maps/map-validator.js";
import { TransformMapCatalog, TransformMapCatalogError, type MapCatalogRefusal } from "../../transform/maps/transform-map-catalog.js";
import { MAP_NAME, transformMapSchema } from "../../transform/maps/transform-map.schema.js";
import { OutputProfileError } from "../../transform/output-profile.js";
import type { ApiContext } from "./api-context.js";
import { ApiProblem, ApiRouter } from "./api-router.js";

const mapName = z.string().regex(MAP_NAME, "a map name: lower-case letters, digits, '.', '_' or '-' (at most 64)");
const nameParams = z.strictObject({ name: z.string().min(1).describe("map name") });
/** The body of a save: a map as the map file holds it; `name` may be left out (the path names it). */
const mapBodySchema = transformMapSchema.extend({ name: mapName.optional() }).describe("a transform map (docs/output-profiles.md): recordTypes, fields, optional description");
const summarySchema = z.object({ name: z.string(), builtIn: z.boolean(), recordTypes: z.array(z.string()), description: z.string(), updatedAt: z.string().optional() });
const mapAnswerSchema = z.object({ name: z.string(), builtIn: z.boolean(), map: z.record(z.string(), z.unknown()) });
const testBodySchema = z.strictObject({
  // An unsaved map is checked by the map validator, whose problems name each field (`body.map.fields.x.from`).
  map: z.union([z.string().min(1).describe("a map name, or canonical, ocsf, ecs"), z.record(z.string(), z.unknown()).describe("an unsaved map, shaped as for PUT /api/maps/{name}")]).describe("a saved or built-in map (or profile) by name, or an unsaved map"),
  records: z.array(z.unknown()).max(1000).optional().describe("raw Wiz nodes (or wizbridge events); default: the built-in sample of the map's stream"),
  stream: z.enum(STREAM_NAMES).optional().describe("the stream the records come from; default: from the map's record types"),
  ladder: z.enum(["wiz", "four-tier"]).optional().describe("severity ladder"),
});
const testAnswerSchema = z.object({
  profile: z.string(),
  stream: z.string(),
  outputs: z.array(z.union([z.object({ input: z.number(), profile: z.string(), record: z.unknown() }), z.object({ input: z.number(), refused: z.string() })])),
});

const STATUS_OF: Record<MapCatalogRefusal, number> = { not_found: 404, exists: 409, read_only: 409, bad_input: 400 };

/** The catalog's and the validator's refusals as API answers: every map problem is an issue naming its field. */
function problemOf(error: unknown, where: string): unknown {
  if (error instanceof TransformMapCatalogError) return new ApiProblem(STATUS_OF[error.reason], { error: error.reason === "bad_input" ? "bad_request" : error.reason === "not_found" ? "not_found" : "conflict", message: error.message });
  if (error instanceof TransformMapError) {
    const issues = error.problems.map((p) => ({ path: `${where}.${p.path}`, message: p.message }));
    return new ApiProblem(400, { error: "bad_request", message: `${issues[0]?.path ?? where}: ${issues[0]?.message ?? "invalid map"} (${issues.length} problem(s); the map was not saved)`, issues, fix: "Fix each named field and send the map again; POST /api/maps/test shows a map's output on sample records." });
  }
  if (error instanceof OutputProfileError) return new ApiProblem(400, { error: "bad_request", message: error.message });
  return error;
}

async function answering<T>(where: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw problemOf(error, where);
  }
}

/**
 * Transform maps over HTTP, the same catalog `wizbridge map` uses: list and show (viewer), clone and save
 * (admin; validated, built-ins read-only), and a test run on sample or given records (viewer; nothing saved).
 */
export async function registerMapRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const catalog = new TransformMapCatalog(new TransformMapRepository(ctx.session.store.db));
  const router = new ApiRouter(app, ctx.auth, ctx.openapi);
  const answer = async (name: string) => ({ name, builtIn: !(await catalog.isSaved(name)), map: await catalog.definition(name) });

  router.route({
    method: "GET",
    url: "/api/maps",
    role: "viewer",
    tag: "Maps",
    summary: "The built-in maps (read-only) and the saved ones",
    responses: { 200: { description: "the maps", schema: z.object({ maps: z.array(summarySchema) }) } },
    handler: async () => ({ maps: (await catalog.list()).map(({ updatedAt, ...m }) => ({ ...m, ...(updatedAt === undefined ? {} : { updatedAt: new Date(updatedAt).toISOString() }) })) }),
  });

  router.route({
    method: "GET",
    url: "/api/maps/:name",
    role: "viewer",
    tag: "Maps",
    summary: "One map's definition",
    params: nameParams,
    responses: { 200: { description: "the map", schema: mapAnswerSchema }, 404: { description: "no such map" } },
    handler: async ({ params }) => answering("params.name", () => answer(params.name)),
  });

  router.route({
    method: "POST",
    url: "/api/maps/:name/clone",
    role: "admin",
    tag: "Maps",
    summary: "Copy a map under a new name (built-ins are read-only: clone one to edit it)",
    params: nameParams,
    body: z.strictObject({ as: mapName.describe("the new map's name"), force: z.boolean().optional().describe("replace a saved map of that name") }),
    responses: { 201: { description: "the copy, saved", schema: mapAnswerSchema }, 404: { description: "no such map" }, 409: { description: "a map of the new name is saved already (send force: true)" } },
    handler: async ({ params, body, reply }) => {
      await answering("body", () => catalog.clone(params.name, body.as, { force: body.force ?? false, now: ctx.now() }));
      return reply.code(201).send(await answer(body.as));
    },
  });

  router.route({
    method: "PUT",
    url: "/api/maps/:name",
    role: "admin",
    tag: "Maps",
    summary: "Save a map (created or replaced), validated first: unknown paths, cycles, type clashes, slow expressions",
    params: nameParams,
    body: mapBodySchema,
    responses: { 200: { description: "replaced", schema: mapAnswerSchema }, 201: { description: "created", schema: mapAnswerSchema }, 409: { description: "the name is a built-in map's" } },
    handler: async ({ params, body, request, reply }) => {
      if (!MAP_NAME.test(params.name)) throw new ApiProblem(400, { error: "bad_request", message: `params.name: "${params.name}" is not a map name: use lower-case letters, digits, '.', '_' or '-' (at most 64).` });
      if (body.name !== undefined && body.name !== params.name) throw new ApiProblem(400, { error: "bad_request", message: `body.name: is ${body.name} but the path saves ${params.name}; make them equal (or leave name out). To copy a map use POST /api/maps/${params.name}/clone.` });
      // What the caller sent (not zod's defaults-filled copy) is what is stored, as `wizbridge map save` stores the file.
      const definition = { ...(request.body as Record<string, unknown>), name: params.name };
      const existed = await catalog.isSaved(params.name);
      await answering("body", () => catalog.save(definition, ctx.now()));
      return reply.code(existed ? 200 : 201).send(await answer(params.name));
    },
  });

  router.route({
    method: "POST",
    url: "/api/maps/test",
    role: "viewer",
    tag: "Maps",
    summary: "A map's (or profile's) output for sample or given raw records; nothing is saved",
    body: testBodySchema,
    responses: { 200: { description: "one output per record: the shaped record, or why it was refused", schema: testAnswerSchema }, 404: { description: "no map of that name" } },
    handler: async ({ body }) =>
      answering("body.map", () =>
        catalog.test({ map: body.map, ...(body.records ? { records: body.records } : {}), ...(body.stream ? { stream: body.stream } : {}), ...(body.ladder ? { ladder: body.ladder } : {}), now: ctx.now() }),
      ),
  });
}
