import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RUNTIME_SOURCES } from "../../model/runtime-alert.js";
import type { RuntimeSource } from "../../model/runtime-alert.js";
import { isRuntimeSource } from "../adapters/runtime-adapter.registry.js";
import type { RuntimeConfig, SourceAuth } from "../runtime-config.js";
import { HmacVerifier, verifyBearer } from "./ingest-auth.js";
import { BodyFormatError, recordsOfBody, type BodyFormat } from "./json-records.js";
import type { RuntimeIntake } from "./runtime-intake.service.js";

export interface IngestRouteDeps {
  intake: RuntimeIntake;
  /** The parsed `runtime` config section: enabled sources with their auth, and intake limits. */
  config: Pick<RuntimeConfig, "sources" | "intake">;
  /** Route prefix; default none (routes at /ingest/:source). */
  prefix?: string;
}

interface ErrorBody {
  error: string;
  message: string;
  fix: string;
  [extra: string]: unknown;
}

function sendError(reply: FastifyReply, status: number, error: string, message: string, fix: string, extra: Record<string, unknown> = {}): FastifyReply {
  const body: ErrorBody = { error, message, fix, ...extra };
  return reply.code(status).type("application/json").send(body);
}

function formatOf(contentType: string | undefined): BodyFormat | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type === "" || type === "text/json") return "json";
  if (type === "application/x-ndjson" || type === "application/ndjson" || type === "application/jsonl" || type === "application/x-jsonlines" || type === "application/jsonlines") return "ndjson";
  if (type === "text/plain") return "ndjson";
  return null;
}

type IngestRequest = FastifyRequest<{ Params: { source: string } }>;

const recordErrorSchema = {
  type: "object",
  properties: { index: { type: "integer" }, field: { type: "string" }, error: { type: "string" } },
  required: ["index", "field", "error"],
} as const;

/** Route schema: the body is raw bytes (parsed and checked per record by the adapters); answers are typed. */
const INGEST_ROUTE_SCHEMA = {
  params: { type: "object", properties: { source: { type: "string", maxLength: 64 } }, required: ["source"] },
  response: {
    202: {
      type: "object",
      properties: { accepted: { type: "integer" }, rejected: { type: "integer" }, ids: { type: "array", items: { type: "string" } } },
      required: ["accepted", "rejected", "ids"],
    },
    207: {
      type: "object",
      properties: {
        accepted: { type: "integer" },
        rejected: { type: "integer" },
        ids: { type: "array", items: { type: "string" } },
        errors: { type: "array", items: recordErrorSchema },
        message: { type: "string" },
      },
      required: ["accepted", "rejected", "ids", "errors", "message"],
    },
  },
} as const;

/**
 * `POST /ingest/:source` (or PUT): one JSON alert, a JSON array, or NDJSON. Authenticates per source (bearer
 * before the body is read, HMAC over the raw bytes), adapts every record, persists the accepted ones
 * (group commit) and only then answers: 202 all accepted, 207 some rejected (each by index and
 * field), 422 none accepted. Encapsulated: its body parser and error handler touch no other route.
 */
