import { WizNetworkError, type WizNetworkFailure, type WizRequestSummary } from "./wiz-errors.js";

interface FailureKind {
  failure: WizNetworkFailure;
  /** The request certainly never reached the server (nothing was written to a connection). */
  notSent: boolean;
  retryable: boolean;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/;

/** Classifies a low-level failure (undici or Node errno) by what it says about the request's fate. */
export function classifyNetworkFailure(error: unknown): FailureKind {
  const codes = errorCodes(error);
  const has = (...wanted: string[]): boolean => codes.some((c) => wanted.includes(c));
  // DNS: a name that does not exist is a wrong region or host, not something a retry fixes.
  if (has("ENOTFOUND")) return { failure: "dns", notSent: true, retryable: false };
  if (has("EAI_AGAIN")) return { failure: "dns", notSent: true, retryable: true };
  if (has("ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL")) return { failure: "refused", notSent: true, retryable: true };
  if (has("UND_ERR_CONNECT_TIMEOUT")) return { failure: "connect-timeout", notSent: true, retryable: true };
  if (codes.some((c) => TLS_CODES.test(c))) return { failure: "tls", notSent: true, retryable: false };
  if (has("ABORT_ERR", "AbortError", "UND_ERR_ABORTED") && !has("TimeoutError")) return { failure: "aborted", notSent: false, retryable: false };
  if (has("UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "TimeoutError", "ETIMEDOUT")) return { failure: "timeout", notSent: false, retryable: true };
  if (has("UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH")) {
    return { failure: "reset", notSent: false, retryable: true };
  }
  return { failure: "other", notSent: false, retryable: false };
}

/** Turns a failure to get any HTTP answer into a WizNetworkError that says what to check. */
export function networkErrorFrom(
  error: unknown,
  context: { request: WizRequestSummary; operationName?: string; target: "api" | "token endpoint"; mayHaveExecuted?: boolean },
): WizNetworkError {
  const kind = classifyNetworkFailure(error);
  const host = hostOf(context.request.url);
  const subject = context.operationName ? `${context.operationName} ` : "";
  const explanation = explain(kind.failure, host, context.target, error);
  return new WizNetworkError(
    { what: `Could not complete the ${subject}request to the Wiz ${context.target} at ${host}: ${explanation.what}`, cause: explanation.cause, fix: explanation.fix },
    {
      code: `NETWORK_${kind.failure.toUpperCase().replace(/-/g, "_")}`,
      status: 0,
      operationName: context.operationName,
      request: context.request,
      retryable: kind.retryable,
      mayHaveExecuted: context.mayHaveExecuted ?? !kind.notSent,
      failure: kind.failure,
      cause: error,
    },
  );
}

function explain(failure: WizNetworkFailure, host: string, target: string, error: unknown): { what: string; cause: string; fix: string } {
  const detail = error instanceof Error ? error.message : String(error);
  switch (failure) {
    case "dns":
      return {
        what: `the host name ${host} does not resolve (${detail}).`,
        cause: "a wrong region or endpoint host (Wiz API hosts look like api.us17.app.wiz.io), no DNS on this host, or a proxy is required.",
        fix: "copy the API endpoint from the Wiz console (User Settings > Tenant Info) and set region or endpoint accordingly; set proxyUrl if this network only reaches the internet through a proxy.",
      };
    case "refused":
      return {
        what: `the connection was refused (${detail}).`,
        cause: `nothing listens at that address, or a firewall rejects outbound connections to the ${target}.`,
        fix: "check the endpoint URL and port, the firewall's egress rules, and set proxyUrl if outbound traffic must go through a proxy.",
      };
    case "connect-timeout":
      return {
        what: "connecting timed out.",
        cause: "a firewall silently drops outbound HTTPS, or the network is down.",
        fix: "allow outbound HTTPS to *.wiz.io (or *.wiz.us) or set proxyUrl; wizbridge retries connection failures.",
      };
    case "tls":
      return {
        what: `the TLS handshake failed (${detail}).`,
        cause: "a TLS-inspecting proxy re-signs traffic with a corporate CA this process does not trust, or the host is not the one its certificate names.",
        fix: "give the corporate CA chain (PEM text or a file path) in caCertificates; never disable certificate checks.",
      };
    case "timeout":
      return {
        what: `no complete answer arrived in time (${detail}).`,
        cause: "Wiz is slow on a heavy query (its gateway gives up at about 120 s) or the network stalled.",
        fix: "use a smaller page size or a narrower filter; queries are retried, mutations are not because they may have run.",
      };
    case "reset":
      return {
        what: `the connection closed before the answer was complete (${detail}).`,
        cause: "a proxy, load balancer or Wiz's gateway dropped the connection.",
        fix: "queries are retried automatically; a mutation is not replayed because it may have run, so check its effect first.",
      };
    case "aborted":
      return { what: "the request was cancelled by the caller.", cause: "the caller's AbortSignal fired.", fix: "nothing, unless the cancellation was unexpected." };
    default:
      return {
        what: `the request failed (${detail}).`,
        cause: "an unexpected network or proxy failure.",
        fix: "check connectivity to the Wiz host and the proxy settings, then try again.",
      };
  }
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (typeof current !== "object") break;
    const record = current as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string") codes.push(record.code);
    if (typeof record.name === "string") codes.push(record.name);
    // Node's happy-eyeballs connect reports an AggregateError of per-address failures.
    if (Array.isArray(record.errors)) codes.push(...record.errors.flatMap((e) => errorCodes(e)));
    current = record.cause;
  }
  return codes;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(unparseable URL)";
  }
}
