import { lookup } from "node:dns/promises";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { Logger } from "pino";
import { Agent, request, type Dispatcher } from "undici";
import { packageVersion } from "../../version.js";
import { ANSWER_DRAIN_LIMIT, readAnswerHead } from "../http-answer-head.js";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { retryAfterMs, sinkTestRecord, tlsConnectionOptions } from "../sink-settings.js";
import { encodeWebhookBody, WEBHOOK_CONTENT_TYPE, type WebhookFormat } from "./webhook-body.js";
import { explainConfigurationStatus, explainNetworkFailure, isRetryableStatus } from "./webhook-failure.js";
import { DEFAULT_SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from "./webhook-signature.js";
import type { WebhookSinkSettings } from "./webhook.sink-type.js";
import { isLoopbackHost, webhookOrigin } from "./webhook-url.js";

const gzip = promisify(gzipCallback);

export const WEBHOOK_TIMEOUT_DEFAULTS = Object.freeze({ connect: 10_000, headers: 30_000, body: 30_000 });
/** Characters of the receiver's answer kept as a refusal reason (the dead-letter table shows it). */
const REASON_CHARS = 500;
/** Bytes of an error answer read; the rest is drained (so the connection is kept) up to ANSWER_DRAIN_LIMIT. */
const ANSWER_HEAD_BYTES = 4096;

/** What one POST came to: delivered, refused (a 4xx the events themselves caused), or failed (retry the batch). */
type PostOutcome = { kind: "delivered"; status: number } | { kind: "refused"; status: number; reason: string } | { kind: "failed"; status?: number; error: Error; detail: string; fix: string };

/**
 * POSTs each batch to an HTTP(S) receiver as one JSON array (or NDJSON body), over one keep-alive undici
 * Agent per sink.
 *
 * Guarantee: at-least-once. A batch counts as delivered only when the receiver answered 2xx to a request
 * that held it: a 2xx is the receiver's statement that it has the events. A crash after the 2xx and before
 * the outbox acknowledgement, a timeout after the receiver took the body, or a retry after a bisection half
 * was accepted sends events again, so a receiver can see an event twice: every event carries its
 * deterministic `id` for the receiver to drop repeats. Within a batch the order is kept (bisection sends the
 * first half before the second).
 *
 * Per-item refusals: a 4xx (other than 401/403/407, 404/405/410 and redirects, which are set-up errors) on a
 * batch of several events splits it in halves, recursively, until each refused event is alone; those go
 * to the dead-letter table with the receiver's status and answer, the rest are reported accepted.
 */
export class WebhookSink implements Sink {
  readonly guarantee = "at-least-once" as const;
  private readonly agent: Agent;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly url: string;
  private readonly origin: string;
  private readonly format: WebhookFormat;
  /** Headers every request carries (content type, auth, custom): built once. */
  private readonly baseHeaders: Readonly<Record<string, string>>;
  private readonly signatureHeader: string;
  /** Secret values scrubbed from anything the receiver says before it reaches an error, a log or the DLQ. */
  private readonly secrets: readonly string[];
  private readonly tls: ConnectionOptions | undefined;
  private readonly connectTimeoutMs: number;

  constructor(
    readonly id: string,
    private readonly settings: WebhookSinkSettings,
    context: SinkContext,
  ) {
    this.logger = context.logger;
    this.now = context.now;
    this.url = settings.url;
    this.origin = webhookOrigin(settings.url);
    this.format = settings.format ?? "json-array";
    const parsed = new URL(settings.url);
    const https = parsed.protocol === "https:";
    if (!https && !isLoopbackHost(parsed.hostname)) {
      this.logger.warn(
        { sink: id, receiver: this.origin },
        `sink ${id} sends events over plain http to ${this.origin}: anyone on the network path can read them${settings.auth ? " and the credentials" : ""}. Use an https:// url.`,
      );
    }
    this.tls = https ? tlsConnectionOptions(id, settings.tls, this.logger, context.baseDir) : undefined;
    const timeouts = typeof settings.timeoutMs === "number" ? { connect: settings.timeoutMs, headers: settings.timeoutMs, body: settings.timeoutMs } : { ...WEBHOOK_TIMEOUT_DEFAULTS, ...settings.timeoutMs };
    this.connectTimeoutMs = timeouts.connect;
    this.agent = new Agent({
      connect: { timeout: timeouts.connect, ...this.tls },
      headersTimeout: timeouts.headers,
      bodyTimeout: timeouts.body,
      // Batches follow each other closely: keep sockets for the next one rather than reconnecting.
      keepAliveTimeout: 30_000,
    });

    const secrets: string[] = [];
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(settings.headers ?? {})) {
      headers[name.toLowerCase()] = value;
      // Short values ("1", "json") are not secrets, and scrubbing them would garble the receiver's answers.
      if (value.length >= 8) secrets.push(value);
    }
    headers["content-type"] = `${WEBHOOK_CONTENT_TYPE[this.format]}; charset=utf-8`;
    headers["user-agent"] ??= `wizbridge/${packageVersion()}`;
    if (settings.auth?.type === "bearer") {
      headers.authorization = `Bearer ${settings.auth.token}`;
      secrets.push(settings.auth.token);
    } else if (settings.auth?.type === "basic") {
      const encoded = Buffer.from(`${settings.auth.username}:${settings.auth.password}`, "utf8").toString("base64");
      headers.authorization = `Basic ${encoded}`;
      secrets.push(settings.auth.password, encoded);
    }
    if (settings.signing) secrets.push(settings.signing.secret);
    if (settings.gzip) headers["content-encoding"] = "gzip";
    this.baseHeaders = Object.freeze(headers);
    this.signatureHeader = (settings.signing?.header ?? DEFAULT_SIGNATURE_HEADER).toLowerCase();
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const rejected = new Map<string, string>();
    const accepted = new Set<string>();
    try {
      await this.deliver(batch, rejected, accepted);
    } catch (error) {
      // Refusals already isolated are reported (and the accepted halves kept) even when a later half failed:
      // the dispatcher dead-letters them and writes the rest again.
      if (rejected.size > 0) throw new SinkRejectedError(rejected, accepted);
      throw error;
    }
    if (rejected.size > 0) {
      this.logger.warn({ sink: this.id, receiver: this.origin, refused: rejected.size, batch: batch.length }, "the receiver refused some events for good; they go to the dead-letter table with its answer");
      throw new SinkRejectedError(rejected, accepted);
    }
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    const parsed = new URL(this.url);
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
    if (isIP(host) === 0) {
      try {
        const address = await lookup(host);
        steps.push({ step: "resolve host", ok: true, detail: `${host} is ${address.address}` });
      } catch (error) {
        const explained = explainNetworkFailure(error);
        steps.push({ step: "resolve host", ok: false, detail: explained.what, fix: explained.fix });
        return steps;
      }
    }
    const connectStep = parsed.protocol === "https:" ? "connect (TCP + TLS handshake)" : "connect (TCP)";
    try {
      const detail = await this.probeConnection(host, port);
      steps.push({ step: connectStep, ok: true, detail: `connected to ${this.origin}${detail}` });
    } catch (error) {
      const explained = explainNetworkFailure(error);
      steps.push({ step: connectStep, ok: false, detail: this.scrub(explained.what), fix: explained.fix });
      return steps;
    }
    const record = sinkTestRecord(this.id, this.now());
    const outcome = await this.post([record]);
    const step = `authenticate and send a test event${this.settings.signing ? " (signed)" : ""}`;
    if (outcome.kind === "delivered") {
      steps.push({ step, ok: true, detail: `HTTP ${outcome.status}: the receiver accepted the marked test event ${record.eventId} (safe to delete there)` });
    } else if (outcome.kind === "refused") {
      steps.push({
        step,
        ok: false,
        detail: outcome.reason,
        fix: `the receiver refused the event itself: check that it expects ${this.format === "ndjson" ? "NDJSON (format: ndjson)" : "a JSON array (format: json-array)"} of wizbridge events${this.settings.gzip ? " and gzip bodies (gzip: true)" : ""}, and read its answer above.`,
      });
    } else {
      steps.push({ step, ok: false, detail: outcome.detail, fix: outcome.fix });
    }
    return steps;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Sends `records`; on a per-item refusal splits them in halves until each refused event is alone. */
  private async deliver(records: readonly SinkRecord[], rejected: Map<string, string>, accepted: Set<string>): Promise<void> {
    const outcome = await this.post(records);
    if (outcome.kind === "delivered") {
      for (const r of records) accepted.add(r.eventId);
      return;
    }
    if (outcome.kind === "failed") throw outcome.error;
    if (records.length === 1) {
      rejected.set((records[0] as SinkRecord).eventId, outcome.reason);
      return;
    }
    const half = Math.ceil(records.length / 2);
    this.logger.debug({ sink: this.id, status: outcome.status, events: records.length }, "the receiver refused a batch; splitting it to isolate the refused events");
    await this.deliver(records.slice(0, half), rejected, accepted);
    await this.deliver(records.slice(half), rejected, accepted);
  }

  private async post(records: readonly SinkRecord[]): Promise<PostOutcome> {
    const body = encodeWebhookBody(records, this.format);
    const headers: Record<string, string> = { ...this.baseHeaders, "x-wizbridge-event-count": String(records.length) };
    if (this.settings.signing) {
      const t = Math.floor(this.now() / 1000);
      headers[this.signatureHeader] = webhookSignature(this.settings.signing.secret, body, t);
      headers[TIMESTAMP_HEADER.toLowerCase()] = String(t);
    }
    const sent = this.settings.gzip ? await gzip(body) : body;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.url, { method: "POST", headers, body: sent, dispatcher: this.agent });
    } catch (error) {
      const explained = explainNetworkFailure(error);
      const detail = `could not POST ${records.length} event(s) to ${this.origin}: ${this.scrub(explained.what)}`;
      return { kind: "failed", error: new SinkUnavailableError(`webhook sink ${this.id}: ${detail}. Fix: ${explained.fix}`, { cause: error }), detail, fix: explained.fix };
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      await response.body.dump({ limit: ANSWER_DRAIN_LIMIT }).catch(() => undefined);
      return { kind: "delivered", status };
    }
    const answer = this.scrub(await readAnswerText(response));
    const said = answer === "" ? "" : `; it said: ${answer.slice(0, 200)}`;
    const configuration = explainConfigurationStatus(status, safeLocation(header(response.headers, "location"), this.url));
    if (configuration) {
      const detail = `the receiver at ${this.origin} answered ${configuration.what}${said}`;
      return { kind: "failed", status, error: new Error(`webhook sink ${this.id}: ${detail}. Fix: ${configuration.fix}`), detail, fix: configuration.fix };
    }
    if (isRetryableStatus(status)) {
      const wait = retryAfterMs(header(response.headers, "retry-after"), this.now());
      const fix = status === 429 ? "the receiver is throttling: lower maxInFlight or raise batch.maxEvents; delivery retries after the wait it asked for." : "the receiver is down or overloaded; delivery retries with backoff (after Retry-After when it sends one).";
      const detail = `the receiver at ${this.origin} answered HTTP ${status}${wait !== undefined ? ` (Retry-After ${Math.round(wait / 1000)} s)` : ""}${said}`;
      return { kind: "failed", status, error: new SinkUnavailableError(`webhook sink ${this.id}: ${detail}. ${fix}`, { retryAfterMs: wait }), detail, fix };
    }
    if (status >= 400 && status < 500) {
      return { kind: "refused", status, reason: `HTTP ${status} from the receiver${answer === "" ? " (no answer body)" : `: ${answer.slice(0, REASON_CHARS)}`}` };
    }
    const fix = "the receiver answered with a status wizbridge does not expect from a webhook; check what answers at url.";
    const detail = `the receiver at ${this.origin} answered HTTP ${status}${said}`;
    return { kind: "failed", status, error: new Error(`webhook sink ${this.id}: ${detail}. Fix: ${fix}`), detail, fix };
  }

  /** Opens one connection (and completes the TLS handshake) with the sink's own TLS settings, then closes it. */
  private probeConnection(host: string, port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const https = new URL(this.url).protocol === "https:";
      const socket: Socket = https
        ? tlsConnect({ ...this.tls, host, port, ...(isIP(host) === 0 && this.tls?.servername === undefined ? { servername: host } : {}) })
        : netConnect({ host, port });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`no connection within ${this.connectTimeoutMs} ms`), { code: "UND_ERR_CONNECT_TIMEOUT" })), this.connectTimeoutMs);
      socket.once(https ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        const protocol = https ? ` (${(socket as unknown as { getProtocol(): string | null }).getProtocol() ?? "TLS"}, certificate verified${this.tls?.rejectUnauthorized === false ? " NOT: tls.insecureSkipVerify is on" : ""})` : "";
        socket.end();
        resolve(protocol);
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
    });
  }

  /** Replaces every configured secret value in text the receiver or the network produced. */
  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  }
}

/** The start of an error answer as one line of text; the rest is drained so the connection can be reused. */
async function readAnswerText(response: Dispatcher.ResponseData): Promise<string> {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await readAnswerHead(response, ANSWER_HEAD_BYTES));
  return text.replace(/\s+/g, " ").trim();
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A redirect target without its path and query (they may carry a token), resolved against the sink's URL. */
function safeLocation(location: string | undefined, base: string): string | undefined {
  if (location === undefined) return undefined;
  try {
    const url = new URL(location, base);
    const from = new URL(base);
    const path = url.pathname === from.pathname ? "the same path" : url.pathname.replace(/\/$/, "") === from.pathname.replace(/\/$/, "") ? "the path with a different trailing slash" : "another path";
    return `${url.origin} (${path})`;
  } catch {
    return undefined;
  }
}
