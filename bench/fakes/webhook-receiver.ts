import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { gunzip as gunzipCallback } from "node:zlib";
import { DEFAULT_SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "../../src/sinks/webhook/webhook-signature.js";

const gunzip = promisify(gunzipCallback);

export interface WebhookReceiverOptions {
  /** Verify `t=...,v1=...` signatures with this secret; requests without a valid one get 401. */
  signingSecret?: string;
  signatureHeader?: string;
  toleranceSeconds?: number;
  auth?: { type: "bearer"; token: string } | { type: "basic"; username: string; password: string };
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The path that accepts POSTs (others answer 404). Default /events. */
  path?: string;
  /** Keep every parsed event (default) or only the ids (a bench of 100,000 events). */
  keep?: "events" | "ids";
  /** Keep each request's headers and decoded body (default true; off for the bench). */
  recordRequests?: boolean;
  now?: () => number;
}

export interface ReceivedRequest {
  headers: IncomingMessage["headers"];
  /** The body as it arrived (gzip bytes when gzipped). */
  raw: Buffer;
  /** The body after gunzip. */
  decoded: Buffer;
  status: number;
}

interface Failure {
  status: number;
  retryAfter?: string;
  body?: string;
}

/**
 * A webhook receiver for tests and the bench, on 127.0.0.1 port 0: checks auth and the signature, gunzips,
 * reads a JSON array or NDJSON (by content type), stores events by id, and fails in scripted ways.
 * A request holding an event with a refused marker is refused whole (422), as strict receivers do.
 */
export class WebhookReceiver {
  /** Events by id (the last copy received). */
  readonly events = new Map<string, unknown>();
  readonly ids = new Set<string>();
  readonly requests: ReceivedRequest[] = [];
  /** Events received again after they were stored (redeliveries). */
  duplicates = 0;
  requestCount = 0;
  /** One entry per coming request that gets this far: a failure, or undefined to let it through. */
  private scriptedFailures: Array<Failure | undefined> = [];
  private always: Failure | undefined;
  private readonly refusedMarkers = new Map<string, number>();
  private delayMs = 0;
  private location: string | undefined;

  private readonly server: Server;
  private address = "";

  private constructor(private readonly options: WebhookReceiverOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`receiver failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    };
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(options);
    await new Promise<void>((resolve, reject) => {
      receiver.server.once("error", reject);
      receiver.server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = receiver.server.address() as AddressInfo;
    receiver.address = `${options.tls ? "https" : "http"}://127.0.0.1:${port}${options.path ?? "/events"}`;
    return receiver;
  }

  /** Where to POST: http(s)://127.0.0.1:<port>/events. */
  get url(): string {
    return this.address;
  }

  /** Distinct event ids received. */
  get distinct(): number {
    return this.ids.size;
  }

  /**
   * The next `count` requests (after letting `after` through) answer `status` (503 by default), with
   * Retry-After when given. Counted among requests that pass auth and the signature check.
   */
  failNext(count: number, failure: { status?: number; retryAfter?: string; body?: string; after?: number } = {}): void {
    for (let i = 0; i < (failure.after ?? 0); i += 1) this.scriptedFailures.push(undefined);
    for (let i = 0; i < count; i += 1) this.scriptedFailures.push({ status: failure.status ?? 503, retryAfter: failure.retryAfter, body: failure.body });
  }

  /** Every request answers this (401, 404, 301...) until cleared with undefined. */
  answerAlways(failure: { status: number; body?: string; location?: string } | undefined): void {
    this.always = failure;
    this.location = failure?.location;
  }

  /** A request holding an event whose JSON text contains `marker` is refused with `status` (422). */
  refuseEventsContaining(marker: string, status = 422): void {
    this.refusedMarkers.set(marker, status);
  }

  /** Every answer waits this long first (a slow receiver). */
  slowDown(ms: number): void {
    this.delayMs = ms;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount += 1;
    const raw = await readAll(req);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const answer = (status: number, body: string, headers: Record<string, string> = {}, decoded: Buffer = raw): void => {
      if (this.options.recordRequests !== false) this.requests.push({ headers: req.headers, raw, decoded, status });
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(body);
    };
    const url = new URL(req.url ?? "/", "http://receiver");
    // What a receiver in another process (the bench's) holds, for the side that counts.
    if (url.pathname === "/_stats" && req.method === "GET") return answer(200, JSON.stringify({ distinct: this.distinct, duplicates: this.duplicates, requests: this.requestCount, cpuMs: cpuMs() }), { "content-type": "application/json" });
    if (url.pathname !== (this.options.path ?? "/events")) return answer(404, `no route for ${url.pathname}`);
    if (req.method !== "POST") return answer(405, "POST only");
    if (this.always) return answer(this.always.status, this.always.body ?? `scripted ${this.always.status}`, this.location ? { location: this.location } : {});
    const authProblem = this.checkAuth(req.headers.authorization);
    if (authProblem) return answer(401, authProblem, { "www-authenticate": this.options.auth?.type === "basic" ? "Basic" : "Bearer" });
    let decoded = raw;
    if (req.headers["content-encoding"] === "gzip") {
      try {
        decoded = await gunzip(raw);
      } catch {
        return answer(400, "the body is not valid gzip");
      }
    } else if (req.headers["content-encoding"] !== undefined) return answer(415, `unsupported content-encoding ${req.headers["content-encoding"]}`);
    if (this.options.signingSecret !== undefined) {
      const name = (this.options.signatureHeader ?? DEFAULT_SIGNATURE_HEADER).toLowerCase();
      const check = verifyWebhookSignature(this.options.signingSecret, req.headers[name], decoded, (this.options.now ?? Date.now)(), this.options.toleranceSeconds);
      if (!check.ok) return answer(401, `signature refused: ${check.reason}`, {}, decoded);
      if (req.headers[TIMESTAMP_HEADER.toLowerCase()] !== String(check.timestamp)) return answer(401, `${TIMESTAMP_HEADER} differs from the signed timestamp`, {}, decoded);
    }
    const failure = this.scriptedFailures.shift();
    if (failure) return answer(failure.status, failure.body ?? `scripted ${failure.status}`, failure.retryAfter !== undefined ? { "retry-after": failure.retryAfter } : {}, decoded);
    let events: unknown[];
    try {
      events = parseEvents(decoded, req.headers["content-type"] ?? "");
    } catch (error) {
      return answer(400, `cannot read the body: ${error instanceof Error ? error.message : String(error)}`, {}, decoded);
    }
    for (const [marker, status] of this.refusedMarkers) {
      const refused = events.filter((e) => JSON.stringify(e).includes(marker)).map(idOf);
      if (refused.length > 0) return answer(status, `refused events ${refused.join(", ")}: they contain ${marker}`, {}, decoded);
    }
    for (const event of events) {
      const id = idOf(event);
      if (this.ids.has(id)) this.duplicates += 1;
      else this.ids.add(id);
      if (this.options.keep !== "ids") this.events.set(id, event);
    }
    answer(200, JSON.stringify({ received: events.length }), { "content-type": "application/json" }, decoded);
  }

  private checkAuth(header: string | undefined): string | undefined {
    const auth = this.options.auth;
    if (!auth) return undefined;
    const expected = auth.type === "bearer" ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
    return header === expected ? undefined : header === undefined ? "no Authorization header" : "wrong credentials";
  }
}

function parseEvents(body: Buffer, contentType: string): unknown[] {
  const text = body.toString("utf8");
  if (contentType.startsWith("application/x-ndjson")) {
    if (text.length > 0 && !text.endsWith("\n")) throw new Error("NDJSON must end each line with \\n");
    return text.split("\n").slice(0, -1).map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`line ${i + 1} is not JSON`);
      }
    });
  }
  if (!contentType.startsWith("application/json")) throw new Error(`unexpected content-type ${contentType}`);
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error("expected a JSON array of events");
  return parsed;
}

function idOf(event: unknown): string {
  const id = (event as { id?: unknown } | null)?.id;
  if (typeof id !== "string") throw new Error("an event has no string id");
  return id;
}

/** CPU time this process has used (the receiver's share of a bench run). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `node webhook-receiver.js '<options JSON>'`: the receiver in a process of its own (the bench runs the
 * receiver beside the sink, as a real one would be); prints `listening <url>`, counts at GET /_stats.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? "{}") as WebhookReceiverOptions;
  WebhookReceiver.start(options).then(
    (receiver) => {
      process.stdout.write(`listening ${receiver.url}\n`);
      process.once("SIGTERM", () => void receiver.close().then(() => process.exit(0)));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
