import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ExecutionResult, GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { SimClock } from "../clock.js";
import type { FaultPlan, FaultSpec } from "../faults/fault-plan.js";
import type { DocumentCache } from "../graphql/document-cache.js";
import { prepareOperation, readRequestBody, runOperation } from "../graphql/execute-request.js";
import type { SimContext } from "../graphql/sim-context.js";
import type { AuthFlavor, TokenIssuer } from "../oauth/token-issuer.js";
import { answerTokenRequest } from "../oauth/token-endpoint.js";
import type { UploadService } from "../upload/upload-service.js";
import type { TenantRateLimiter } from "./rate-limiter.js";
import type { RequestLog, RequestLogEntry } from "./request-log.js";

export interface SimServerDeps {
  schema: GraphQLSchema;
  documents: DocumentCache;
  tokens: TokenIssuer;
  authFlavor: AuthFlavor;
  rateLimiter: TenantRateLimiter;
  faults: FaultPlan;
  log: RequestLog;
  clock: SimClock;
  uploads: UploadService;
  /** Builds the per-request GraphQL context for an authenticated service account. */
  context(account: { id: string; name: string; scopes: readonly string[] }): SimContext;
  /** Admin API (`/_sim/*`): clock, faults, request log. Off unless asked for, since it has no auth. */
  admin?: (request: IncomingMessage, body: string) => Promise<{ status: number; body: unknown } | undefined>;
  logger: Logger;
  maxBodyBytes?: number;
  /** More Prometheus lines for /metrics (tenant sizes, uploads...). */
  extraMetrics?: () => string;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** The simulator's HTTP front: token endpoint, GraphQL endpoint, presigned upload target and admin API. */
export function createSimServer(deps: SimServerDeps): Server {
  const server = createServer((request, response) => {
    void handle(deps, request, response).catch((error: unknown) => {
      deps.logger.error({ err: error }, "simulator request failed");
      if (!response.headersSent) send(response, { status: 500, body: JSON.stringify({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL" } }] }) });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(deps: SimServerDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(request.url ?? "/", "http://sim.local");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const tracker = deps.log.start();
  const entry: Omit<RequestLogEntry, "seq" | "concurrency"> = {
    startedAt: started,
    simTime: deps.clock.now(),
    durationMs: 0,
    method: request.method ?? "GET",
    path,
    status: 0,
    userAgent: request.headers["user-agent"],
    contentType: request.headers["content-type"],
  };
  const finish = (reply: Reply | "dropped"): void => {
    entry.durationMs = Date.now() - started;
    entry.status = reply === "dropped" ? 0 : reply.status;
    tracker.finish(entry);
  };

  let body: Buffer;
  try {
    body = await readBody(request, deps.maxBodyBytes ?? 64 * 1024 * 1024);
  } catch (error) {
    const reply = jsonReply(413, { errors: [{ message: (error as Error).message, extensions: { code: "BAD_USER_INPUT" } }] });
    send(response, reply);
    finish(reply);
    return;
  }

  if (path === "/metrics" && request.method === "GET") {
    const reply: Reply = { status: 200, headers: { "content-type": "text/plain; version=0.0.4" }, body: `${deps.log.metrics()}${deps.extraMetrics?.() ?? ""}` };
    send(response, reply);
    finish(reply);
    return;
  }

  if (path.startsWith("/_sim/") && deps.admin) {
    const answer = await deps.admin(request, body.toString("utf8"));
    const reply = answer ? jsonReply(answer.status, answer.body) : jsonReply(404, { error: `No admin route ${request.method} ${path}` });
    send(response, reply);
    finish(reply);
    return;
  }

  const faultPath = path.startsWith("/upload/") ? "/upload" : path;
  const faults = path === "/graphql" ? [] : deps.faults.take({ path: faultPath });
  if (path !== "/graphql" && (await applyTransportFaults(faults, response, finish, entry))) return;

  if (path === "/oauth/token" && request.method === "POST") {
    const answer = answerTokenRequest(deps.tokens, { body: body.toString("utf8"), contentType: request.headers["content-type"], host: request.headers.host }, deps.authFlavor);
    const reply = jsonReply(answer.status, answer.body);
    entry.clientId = new URLSearchParams(body.toString("utf8")).get("client_id") ?? undefined;
    sendWithFaults(response, reply, faults);
    finish(reply);
    return;
  }

  if (path.startsWith("/upload/") && request.method === "PUT") {
    const uploadId = decodeURIComponent(path.slice("/upload/".length));
    const result = deps.uploads.acceptPut(uploadId, url.searchParams, body, request.headers["content-type"]);
    const reply: Reply = { status: result.status, headers: { "content-type": result.contentType, ...(result.etag ? { etag: result.etag } : {}) }, body: result.body };
    send(response, reply);
    finish(reply);
    return;
  }

  if (path === "/graphql") {
    if (request.method !== "POST") {
      const reply = jsonReply(405, { errors: [{ message: "Use POST /graphql with a JSON body.", extensions: { code: "BAD_REQUEST" } }] });
      send(response, reply);
      finish(reply);
      return;
    }
    await handleGraphQL(deps, request, body.toString("utf8"), response, entry, finish);
    return;
  }

  const reply = jsonReply(404, { error: `Nothing is served at ${request.method} ${path}. Endpoints: POST /oauth/token, POST /graphql, PUT /upload/<id>, GET /metrics.` });
  send(response, reply);
  finish(reply);
}

async function handleGraphQL(
  deps: SimServerDeps,
  request: IncomingMessage,
  raw: string,
  response: ServerResponse,
  entry: Omit<RequestLogEntry, "seq" | "concurrency">,
  finish: (reply: Reply | "dropped") => void,
): Promise<void> {
  const parsed = readRequestBody(raw);
  const prepared = typeof parsed === "string" ? undefined : prepareOperation(deps.documents, parsed);
  if (typeof parsed !== "string") {
    entry.variables = parsed.variables;
    if (prepared?.ok) {
      entry.operationName = prepared.prepared.operationName;
      entry.rootFields = prepared.prepared.rootFields;
    }
  }
  const faults = deps.faults.take({ path: "/graphql", rootFields: entry.rootFields, operationName: entry.operationName });
  if (faults.length > 0) entry.fault = faults.map((f) => f.kind).join(",");
  for (const fault of faults) {
    if (fault.kind === "revoke-tokens") deps.tokens.revokeAll();
    if (fault.kind === "expire-tokens") deps.tokens.expireAll();
  }
  if (await applyTransportFaults(faults, response, finish, entry)) return;

  const auth = deps.tokens.check(request.headers.authorization);
  if (!auth.ok) {
    const reply = jsonReply(401, { errors: [{ message: unauthenticatedMessage(auth.reason), extensions: { code: "UNAUTHENTICATED" } }] });
    reply.headers = { ...reply.headers, "www-authenticate": `Bearer error="invalid_token"` };
    sendWithFaults(response, reply, faults);
    finish(reply);
    return;
  }
  entry.clientId = auth.account.clientId;
  entry.tokenId = auth.claims.jti;

  const throttled = faults.some((f) => f.kind === "rate-limit") ? { allowed: false as const, retryAfterMs: 1000 } : deps.rateLimiter.take();
  if (!throttled.allowed) {
    const retryAfter = Math.max(1, Math.ceil(throttled.retryAfterMs / 1000));
    const error = { message: "Rate limit exceeded, retry later", extensions: { code: "RATE_LIMIT_EXCEEDED", retryAfter } };
    const reply =
      deps.rateLimiter.mode === "http429"
        ? { ...jsonReply(429, { errors: [error] }), headers: { "content-type": JSON_TYPE, "retry-after": String(retryAfter) } }
        : jsonReply(200, { data: null, errors: [error] });
    entry.errorCodes = ["RATE_LIMIT_EXCEEDED"];
    send(response, reply);
    finish(reply);
    return;
  }

  if (typeof parsed === "string") {
    const reply = jsonReply(400, { errors: [{ message: parsed, extensions: { code: "BAD_REQUEST" } }] });
    send(response, reply);
    finish(reply);
    return;
  }
  const fixed = faults.find((f): f is Extract<FaultSpec, { kind: "latency" }> => f.kind === "latency");
  if (fixed?.fixedMs) await delay(fixed.fixedMs);

  let result: ExecutionResult;
  const drift = faults.find((f): f is Extract<FaultSpec, { kind: "schema-drift" }> => f.kind === "schema-drift");
  const injected = faults.find((f): f is Extract<FaultSpec, { kind: "graphql-error" }> => f.kind === "graphql-error");
  let nodes = 0;
  if (!prepared || !prepared.ok) {
    result = prepared?.result ?? { errors: [] };
  } else if (drift) {
    const field = drift.field ?? prepared.prepared.rootFields[0] ?? "nodes";
    result = { errors: [{ message: `Cannot query field "${field}" on type "${drift.type ?? "Query"}".`, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } } as never] };
  } else if (injected) {
    result = { data: null, errors: [{ message: injected.message ?? "Internal server error", extensions: { code: injected.code ?? "INTERNAL" } } as never] };
  } else {
    const context = deps.context({ id: auth.account.clientId, name: auth.account.name, scopes: auth.account.scopes });
    context.repeatCursor = faults.some((f) => f.kind === "repeat-cursor");
    result = await runOperation(deps.schema, deps.documents, prepared.prepared, parsed, context);
    nodes = context.nodes;
    for (const error of result.errors ?? []) {
      if (error.extensions?.code !== "INTERNAL") continue;
      const { path, type, value } = error.extensions;
      // The same cause the client gets (path, GraphQL type, value), so the simulator's own log says which record field failed.
      deps.logger.error({ err: error.originalError ?? error, rootFields: entry.rootFields, path, type, value }, `could not serve ${String(path ?? "a field")}: ${error.message}`);
    }
  }
  if (fixed?.perNodeMs && nodes > 0) await delay(fixed.perNodeMs * nodes);
  const codes = (result.errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL"));
  if (codes.length > 0) entry.errorCodes = codes;
  const reply = jsonReply(200, result);
  sendWithFaults(response, reply, faults);
  finish(reply);
}

function unauthenticatedMessage(reason: string): string {
  switch (reason) {
    case "missing":
      return "Unauthenticated: send Authorization: Bearer <access_token> from the token endpoint.";
    case "expired":
      return "Unauthenticated: the access token has expired; request a new one from the token endpoint.";
    case "revoked":
      return "Unauthenticated: the access token was revoked (service account rotated or deleted); request a new one.";
    default:
      return "Unauthenticated: the access token is not valid for this tenant; request a new one from this tenant's token endpoint.";
  }
}

/** Applies faults that replace the whole response; true when the response is already dealt with. */
async function applyTransportFaults(
  faults: readonly FaultSpec[],
  response: ServerResponse,
  finish: (reply: Reply | "dropped") => void,
  entry: Omit<RequestLogEntry, "seq" | "concurrency">,
): Promise<boolean> {
  if (faults.length > 0) entry.fault = faults.map((f) => f.kind).join(",");
  const latency = faults.find((f): f is Extract<FaultSpec, { kind: "latency" }> => f.kind === "latency");
  if (entry.path !== "/graphql" && latency?.fixedMs) await delay(latency.fixedMs);
  if (faults.some((f) => f.kind === "drop-connection")) {
    response.socket?.destroy();
    finish("dropped");
    return true;
  }
  const httpError = faults.find((f): f is Extract<FaultSpec, { kind: "http-error" }> => f.kind === "http-error");
  if (httpError) {
    const status = httpError.status ?? 503;
    // Gateways answer 5xx with an HTML or plain body, not GraphQL JSON.
    const reply: Reply = { status, headers: { "content-type": "text/html" }, body: `<html><body><h1>${status} ${httpReason(status)}</h1></body></html>` };
    send(response, reply);
    finish(reply);
    return true;
  }
  return false;
}

function httpReason(status: number): string {
  return { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" }[status] ?? "Error";
}

function sendWithFaults(response: ServerResponse, reply: Reply, faults: readonly FaultSpec[]): void {
  if (faults.some((f) => f.kind === "malformed-json")) {
    // A body cut mid-way, as a proxy that drops the tail would leave it.
    send(response, { ...reply, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) });
    return;
  }
  send(response, reply);
}

function jsonReply(status: number, payload: unknown): Reply {
  return { status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(payload) };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { "content-length": Buffer.byteLength(reply.body), ...reply.headers });
  response.end(reply.body);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error(`Request body larger than ${limit} bytes.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function serverAddress(server: Server): { host: string; port: number } {
  const address = server.address() as AddressInfo;
  return { host: address.address, port: address.port };
}
