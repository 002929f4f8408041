import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { Logger } from "pino";
import { Agent, request, type Dispatcher } from "undici";
import { packageVersion } from "../../version.js";
import { readAnswerHead } from "../http-answer-head.js";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { retryAfterMs, sinkTestRecord, tlsConnectionOptions } from "../sink-settings.js";
import { HecAckFatalError, HecAckPoller } from "./hec-ack-poller.js";
import { parseAckStatus, parseHecAnswer, quoteAnswer, TOKEN_CODES } from "./hec-answer.js";
import { HecEnvelopeEncoder } from "./hec-envelope.js";
import { eventOutcomeOf, explainNetworkFailure, failureOf, SplunkHecConfigError, type HecEventOutcome, type HecFailureContext } from "./hec-failure.js";
import type { SplunkHecSinkSettings } from "./splunk-hec.sink-type.js";

const gzip = promisify(gzipCallback);

export const SPLUNK_HEC_DEFAULTS = Object.freeze({
  /** Splunk Cloud and older Splunk Enterprise accept about 1 MB per request; newer Enterprise accepts more. */
  maxContentLength: 1_000_000,
  ackPollIntervalMs: 250,
  ackTimeoutMs: 120_000,
  timeoutMs: Object.freeze({ connect: 10_000, headers: 30_000, body: 30_000 }),
});

const EVENT_PATH = "/services/collector/event";
const ACK_PATH = "/services/collector/ack";
const HEALTH_PATH = "/services/collector/health";
/** Bytes of an answer kept (HEC's are tiny; a proxy's error page is not); the rest is drained. */
const ANSWER_HEAD_BYTES = 16 * 1024;

/** scheme://host:port of a HEC URL: what messages name (never a path or a credential). */
export function hecOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
}

/** Injected for tests: the source of the default data channel. */
export interface SplunkHecSinkDeps {
  randomUUID?: () => string;
}

