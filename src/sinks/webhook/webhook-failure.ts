import { classifyNetworkFailure } from "../../wiz/network-failure.js";
import { errorCodesOf, rootMessageOf } from "../error-chain.js";

/** What a failure means for delivery, and what the operator should change (never a secret). */
export interface WebhookFailureExplanation {
  /** What happened, in the receiver's or the network's own words. */
  what: string;
  /** What to change; names the setting. */
  fix: string;
}

const TLS_CODE = /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** A failure to get any HTTP answer (DNS, refused, TLS, timeout, reset), explained with the setting to check. */
export function explainNetworkFailure(error: unknown): WebhookFailureExplanation {
  const codes = errorCodesOf(error);
  const detail = `${rootMessageOf(error)}${codes[0] ? ` (${codes[0]})` : ""}`;
  const tlsCode = codes.find((c) => TLS_CODE.test(c));
  if (tlsCode !== undefined) return { what: `the TLS handshake failed: ${detail}`, fix: tlsFix(tlsCode) };
  const { failure } = classifyNetworkFailure(error);
  switch (failure) {
    case "dns":
      return { what: `the host name does not resolve: ${detail}`, fix: "check the host in url (a typo, or a name only an internal DNS knows) and this host's DNS settings." };
    case "refused":
      return { what: `the connection was refused: ${detail}`, fix: "check that the receiver is running and the port in url is right (https defaults to 443, http to 80), and that no firewall rejects the connection; delivery retries meanwhile." };
    case "connect-timeout":
      return { what: `connecting timed out: ${detail}`, fix: "a firewall may drop the traffic silently, or the receiver is overloaded; check the route to the host, or raise timeoutMs.connect." };
    case "timeout":
      return {
        what: `the receiver did not answer in time: ${detail}`,
        fix: "the receiver is slow on a batch this size: raise timeoutMs.headers / timeoutMs.body, or lower batch.maxEvents. The batch is sent again, so the receiver may see it twice (dedupe by the event id).",
      };
    case "reset":
      return { what: `the connection closed before the answer: ${detail}`, fix: "a proxy or load balancer in front of the receiver dropped the connection, or the receiver restarted; delivery retries. The receiver may see the batch twice (dedupe by the event id)." };
    default:
      return { what: `the request failed: ${detail}`, fix: "check the receiver's URL, that it is up, and the network between; delivery retries." };
  }
}

/** The TLS setting that fixes a handshake error code. */
function tlsFix(code: string): string {
  if (code === "CERT_NOT_YET_VALID" || code === "CERT_HAS_EXPIRED") {
    return "the receiver's certificate is outside its validity dates: renew it, or correct this host's clock if it is wrong (check NTP).";
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH") {
    return "the certificate does not name the host in url: use the host name the certificate was issued for, or set tls.serverName to the name it carries.";
  }
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_OSSL_")) {
    return "the TLS versions or ciphers do not match, the receiver asks for a client certificate (set tls.certFile and tls.keyFile), or the port speaks plain http (use http:// in url).";
  }
  return "the receiver's certificate is not signed by a CA this host trusts (self-signed or a private CA): set tls.caFile to the PEM file of that CA. Never set tls.insecureSkipVerify in production.";
}

/** Statuses that say the sink is set up wrong (not that an event is bad): never split, never dead-lettered. */
export function explainConfigurationStatus(status: number, location: string | undefined): WebhookFailureExplanation | undefined {
  if (status >= 300 && status < 400) {
    return {
      what: `HTTP ${status} redirect${location ? ` to ${location}` : ""}, which wizbridge does not follow (the signed body and credentials are never replayed to another address)`,
      fix: "set url to the final address the receiver redirects to (often https:// instead of http://, or a trailing slash).",
    };
  }
  if (status === 401 || status === 403 || status === 407) {
    return {
      what: `HTTP ${status} ${status === 403 ? "Forbidden" : status === 407 ? "Proxy Authentication Required" : "Unauthorized"}: the receiver does not accept the credentials or the signature`,
      fix: "fix the token: auth.token (or auth.username / auth.password) and signing.secret must match what the receiver expects; a signature is also refused when this host's clock is minutes off (check NTP). Nothing is dead-lettered for this: delivery retries until it is fixed.",
    };
  }
  if (status === 404 || status === 405 || status === 410) {
    return {
      what: `HTTP ${status} ${status === 404 ? "Not Found" : status === 405 ? "Method Not Allowed" : "Gone"}: nothing accepts POST at this path`,
      fix: "check the path in url against the receiver's documentation (the receiver must accept POST there). Nothing is dead-lettered for this: delivery retries until it is fixed.",
    };
  }
  return undefined;
}

/** Statuses that mean "not now": retried after Retry-After or backoff. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
