import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { ApiAuth } from "./auth/api-auth.js";

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** Route plugins (webhook receiver, runtime intake, API), each registered in its own encapsulated context. */
  plugins: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
  /** Prometheus text for GET /metrics. */
  metrics: () => Promise<string>;
  /** Largest request body accepted, in bytes (default 1 MiB; a larger one gets 413). */
  bodyLimit?: number;
  /** Token check for /metrics (and the API plugins); without it /metrics is open (bare workers on loopback). */
  auth?: ApiAuth;
  /** /metrics without a token (server.metricsPublic). */
  metricsPublic?: boolean;
  /** /readyz: undefined when ready, else what is wrong (the store is not writable...). */
  readiness?: () => Promise<string | undefined>;
  /** Slow or stalled request bodies are cut off after this long (default 30 s; server.requestTimeoutMs). */
  requestTimeoutMs?: number;
}

export interface HttpServer {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  close(): Promise<void>;
}

/** Builds the main job's HTTP app (not listening): tests drive it with inject(). */
export async function buildHttpApp(options: Omit<HttpServerOptions, "host" | "port">): Promise<FastifyInstance> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    loggerInstance: options.logger.child({ component: "http" }) as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A client that trickles a body (or never finishes one) holds a socket; cut it off.
    requestTimeout: requestTimeoutMs,
    // Node only enforces the timeout when the server is constructed with it (Fastify sets it afterwards, which Node
    // 20 ignores for bodies), and checks every 30 s by default: a shorter timeout needs checks at least that often.
    http: { requestTimeout: requestTimeoutMs, headersTimeout: Math.min(60_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeoutMs / 4))) },
    // Webhooks and sensors post many requests a second: one log line each would drown the engine's own lines.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Open, and say nothing about data: for load balancers and supervisors.
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const problem = await options.readiness?.();
    return problem ? reply.code(503).send({ status: "not ready", reason: problem }) : reply.send({ status: "ready" });
  });
  const metricsGuard = options.auth && !options.metricsPublic ? { preHandler: options.auth.require("viewer") } : {};
  app.get("/metrics", metricsGuard, async (_request, reply) => reply.type("text/plain; version=0.0.4").send(await options.metrics()));
  for (const plugin of options.plugins) await app.register(plugin);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: "not_found", message: `Nothing is served at ${request.method} ${request.url}. Endpoints: POST /webhooks/wiz/<connector>, GET /metrics, GET /healthz, GET /readyz, /api/... and /mcp (bearer token); with a runtime section, POST /ingest/<source> and GET /api/runtime/alerts/<id>.` }),
  );
  return app;
}

/** Starts the main job's HTTP server on host:port. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = await buildHttpApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = address !== null && typeof address === "object" ? address.port : options.port;
  return { app, url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`, close: () => app.close() };
}
