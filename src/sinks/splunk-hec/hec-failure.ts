import { classifyNetworkFailure } from "../../wiz/network-failure.js";
import { SinkUnavailableError } from "../sink.js";
import { PER_EVENT_CODES, quoteAnswer, TOKEN_CODES, UNAVAILABLE_CODES, type HecAnswer } from "./hec-answer.js";

/**
 * A failure that is the sink's set-up, not the events' fault (token, index, acknowledgement, URL): retried
 * like any error (the circuit breaker slows it down), never dead-lettered, and loud about what to change.
 */
export class SplunkHecConfigError extends Error {
  override readonly name = "SplunkHecConfigError";

  constructor(
    message: string,
    /** What to change, naming the setting or the Splunk screen (also in the message). */
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Where an answer came from, for messages that say what to change. */
export interface HecFailureContext {
  sinkId: string;
  /** scheme://host:port of HEC (never a path or a credential). */
  origin: string;
  /** The index the n-th event of the request was sent to and the setting that chose it (`streams.issues.index`). */
  indexAt(eventNumber: number | undefined): { index: string; key: string } | undefined;
  retryAfterMs: number | undefined;
}

/** What HEC's answer to a POST of events means for them. */
export type HecEventOutcome =
  | { kind: "accepted"; ackId?: number }
  /** One event of the request is bad (codes 6, 12, 13, 15); HEC indexed the ones before it and dropped the rest. */
  | { kind: "invalid-event"; eventNumber?: number; reason: string }
  /** The body is larger than HEC's max_content_length. */
  | { kind: "too-large"; reason: string }
  | { kind: "failed"; error: Error };

/** Classifies HEC's answer to `POST /services/collector/event`. */
export function eventOutcomeOf(status: number, answer: HecAnswer | undefined, rawText: string, context: HecFailureContext): HecEventOutcome {
  const code = answer?.code;
  if (status >= 200 && status < 300 && (code === undefined || code === 0)) return answer?.ackId !== undefined ? { kind: "accepted", ackId: answer.ackId } : { kind: "accepted" };
  const quoted = quoteAnswer(status, answer, rawText);
  if (status === 413) return { kind: "too-large", reason: `Splunk HEC refused the request body as too large (${quoted})` };
  if (code !== undefined && PER_EVENT_CODES.has(code)) {
    return {
      kind: "invalid-event",
      ...(answer?.invalidEventNumber !== undefined ? { eventNumber: answer.invalidEventNumber } : {}),
      reason: `Splunk HEC refused this event: ${quoted}${code === 15 ? "; an indexed field of the envelope could not be handled" : ""}`,
    };
  }
  return { kind: "failed", error: failureOf(status, answer, quoted, context) };
}

/** The error for an answer that fails the whole request (or an acknowledgement query). */
export function failureOf(status: number, answer: HecAnswer | undefined, quoted: string, context: HecFailureContext): Error {
  const code = answer?.code;
  const { sinkId, origin } = context;
  const at = `sink ${sinkId}: Splunk HEC at ${origin} answered ${quoted}`;
  const config = (what: string, fix: string): SplunkHecConfigError => new SplunkHecConfigError(`${at}: ${what}. Fix: ${fix} Nothing is dead-lettered for this; delivery retries until it is fixed.`, fix);

  if ((code !== undefined && TOKEN_CODES.has(code)) || ((status === 401 || status === 403) && (code === undefined || code === 0))) {
    return config(tokenProblem(code), tokenFix(code, sinkId));
  }
  if (code === 7) {
    const target = context.indexAt(answer?.invalidEventNumber);
    const which = target ? `index "${target.index}" (from sinks.${sinkId}.${target.key})` : "the index of one of the events";
    return config(
      `Splunk refused ${which}: it does not exist, or it is not in this token's allowed indexes. This is configuration, not a bad event`,
      `create the index in Splunk, add it to the token's Allowed Indexes (Settings > Data inputs > HTTP Event Collector > Edit), or change ${target ? `sinks.${sinkId}.${target.key}` : `sinks.${sinkId}.index / streams.<stream>.index`}.`,
    );
  }
  if (code === 14) {
    return config(
      "indexer acknowledgement is disabled on this HEC token, so Splunk cannot confirm that events are indexed",
      `enable indexer acknowledgement on the token (Settings > Data inputs > HTTP Event Collector > Edit > Enable indexer acknowledgement), or set sinks.${sinkId}.ack.enabled: false (then an accepted request only means Splunk received the events, not that they are indexed).`,
    );
  }
  if (code === 10 || code === 11) {
    return config(
      code === 10 ? "this token has indexer acknowledgement on, which needs a data channel on every request" : "Splunk does not accept the data channel",
      code === 10
        ? `set sinks.${sinkId}.ack.enabled: true (recommended: events then count as delivered only once indexed), or disable indexer acknowledgement on the token.`
        : `leave sinks.${sinkId}.channel unset (a random GUID per sink instance) or set it to a GUID; if Splunk restarted, delivery recovers by itself.`,
    );
  }
  if (status === 429 || status === 503 || status >= 500 || (code !== undefined && UNAVAILABLE_CODES.has(code))) {
    const wait = context.retryAfterMs;
    const why =
      code === 9 || code === 18 || code === 20
        ? "Splunk's indexing queues are full (HEC is busy)"
        : status === 429
          ? "Splunk (or a load balancer in front of it) is throttling"
          : code === 19
            ? "Splunk's acknowledgement service is unavailable"
            : "Splunk is down or failing";
    return new SinkUnavailableError(`${at}${wait !== undefined ? ` (Retry-After ${Math.round(wait / 1000)} s)` : ""}: ${why}; the batch is retried${wait !== undefined ? " after the wait Splunk asked for" : " with backoff"}.`, {
      retryAfterMs: wait,
    });
  }
  if (status === 404 || status === 405) {
    return config(
      "nothing serves HEC at this path",
      `sinks.${sinkId}.url must be HEC's base URL, e.g. https://splunk.example.com:8088 (HEC's port, 8088 by default, not the management port 8089) with no /services/collector in it; for Splunk Cloud use https://http-inputs-<stack>.splunkcloud.com.`,
    );
  }
  if (status === 413) return config("the acknowledgement query is larger than Splunk accepts", `lower maxInFlight or batch.maxEvents of sink ${sinkId}.`);
  if (status >= 300 && status < 400) {
    return config("a redirect, which wizbridge does not follow (the token is never replayed to another address)", `set sinks.${sinkId}.url to the address HEC answers at (often https:// instead of http://).`);
  }
  return new Error(`${at}: wizbridge does not expect this answer; the batch is retried. Check Splunk's splunkd.log (component HttpInputDataHandler) for the reason.`);
}

function tokenProblem(code: number | undefined): string {
  switch (code) {
    case 1:
      return "the HEC token is disabled (or HEC is off in Global Settings)";
    case 2:
      return "no token reached Splunk (a proxy in between may strip the Authorization header)";
    case 3:
      return "Splunk did not understand the Authorization header";
    case 4:
      return "Splunk does not know this token";
    default:
      return "Splunk does not accept the token";
  }
}

function tokenFix(code: number | undefined, sinkId: string): string {
  switch (code) {
    case 1:
      return "fix the token: enable it in Splunk (Settings > Data inputs > HTTP Event Collector, and Global Settings > All Tokens: Enabled), or set another token in sinks." + sinkId + ".token.";
    case 3:
      return `fix the token: sinks.${sinkId}.token must be the bare token value (a GUID), without "Splunk " in front.`;
    default:
      return `fix the token: set sinks.${sinkId}.token to a token from Settings > Data inputs > HTTP Event Collector of this Splunk instance (a token of another instance, a deleted one or a typo is refused).`;
  }
}

/** A failure to get any answer (DNS, refused, TLS, timeout, reset), explained with what to check. */
export function explainNetworkFailure(error: unknown, context: { sinkId: string; origin: string; https: boolean }): { what: string; fix: string; retryable: boolean } {
  const detail = describeError(error);
  const { failure } = classifyNetworkFailure(error);
  const { sinkId, origin } = context;
  switch (failure) {
    case "dns":
      return { what: `the host of ${origin} does not resolve (${detail})`, fix: `check the host in sinks.${sinkId}.url and this host's DNS settings.`, retryable: true };
    case "refused":
      return {
        what: `the connection to ${origin} was refused (${detail})`,
        fix: `check that Splunk runs, that HEC is enabled (Settings > Data inputs > HTTP Event Collector > Global Settings > All Tokens: Enabled) and that the port in sinks.${sinkId}.url is HEC's (8088 by default); delivery retries meanwhile.`,
        retryable: true,
      };
    case "connect-timeout":
      return { what: `connecting to ${origin} timed out (${detail})`, fix: `a firewall may drop the traffic to HEC's port, or Splunk is overloaded; check the route, or raise sinks.${sinkId}.timeoutMs.connect.`, retryable: true };
    case "tls":
      return {
        what: `the TLS handshake with ${origin} failed (${detail})`,
        fix: `HEC's certificate is not trusted here: set sinks.${sinkId}.tls.caFile to the PEM of the CA that signed it (Splunk's own default CA is $SPLUNK_HOME/etc/auth/cacert.pem), or tls.serverName to the name the certificate carries; if HEC has SSL disabled, use http:// in url. Never set tls.insecureSkipVerify in production.`,
        retryable: true,
      };
    case "timeout":
      return {
        what: `Splunk HEC at ${origin} did not answer in time (${detail})`,
        fix: `Splunk is slow on a request this size: raise sinks.${sinkId}.timeoutMs, or lower batch.maxEvents / maxContentLength. The batch is sent again, so Splunk may index it twice.`,
        retryable: true,
      };
    case "reset":
      return {
        what: `the connection to ${origin} closed before HEC answered (${detail})`,
        fix: context.https
          ? "a load balancer in front of HEC dropped the connection, or Splunk restarted; delivery retries. Splunk may index the batch twice."
          : "Splunk restarted, a load balancer dropped the connection, or HEC has SSL enabled (use https:// in url); delivery retries. Splunk may index the batch twice.",
        retryable: true,
      };
    default:
      return { what: `the request to ${origin} failed (${detail})`, fix: `check sinks.${sinkId}.url, that Splunk is up and the network between; delivery retries.`, retryable: true };
  }
}

/** The deepest useful message and code of an undici / Node error chain. */
function describeError(error: unknown): string {
  let message = "";
  let code = "";
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth += 1) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof e.message === "string" && e.message !== "") message = e.message;
    if (typeof e.code === "string") code = e.code;
    current = e.cause;
  }
  const text = message || String(error);
  return code && !text.includes(code) ? `${text}, ${code}` : text;
}