/** A network failure on the way to HEC: retryable, with what to check. */
class HecUnreachableError extends SinkUnavailableError {
  constructor(
    message: string,
    readonly fix: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

interface Exchange {
  status: number;
  headers: Dispatcher.ResponseData["headers"];
  text: string;
}

/** A slice of the batch still to send: `[from, to)`; `body` once encoded. */
interface Part {
  from: number;
  to: number;
  body?: Buffer;
}

/**
 * Splunk HTTP Event Collector: each batch is POSTed to `/services/collector/event` as concatenated JSON
 * envelopes (`time` from observedAt, host/source/sourcetype/index per stream, `event` = the WizEvent),
 * over one keep-alive undici Agent.
 *
 * Guarantee: at-least-once. With indexer acknowledgement on (the default), an event counts as delivered
 * only when Splunk answered `POST /services/collector/ack` with `true` for the ackId of the request that
 * carried it, i.e. Splunk says it is indexed; `write` resolves only when every request of the batch is
 * acknowledged. With ack off, an HTTP 200 only says HEC received the events (Splunk can still lose them
 * before indexing). A crash between Splunk's answer and the outbox acknowledgement, an ack timeout, a
 * retry after a partly accepted batch, or the events before an invalid one (HEC indexes them but gives no
 * ackId to confirm it) send events again: Splunk has no key to drop a repeat, so duplicates are possible
 * there; every event carries its deterministic `id` to dedupe in searches (`| dedup event.id`).
 *
 * Per-item refusals: HEC stops at the first bad event of a request and names it (`invalid-event-number`,
 * codes 6, 12, 13, 15): that event is dead-lettered with Splunk's text; the events after it are sent again
 * in the same write, and so are the ones before it when ack is on. Token, index and acknowledgement
 * problems are set-up errors: retried with a message that names the fix, never dead-lettered.
 */
export class SplunkHecSink implements Sink {
  readonly guarantee = "at-least-once" as const;
  private readonly agent: Agent;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly base: string;
  private readonly origin: string;
  private readonly https: boolean;
  private readonly insecure: boolean;
  private readonly ack: boolean;
  private readonly gzip: boolean;
  private readonly token: string;
  private readonly encoder: HecEnvelopeEncoder;
  private readonly poller: HecAckPoller;
  /** Headers of every request (auth, channel, content type): built once. */
  private readonly headers: Readonly<Record<string, string>>;
  /** Lowered when Splunk answers 413 to a body this size, so later batches fit at once. */
  private maxBytes: number;
  /** The acknowledgement preflight (token accepted, ack enabled), done once; reset after a set-up error. */
  private ready: Promise<void> | undefined;

  constructor(
    readonly id: string,
    private readonly settings: SplunkHecSinkSettings,
    context: SinkContext,
    deps: SplunkHecSinkDeps = {},
  ) {
    this.logger = context.logger;
    this.now = context.now;
    const url = new URL(settings.url);
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    this.origin = url.origin;
    this.https = url.protocol === "https:";
    this.token = settings.token;
    this.ack = settings.ack?.enabled ?? true;
    this.gzip = settings.gzip ?? false;
    this.maxBytes = settings.maxContentLength ?? SPLUNK_HEC_DEFAULTS.maxContentLength;
    if (!this.https && !isLoopback(url.hostname)) {
      this.logger.warn({ sink: id, hec: this.origin }, `sink ${id} sends events and the HEC token over plain http to ${this.origin}: anyone on the network path can read both. Use an https:// url (HEC has SSL on by default).`);
    }
    const tls = this.https ? tlsConnectionOptions(id, settings.tls, this.logger, context.baseDir) : undefined;
    this.insecure = tls?.rejectUnauthorized === false;
    const timeouts = typeof settings.timeoutMs === "number" ? { connect: settings.timeoutMs, headers: settings.timeoutMs, body: settings.timeoutMs } : { ...SPLUNK_HEC_DEFAULTS.timeoutMs, ...settings.timeoutMs };
    this.agent = new Agent({
      connect: { timeout: timeouts.connect, ...tls },
      headersTimeout: timeouts.headers,
      bodyTimeout: timeouts.body,
      // Batches and ack queries follow each other closely: keep sockets rather than reconnecting.
      keepAliveTimeout: 30_000,
    });
    const channel = settings.channel ?? (deps.randomUUID ?? randomUUID)();
    this.headers = Object.freeze({
      authorization: `Splunk ${settings.token}`,
      "content-type": "application/json",
      "user-agent": `wizbridge/${packageVersion()}`,
      ...(this.ack ? { "x-splunk-request-channel": channel } : {}),
    });
    this.encoder = new HecEnvelopeEncoder(settings, this.now);
    this.poller = new HecAckPoller({
      sinkId: id,
      query: (ids) => this.queryAcks(ids),
      intervalMs: settings.ack?.pollIntervalMs ?? SPLUNK_HEC_DEFAULTS.ackPollIntervalMs,
      timeoutMs: settings.ack?.timeoutMs ?? SPLUNK_HEC_DEFAULTS.ackTimeoutMs,
      now: this.now,
      logger: this.logger,
    });
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await this.ensureReady();
    const rejected = new Map<string, string>();
    const ackIds: number[] = [];
    const waits: Array<Promise<void>> = [];
    const queue: Part[] = this.encoder.encode(batch, this.maxBytes).map((c) => ({ from: c.first, to: c.first + c.count, body: c.body }));
    try {
      for (let part = queue.shift(); part !== undefined; part = queue.shift()) {
        if (part.body === undefined) {
          // A slice to send again (after a refusal or a 413): encoded now, at the current request size.
          const from = part.from;
          queue.unshift(...this.encoder.encode(batch.slice(from, part.to), this.maxBytes).map((c) => ({ from: from + c.first, to: from + c.first + c.count, body: c.body })));
          continue;
        }
        const outcome = await this.postEvents(batch, part as Required<Part>);
        if (outcome.kind === "accepted") {
          if (!this.ack) continue;
          if (outcome.ackId === undefined) throw this.ackMissing();
          const wait = this.poller.wait(outcome.ackId);
          // Settled through Promise.all below; a failure before that must not surface as unhandled.
          wait.catch(() => undefined);
          ackIds.push(outcome.ackId);
          waits.push(wait);
        } else if (outcome.kind === "invalid-event") {
          queue.unshift(...this.isolate(batch, part, outcome, rejected));
        } else if (outcome.kind === "too-large") {
          queue.unshift(...this.shrink(batch, part as Required<Part>, outcome.reason, rejected));
        } else {
          if (outcome.error instanceof SplunkHecConfigError) this.ready = undefined;
          throw outcome.error;
        }
      }
      await Promise.all(waits);
    } catch (error) {
      this.poller.forget(ackIds);
      // Refusals already isolated are reported even when a later request failed: the rest is written again.
      if (rejected.size > 0) throw new SinkRejectedError(rejected);
      throw error;
    }
    if (rejected.size > 0) {
      this.logger.warn({ sink: this.id, hec: this.origin, refused: rejected.size, batch: batch.length }, "Splunk HEC refused some events for good; they go to the dead-letter table with its answer");
      throw new SinkRejectedError(rejected, new Set(batch.filter((r) => !rejected.has(r.eventId)).map((r) => r.eventId)));
    }
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    const reach = `reach HEC at ${this.origin} (${this.https ? "TCP + TLS" : "TCP, plain http"})`;
    let health: Exchange;
    try {
      health = await this.exchange("GET", HEALTH_PATH, undefined, false);
    } catch (error) {
      const explained = explainNetworkFailure(error, { sinkId: this.id, origin: this.origin, https: this.https });
      steps.push({ step: reach, ok: false, detail: this.scrub(explained.what), fix: explained.fix });
      return steps;
    }
    const healthAnswer = parseHecAnswer(health.text);
    const healthQuote = this.scrub(quoteAnswer(health.status, healthAnswer, health.text));
    const transport = this.https ? (this.insecure ? "TLS, certificate NOT verified: tls.insecureSkipVerify is on" : "TLS, certificate verified") : "plain http: the token and events cross the network unencrypted";
    if (health.status === 200) {
      steps.push({ step: reach, ok: true, detail: `health endpoint answered ${healthQuote} (${transport})` });
    } else if (health.status === 503 || (healthAnswer?.code !== undefined && healthAnswer.code >= 18 && healthAnswer.code <= 20)) {
      steps.push({ step: reach, ok: false, detail: `health endpoint answered ${healthQuote}`, fix: "Splunk's indexing queues are full or its acknowledgement service is down: check the indexers (Monitoring Console > Indexing > Indexing Performance); run the test again once HEC reports healthy." });
      return steps;
    } else {
      const error = failureOf(health.status, healthAnswer, healthQuote, this.failureContext(undefined));
      steps.push({ step: reach, ok: false, detail: `health endpoint answered ${healthQuote}`, fix: fixOf(error) });
      return steps;
    }

    // An empty POST: HEC checks the token before the body, so "No data" (code 5) means the token is good and nothing was written.
    const auth = "authenticate with the HEC token";
    try {
      const answer = await this.exchange("POST", EVENT_PATH, "", true);
      const parsed = parseHecAnswer(answer.text);
      const quoted = this.scrub(quoteAnswer(answer.status, parsed, answer.text));
      if (parsed?.code === 5 || answer.status === 200) {
        steps.push({ step: auth, ok: true, detail: `token accepted (an empty request got ${quoted}: nothing was written)` });
      } else {
        const error = failureOf(answer.status, parsed, quoted, this.failureContext(undefined));
        steps.push({ step: auth, ok: false, detail: quoted, fix: fixOf(error) });
        return steps;
      }
    } catch (error) {
      const explained = explainNetworkFailure(error, { sinkId: this.id, origin: this.origin, https: this.https });
      steps.push({ step: auth, ok: false, detail: this.scrub(explained.what), fix: explained.fix });
      return steps;
    }

    if (this.ack) {
      const step = "indexer acknowledgement is enabled on the token";
      try {
        await this.preflight();
        steps.push({ step, ok: true, detail: "the acknowledgement endpoint answers on this sink's channel" });
      } catch (error) {
        steps.push({ step, ok: false, detail: this.scrub(error instanceof Error ? error.message : String(error)), fix: fixOf(error) });
        return steps;
      }
    }

    const record = sinkTestRecord(this.id, this.now());
    const meta = this.encoder.metaOf(record.stream);
    const send = `send a marked test event (index ${meta.index ?? "(token default)"}, sourcetype ${meta.sourcetype})${this.ack ? " and wait until Splunk confirms it is indexed" : ""}`;
    try {
      await this.write([record]);
      const search = `index=${meta.index ?? "<the token's default index>"} sourcetype="${meta.sourcetype}" "${record.eventId}"`;
      steps.push({ step: send, ok: true, detail: `Splunk ${this.ack ? "indexed" : "accepted"} the test event ${record.eventId}; search ${search} to see it (safe to delete)` });
    } catch (error) {
      if (error instanceof SinkRejectedError) {
        const reason = [...error.rejected.values()][0] ?? error.message;
        steps.push({ step: send, ok: false, detail: this.scrub(reason), fix: "Splunk refused the event itself: check the token's settings in Splunk (a sourcetype with a strict INDEXED_EXTRACTIONS or a props.conf rule) and splunkd.log (component HttpInputDataHandler)." });
      } else {
        steps.push({ step: send, ok: false, detail: this.scrub(error instanceof Error ? error.message : String(error)), fix: fixOf(error) });
      }
    }
    return steps;
  }

  async close(): Promise<void> {
    this.poller.close();
    await this.agent.close();
  }

  /** Once per sink (and again after a set-up error): with ack on, check the token and that acknowledgement works before sending any events. */
  private ensureReady(): Promise<void> {
    if (!this.ack) return Promise.resolve();
    this.ready ??= this.preflight().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * Asks about ackId 0 on the channel: a token without acknowledgement answers code 14 here, before any
   * event was sent (so a wrong setting never leaves unconfirmed copies in Splunk). Other answers are left
   * for the event request to explain.
   */
  private async preflight(): Promise<void> {
    let answer: Exchange;
    try {
      answer = await this.exchange("POST", ACK_PATH, '{"acks":[0]}', true);
    } catch (error) {
      throw this.unreachable(error);
    }
    if (answer.status === 200) return;
    const parsed = parseHecAnswer(answer.text);
    const code = parsed?.code;
    const refuses = code === 14 || (code !== undefined && TOKEN_CODES.has(code)) || answer.status === 401 || answer.status === 403 || answer.status === 429 || answer.status >= 500;
    if (refuses) throw failureOf(answer.status, parsed, this.scrub(quoteAnswer(answer.status, parsed, answer.text)), this.failureContext(undefined));
  }

  private async postEvents(batch: readonly SinkRecord[], part: Required<Part>): Promise<HecEventOutcome> {
    let answer: Exchange;
    try {
      answer = await this.exchange("POST", EVENT_PATH, this.gzip ? await gzip(part.body) : part.body, true);
    } catch (error) {
      return { kind: "failed", error: this.unreachable(error) };
    }
    const parsed = parseHecAnswer(answer.text);
    const context = this.failureContext(answer, (n) => (n !== undefined && n < part.to - part.from ? batch[part.from + n] : batch[part.from]));
    const outcome = eventOutcomeOf(answer.status, parsed, this.scrub(answer.text), context);
    return outcome.kind === "invalid-event" || outcome.kind === "too-large" ? { ...outcome, reason: this.scrub(outcome.reason) } : outcome;
  }

  /**
   * HEC refused event n of the part: it is rejected; the events after it were dropped by HEC and go again.
   * The ones before it were indexed, but with ack on no ackId confirms it, so they go again too (possibly twice in Splunk).
   */
  private isolate(batch: readonly SinkRecord[], part: Part, outcome: { eventNumber?: number; reason: string }, rejected: Map<string, string>): Part[] {
    const count = part.to - part.from;
    const n = outcome.eventNumber;
    if (n === undefined || n >= count) {
      // HEC did not say which event: halve until the bad one is alone.
      if (count === 1) {
        rejected.set((batch[part.from] as SinkRecord).eventId, outcome.reason);
        return [];
      }
      const middle = part.from + Math.ceil(count / 2);
      return [
        { from: part.from, to: middle },
        { from: middle, to: part.to },
      ];
    }
    rejected.set((batch[part.from + n] as SinkRecord).eventId, outcome.reason);
    this.logger.debug({ sink: this.id, eventNumber: n, events: count }, "Splunk HEC refused one event of a request; sending the others again without it");
    const again: Part[] = [];
    if (this.ack && n > 0) again.push({ from: part.from, to: part.from + n });
    if (part.from + n + 1 < part.to) again.push({ from: part.from + n + 1, to: part.to });
    return again;
  }

  /** A 413: a lone event is refused for good; otherwise the part goes again in halves, and later requests are smaller. */
  private shrink(batch: readonly SinkRecord[], part: Required<Part>, reason: string, rejected: Map<string, string>): Part[] {
    const count = part.to - part.from;
    if (count === 1) {
      rejected.set(
        (batch[part.from] as SinkRecord).eventId,
        `${reason}: this one event takes ${part.body.length} bytes; raise max_content_length in Splunk's limits.conf [http_input] to deliver it`,
      );
      return [];
    }
    const lowered = Math.max(1024, Math.floor(part.body.length / 2));
    if (lowered < this.maxBytes) {
      this.logger.warn(
        { sink: this.id, hec: this.origin, refusedBytes: part.body.length, nowBytes: lowered },
        `Splunk HEC refused a ${part.body.length}-byte request as too large (413); sending at most ${lowered} bytes per request from now on. Set sinks.${this.id}.maxContentLength to at most Splunk's max_content_length.`,
      );
      this.maxBytes = lowered;
    }
    const middle = part.from + Math.ceil(count / 2);
    return [
      { from: part.from, to: middle },
      { from: middle, to: part.to },
    ];
  }

  /** One query for every pending ackId of the channel. */
  private async queryAcks(ids: readonly number[]): Promise<ReadonlyMap<number, boolean>> {
    let answer: Exchange;
    try {
      answer = await this.exchange("POST", ACK_PATH, JSON.stringify({ acks: ids }), true);
    } catch (error) {
      throw this.unreachable(error);
    }
    if (answer.status === 200) {
      const status = parseAckStatus(answer.text);
      if (status) return status;
      throw new Error(`sink ${this.id}: Splunk HEC at ${this.origin} answered the acknowledgement query with something else than {"acks":{...}}: ${this.scrub(answer.text).slice(0, 200)}`);
    }
    const parsed = parseHecAnswer(answer.text);
    const error = failureOf(answer.status, parsed, this.scrub(quoteAnswer(answer.status, parsed, answer.text)), this.failureContext(answer));
    if (error instanceof SplunkHecConfigError) {
      // The token, acknowledgement or channel is gone: waiting cannot help; the batches are sent again (duplicates possible).
      this.ready = undefined;
      throw new HecAckFatalError(error);
    }
    throw error;
  }

  private ackMissing(): SplunkHecConfigError {
    this.ready = undefined;
    const fix = `enable indexer acknowledgement on the token (Settings > Data inputs > HTTP Event Collector > Edit), or set sinks.${this.id}.ack.enabled: false if whatever answers at url (a proxy, Splunk Cloud's HEC, a Cribl or Edge Processor) does not support it.`;
    return new SplunkHecConfigError(
      `sink ${this.id}: Splunk HEC at ${this.origin} accepted the events but returned no ackId, so it cannot confirm they are indexed; the batch is sent again, so Splunk may hold these events twice. Fix: ${fix}`,
      fix,
    );
  }

  private failureContext(answer: Exchange | undefined, recordAt?: (n: number | undefined) => SinkRecord | undefined): HecFailureContext {
    const wait = answer ? retryAfterMs(header(answer.headers, "retry-after"), this.now()) : undefined;
    return {
      sinkId: this.id,
      origin: this.origin,
      retryAfterMs: wait,
      indexAt: (n) => {
        const record = recordAt?.(n);
        if (!record) return undefined;
        const index = this.encoder.metaOf(record.stream).index;
        const key = this.encoder.indexKeyOf(record.stream);
        return index !== undefined && key !== undefined ? { index, key } : undefined;
      },
    };
  }

  private unreachable(error: unknown): HecUnreachableError {
    const explained = explainNetworkFailure(error, { sinkId: this.id, origin: this.origin, https: this.https });
    return new HecUnreachableError(`sink ${this.id}: could not reach Splunk HEC: ${this.scrub(explained.what)}. Fix: ${explained.fix}`, explained.fix, error);
  }

  private async exchange(method: "GET" | "POST", path: string, body: Buffer | string | undefined, authenticated: boolean): Promise<Exchange> {
    const headers: Record<string, string> = authenticated ? { ...this.headers } : { "user-agent": this.headers["user-agent"] as string };
    if (this.gzip && path === EVENT_PATH && body !== undefined && body.length > 0) headers["content-encoding"] = "gzip";
    const response = await request(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), dispatcher: this.agent });
    return { status: response.statusCode, headers: response.headers, text: (await readAnswerHead(response, ANSWER_HEAD_BYTES)).toString("utf8") };
  }

  /** The token never appears in what Splunk or the network says back (a proxy may echo headers). */
  private scrub(text: string): string {
    return this.token.length >= 4 && text.includes(this.token) ? text.split(this.token).join("[redacted]") : text;
  }
}

/** What to change for an error of this sink (set-up errors carry their own). */
function fixOf(error: unknown): string {
  if (error instanceof SplunkHecConfigError || error instanceof HecUnreachableError) return error.fix;
  if (error instanceof SinkUnavailableError) return "Splunk is busy or unavailable right now (see the detail); run the test again later, and check the indexers' health if it persists.";
  return "see the detail; Splunk's splunkd.log (component HttpInputDataHandler) says more.";
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