export async function registerIngestRoutes(app: FastifyInstance, deps: IngestRouteDeps): Promise<void> {
  const hmacVerifier = new HmacVerifier();
  const limits = deps.config.intake;
  const enabled = new Map<RuntimeSource, SourceAuth>();
  for (const source of RUNTIME_SOURCES) {
    const settings = deps.config.sources[source];
    if (settings && settings.enabled !== false) enabled.set(source, settings.auth);
  }

  await app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      // Keep the raw bytes: HMAC is computed over them, and our own parser handles JSON and NDJSON safely.
      scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: limits.bodyLimitBytes }, (_req, body, done) => done(null, body));

      scope.setErrorHandler((error: FastifyError, _request, reply) => {
        if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE" || error.statusCode === 413) {
          return sendError(reply, 413, "body_too_large", `The request body is larger than the intake limit of ${limits.bodyLimitBytes} bytes.`, "Send smaller batches (split the NDJSON or array), or raise runtime.intake.bodyLimitBytes.");
        }
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status < 500) return sendError(reply, status, "bad_request", `The request could not be read: ${error.message}.`, "Check the Content-Type and body of the request.");
        scope.log.error({ err: error }, "runtime intake failed");
        return sendError(reply, 503, "store_unavailable", "The alert could not be stored, so it was NOT accepted.", "Retry the request; if it keeps failing, check the wizbridge store (disk space, file permissions) and its logs.");
      });

      scope.addHook("onRequest", async (request: IngestRequest, reply) => {
        const source = request.params.source;
        if (!isRuntimeSource(source)) {
          return sendError(reply, 404, "unknown_source", `There is no runtime source named "${source.slice(0, 60)}".`, `Post to /ingest/<source> with one of: ${RUNTIME_SOURCES.join(", ")}.`, { knownSources: RUNTIME_SOURCES });
        }
        const auth = enabled.get(source);
        if (!auth) {
          return sendError(reply, 404, "source_not_enabled", `The runtime source "${source}" is not enabled on this receiver.`, `Enable it under runtime.sources.${source} (with its auth) in the config. Enabled now: ${[...enabled.keys()].join(", ") || "none"}.`, {
            knownSources: RUNTIME_SOURCES,
            enabledSources: [...enabled.keys()],
          });
        }
        const verdict = verifyBearer(auth, request.headers.authorization, source);
        if (!verdict.ok) {
          void reply.header("www-authenticate", 'Bearer realm="wizbridge-ingest"');
          return sendError(reply, 401, "unauthorized", `Authentication failed: ${verdict.problem}.`, verdict.fix);
        }
        return undefined;
      });

      // PUT too: falcosidekick's webhook output can be set to either method.
      const handler = async (request: IngestRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const source = request.params.source as RuntimeSource;
        const auth = enabled.get(source) as SourceAuth;
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const hmac = hmacVerifier.verify(auth, request.headers, body, source);
        if (!hmac.ok) return sendError(reply, 401, "unauthorized", `Authentication failed: ${hmac.problem}.`, hmac.fix);
        const format = formatOf(request.headers["content-type"]);
        if (!format) {
          return sendError(reply, 415, "unsupported_media_type", `Content-Type ${String(request.headers["content-type"]).slice(0, 80)} is not accepted.`, "Use application/json (one object or an array) or application/x-ndjson (one object per line).");
        }
        let parsed;
        try {
          parsed = recordsOfBody(body.toString("utf8"), format, { maxDepth: limits.maxDepth, maxRecords: limits.maxRecordsPerRequest });
        } catch (error) {
          if (error instanceof BodyFormatError) return sendError(reply, 400, "malformed_body", `The request body could not be read: ${error.problem}.`, error.fix);
          throw error;
        }
        if (parsed.records.length + parsed.problems.length === 0) {
          return sendError(reply, 400, "empty_body", "The request holds no alert.", "Send one JSON object, a JSON array of objects, or NDJSON lines.");
        }
        const outcome = await deps.intake.accept(source, parsed.records, parsed.problems);
        const ids = outcome.results.flatMap((r) => (r.status === "accepted" ? [r.id] : []));
        const errors = outcome.results.flatMap((r) => (r.status === "rejected" ? [{ index: r.index, field: r.field, error: r.error }] : []));
        if (outcome.rejected === 0) return reply.code(202).send({ accepted: outcome.accepted, rejected: 0, ids });
        const first = errors[0];
        const message = `${outcome.rejected} of ${outcome.results.length} record(s) rejected${first ? `; record ${first.index}, field ${first.field}: ${first.error}` : ""}`;
        if (outcome.accepted === 0) {
          return sendError(reply, 422, "invalid_alert", message, "Fix the named field(s) and resend the rejected records; nothing from this request was stored.", { accepted: 0, rejected: outcome.rejected, ids, errors });
        }
        return reply.code(207).send({ accepted: outcome.accepted, rejected: outcome.rejected, ids, errors, message: `${message}. The other records were stored; resend only the rejected ones.` });
      };
      scope.route({ method: ["POST", "PUT"], url: "/ingest/:source", bodyLimit: limits.bodyLimitBytes, schema: INGEST_ROUTE_SCHEMA, handler });
    },
    { prefix: deps.prefix ?? "" },
  );
}
