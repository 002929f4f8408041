import type { ConnectionOptions } from "node:tls";
import { Agent, type Dispatcher } from "undici";
import { classifyNetworkFailure } from "../../wiz/network-failure.js";
import { errorCodesOf, rootMessageOf } from "../error-chain.js";
import { SinkUnavailableError } from "../sink.js";
import type { SearchFlavor } from "./index-template.js";

/** Credentials for the cluster: a user's password, or an API key in its encoded form (what `Authorization: ApiKey` carries). */
export type ClusterAuth = { type: "basic"; username: string; password: string } | { type: "apiKey"; apiKey: string };

export interface ClusterHttpOptions {
  url: string;
  flavor: SearchFlavor;
  auth?: ClusterAuth;
  tls?: ConnectionOptions;
  timeoutMs: number;
  userAgent: string;
}

export interface ClusterResponse {
  status: number;
  headers: Dispatcher.ResponseData["headers"];
  text: string;
}

/** What went wrong reaching the cluster, and the setting to check. */
export interface Explanation {
  what: string;
  fix: string;
}

const TLS_CODE = /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

export function flavorName(flavor: SearchFlavor): string {
  return flavor === "opensearch" ? "OpenSearch" : "Elasticsearch";
}

/**
 * The cluster's REST API over one keep-alive undici Agent: base URL (with any path prefix a proxy adds),
 * credentials, TLS. Every text it hands back has the credentials scrubbed.
 */
export class ClusterHttp {
  /** scheme://host:port/prefix, for messages (the URL schema refuses credentials in it). */
  readonly address: string;
  readonly name: string;
  private readonly agent: Agent;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly secrets: readonly string[];

  constructor(options: ClusterHttpOptions) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.address = `${this.origin}${this.basePath}`;
    this.name = flavorName(options.flavor);
    this.agent = new Agent({
      connect: { timeout: Math.min(options.timeoutMs, 10_000), ...options.tls },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // Batches follow each other closely: keep the sockets for the next one.
      keepAliveTimeout: 30_000,
    });
    const headers: Record<string, string> = { accept: "application/json", "user-agent": options.userAgent };
    const secrets: string[] = [];
    if (options.auth?.type === "basic") {
      const encoded = Buffer.from(`${options.auth.username}:${options.auth.password}`, "utf8").toString("base64");
      headers.authorization = `Basic ${encoded}`;
      secrets.push(options.auth.password, encoded);
    } else if (options.auth?.type === "apiKey") {
      headers.authorization = `ApiKey ${options.auth.apiKey}`;
      secrets.push(options.auth.apiKey);
      // The key id (before the ':' of the decoded key) is what the cluster names in its messages, and is no secret; the key part is.
      const decoded = Buffer.from(options.auth.apiKey, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0 && colon < decoded.length - 1) secrets.push(decoded.slice(colon + 1));
    }
    this.headers = Object.freeze(headers);
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  }

  /**
   * One request; resolves with any HTTP status (the caller classifies), throws SinkUnavailableError when no
   * answer came (refused, TLS, timeout), with the fix in its message.
   */
  async request(method: "GET" | "PUT" | "POST" | "DELETE", path: string, options: { body?: string | Buffer; ndjson?: boolean; query?: Record<string, string> } = {}): Promise<ClusterResponse> {
    const query = options.query && Object.keys(options.query).length > 0 ? `?${new URLSearchParams(options.query).toString()}` : "";
    const headers = options.body === undefined ? this.headers : { ...this.headers, "content-type": options.ndjson ? "application/x-ndjson" : "application/json" };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({ origin: this.origin, path: `${this.basePath}${path}${query}`, method, headers, body: options.body });
    } catch (error) {
      const explained = this.explainUnreachable(error);
      throw new SinkUnavailableError(`cannot reach ${this.name} at ${this.address}: ${explained.what}. Fix: ${explained.fix}`, { cause: error });
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      const explained = this.explainUnreachable(error);
      throw new SinkUnavailableError(`${this.name} at ${this.address} answered ${response.statusCode} but the answer was cut short: ${explained.what}`, { cause: error });
    }
    return { status: response.statusCode, headers: response.headers, text };
  }

  /** A failure to get any HTTP answer, explained with the setting to check (never a secret). */
  explainUnreachable(error: unknown): Explanation {
    const codes = errorCodesOf(error);
    const detail = this.redact(`${rootMessageOf(error)}${codes[0] ? ` (${codes[0]})` : ""}`);
    const tlsCode = codes.find((c) => TLS_CODE.test(c));
    if (tlsCode !== undefined) return { what: `the TLS handshake failed: ${detail}`, fix: tlsFix(tlsCode) };
    switch (classifyNetworkFailure(error).failure) {
      case "dns":
        return { what: `the host name does not resolve: ${detail}`, fix: "check the host in url (a typo, or a name only an internal DNS knows)." };
      case "refused":
        return { what: `the connection was refused: ${detail}`, fix: `check that ${this.name} is running and listening on the port in url (9200 by default); delivery retries meanwhile.` };
      case "connect-timeout":
        return { what: `connecting timed out: ${detail}`, fix: "a firewall may drop the traffic, or the host in url is wrong; check the route to the cluster." };
      case "timeout":
        return { what: `the cluster did not answer within timeoutMs: ${detail}`, fix: "the cluster is slow on batches this size: raise timeoutMs or lower batch.maxEvents. Writing again is harmless (documents are keyed by the event id)." };
      case "reset":
        return { what: `the connection closed before the answer: ${detail}`, fix: "a proxy in front of the cluster dropped the connection, the node restarted, or url says http:// where the cluster speaks https://; delivery retries." };
      default:
        return { what: `the request failed: ${detail}`, fix: "check url and that the cluster is up; delivery retries." };
    }
  }

  /** Text with every credential replaced by [redacted]. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The cluster's own words from an error answer: `error.type: error.reason` (or the text itself, shortened). */
export function clusterErrorText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } } | string };
    const error = parsed.error;
    if (typeof error === "string") return error.slice(0, 500);
    if (error?.type || error?.reason) {
      const cause = error.caused_by?.reason ? ` (caused by ${error.caused_by.type ?? "error"}: ${error.caused_by.reason})` : "";
      return `${error.type ?? "error"}: ${error.reason ?? ""}${cause}`.slice(0, 500);
    }
  } catch {
    // not JSON: an HTML page from a proxy, or OpenSearch's plain "Unauthorized"
  }
  const flat = text.replace(/\s+/g, " ").trim();
  return flat === "" ? "(no answer body)" : flat.slice(0, 300);
}

function tlsFix(code: string): string {
  if (code === "CERT_NOT_YET_VALID" || code === "CERT_HAS_EXPIRED") return "the cluster's certificate is outside its validity dates: renew it, or correct this host's clock.";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH") return "the certificate does not name the host in url: use the name it was issued for, or set tls.serverName to it.";
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_OSSL_")) {
    return "the port speaks plain http (use http:// in url), or the cluster wants a client certificate (tls.certFile and tls.keyFile), or TLS versions do not match.";
  }
  return "the cluster's certificate is signed by a CA this host does not trust (Elasticsearch generates its own, e.g. config/certs/http_ca.crt): set tls.caFile to that CA's PEM file. Never use tls.insecureSkipVerify in production.";
}
