import { rootCertificates } from "node:tls";
import { Agent, ProxyAgent, request, type Dispatcher } from "undici";
import { packageVersion } from "../version.js";
import { networkErrorFrom } from "./network-failure.js";
import type { WizRequestSummary } from "./wiz-errors.js";

export interface TransportTimeouts {
  /** TCP + TLS connect. */
  connectMs: number;
  /**
   * Whole request, from sending to the last body byte. Below the ~115-120 s at which Wiz's gateway is
   * reported to cut a request, so our error (which says what to do) wins over the gateway's.
   */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<TransportTimeouts> = Object.freeze({ connectMs: 10_000, requestMs: 110_000 });

export interface TransportOptions {
  /** Used for every origin when given (tests, a shared pool, a custom interceptor chain). */
  dispatcher?: Dispatcher;
  /** Outbound proxy, e.g. `http://proxy.corp:3128`; traffic is tunnelled with CONNECT. */
  proxyUrl?: string;
  /** PEM CA chain trusted in addition to Node's bundled roots (TLS-inspecting proxies). */
  ca?: string;
  timeouts?: Partial<TransportTimeouts>;
  /** Default `wizbridge/<version>`. */
  userAgent?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Wiz's (or its gateway's) id for this request, when a known header carries it. */
  requestId?: string;
}

export interface SendOptions {
  operationName?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Names the far side in network error messages. */
  target?: "api" | "token endpoint";
  /** Set false when a failure of this request can never mean the GraphQL operation ran (token requests). */
  mayHaveExecuted?: boolean;
}

const REQUEST_ID_HEADERS = ["x-request-id", "x-wiz-request-id", "x-amzn-requestid", "x-amz-cf-id", "cf-ray"];

/** Builds the undici options used for one origin; exported so the TLS and proxy wiring can be checked. */
export function dispatcherOptions(options: Pick<TransportOptions, "ca" | "timeouts">): Agent.Options {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const ca = trustedCertificates(options.ca);
  return {
    connect: { timeout: timeouts.connectMs, ...(ca ? { ca } : {}) },
    headersTimeout: timeouts.requestMs,
    bodyTimeout: timeouts.requestMs,
    // Wiz pages take a while to build; keep idle sockets for the next page rather than reconnecting.
    keepAliveTimeout: 30_000,
  };
}

/** JSON and form POSTs over undici, one pooled Agent (or ProxyAgent) per origin. */
export class Transport {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly timeouts: TransportTimeouts;
  readonly userAgent: string;

  constructor(private readonly options: TransportOptions = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.userAgent = options.userAgent ?? `wizbridge/${packageVersion()}`;
  }

  postJson(url: string, payload: unknown, options: SendOptions = {}): Promise<HttpResponse> {
    return this.send(url, JSON.stringify(payload), "application/json", options);
  }

  postForm(url: string, form: URLSearchParams, options: SendOptions = {}): Promise<HttpResponse> {
    return this.send(url, form.toString(), "application/x-www-form-urlencoded", options);
  }

  /** Closes the Agents this transport created; an injected dispatcher belongs to the caller. */
  async close(): Promise<void> {
    const own = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(own.map((d) => d.close()));
  }

  private async send(url: string, body: string, contentType: string, options: SendOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      "content-type": contentType,
      accept: "application/json",
      "user-agent": this.userAgent,
      ...options.headers,
    };
    const summary: WizRequestSummary = { method: "POST", url, operationName: options.operationName, headers };
    const deadline = AbortSignal.timeout(this.timeouts.requestMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    try {
      const response = await request(url, { method: "POST", headers, body, signal, dispatcher: this.dispatcherFor(url) });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        headers: response.headers,
        body: text,
        requestId: requestIdOf(response.headers),
      };
    } catch (error) {
      // The deadline's abort surfaces as an AbortError whose reason is a TimeoutError; keep that distinction.
      const cause = deadline.aborted && !options.signal?.aborted ? deadline.reason : error;
      throw networkErrorFrom(cause, {
        request: summary,
        operationName: options.operationName,
        target: options.target ?? "api",
        ...(options.mayHaveExecuted === undefined ? {} : { mayHaveExecuted: options.mayHaveExecuted }),
      });
    }
  }

  private dispatcherFor(url: string): Dispatcher {
    if (this.options.dispatcher) return this.options.dispatcher;
    const origin = new URL(url).origin;
    let dispatcher = this.dispatchers.get(origin);
    if (!dispatcher) {
      const base = dispatcherOptions(this.options);
      dispatcher = this.options.proxyUrl
        ? new ProxyAgent({
            ...base,
            uri: this.options.proxyUrl,
            // The CA a TLS-inspecting proxy signs with applies to the tunnelled connection and, for an https proxy, to the proxy itself.
            ...(this.options.ca ? { requestTls: { ca: trustedCertificates(this.options.ca) }, proxyTls: { ca: trustedCertificates(this.options.ca) } } : {}),
          })
        : new Agent(base);
      this.dispatchers.set(origin, dispatcher);
    }
    return dispatcher;
  }
}

/** Node's `ca` option replaces the default roots; keep them so direct connections to Wiz still verify. */
function trustedCertificates(ca: string | undefined): string[] | undefined {
  return ca ? [...rootCertificates, ca] : undefined;
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  }
  return undefined;
}
