import type { Logger } from "pino";
import { z } from "zod";
import { parseRetryAfter } from "./retry-after.js";
import { scrubSecrets } from "./secret-scrubber.js";
import type { HttpResponse, Transport } from "./transport.js";
import { WizAuthError, WizRateLimitError, WizResponseError, WizServerError, type WizError, type WizRequestSummary } from "./wiz-errors.js";

export interface TokenCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
}

export interface TokenProviderOptions {
  transport: Transport;
  /** Epoch ms; token lifetimes are measured on this clock. */
  now?: () => number;
  /** Refresh this long before expiry at most. Default 60 s. */
  refreshMarginMs?: number;
  /** ...and at most this share of the lifetime, so short-lived tokens stay useful. Default 0.1. */
  refreshMarginRatio?: number;
  logger?: Logger;
}

export const DEFAULT_REFRESH_MARGIN_MS = 60_000;
export const DEFAULT_REFRESH_MARGIN_RATIO = 0.1;
/** Assumed when the token service omits expires_in: the shortest lifetime seen on a live tenant (gov, 900 s). */
const FALLBACK_LIFETIME_S = 900;

const tokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

const tokenErrorSchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
});

interface CachedToken {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * OAuth2 client-credentials tokens for Wiz, cached per (token URL, client id, audience). A token is
 * refreshed before it expires; concurrent callers share one refresh in flight. Share one provider
 * between the clients of a tenant to share its tokens.
 */
export class TokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly now: () => number;
  private readonly marginMs: number;
  private readonly marginRatio: number;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.marginRatio = options.refreshMarginRatio ?? DEFAULT_REFRESH_MARGIN_RATIO;
  }

  /** A valid access token, from the cache while it is fresh. */
  async getToken(credentials: TokenCredentials): Promise<string> {
    const key = cacheKey(credentials);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.value;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchToken(credentials).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const token = await pending;
    return token.value;
  }

  /**
   * Drops the cached token after Wiz refused it. Given the refused token, a newer one fetched meanwhile
   * by another caller is kept, so N callers hit by one expiry cause one refresh, not N.
   */
  invalidate(credentials: TokenCredentials, refusedToken?: string): void {
    const key = cacheKey(credentials);
    const cached = this.cache.get(key);
    if (cached && (refusedToken === undefined || cached.value === refusedToken)) this.cache.delete(key);
  }

  private async fetchToken(credentials: TokenCredentials): Promise<CachedToken> {
    const requestedAt = this.now();
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      audience: credentials.audience,
    });
    const response = await this.options.transport.postForm(credentials.tokenUrl, form, { target: "token endpoint", mayHaveExecuted: false });
    const token = this.readAnswer(response, credentials, requestedAt);
    this.cache.set(cacheKey(credentials), token);
    this.options.logger?.debug(
      { tokenHost: hostOf(credentials.tokenUrl), audience: credentials.audience, expiresInSeconds: Math.round((token.expiresAt - requestedAt) / 1000) },
      "wiz access token issued",
    );
    return token;
  }

  private readAnswer(response: HttpResponse, credentials: TokenCredentials, requestedAt: number): CachedToken {
    const request: WizRequestSummary = { method: "POST", url: credentials.tokenUrl };
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    if (response.status === 200) {
      const answer = tokenAnswerSchema.safeParse(json);
      if (answer.success) {
        // Measured from when we asked, not when the answer arrived: the token may have been minted at either end.
        const lifetimeMs = (answer.data.expires_in ?? FALLBACK_LIFETIME_S) * 1000;
        const margin = Math.min(this.marginMs, lifetimeMs * this.marginRatio);
        return { value: answer.data.access_token, expiresAt: requestedAt + lifetimeMs, refreshAt: requestedAt + lifetimeMs - margin };
      }
    }
    throw tokenError(response, json, credentials, request, this.now());
  }
}

function tokenError(response: HttpResponse, json: unknown, credentials: TokenCredentials, request: WizRequestSummary, now: number): WizError {
  const host = hostOf(credentials.tokenUrl);
  const base = { status: response.status, requestId: response.requestId, request, mayHaveExecuted: false };
  const parsed = tokenErrorSchema.safeParse(json);
  const body = parsed.success ? parsed.data : {};
  // Error bodies are echoed into messages, so strip anything secret first.
  const said = scrubSecrets([body.error, body.error_description ?? body.message].filter(Boolean).join(": ").slice(0, 300), [credentials.clientSecret]);
  const quoted = said ? ` (${said})` : "";

  if (response.status === 429) {
    return new WizRateLimitError(
      {
        what: `Wiz's token service at ${host} throttled the token request (HTTP 429)${quoted}.`,
        cause: "too many token requests from this tenant's integrations (a token cache that is not shared, or many processes starting at once).",
        fix: "share one TokenProvider between the clients of a tenant; wizbridge retries with backoff.",
      },
      { ...base, code: "TOKEN_RATE_LIMITED", retryAfterMs: parseRetryAfter(response.headers["retry-after"], now) },
    );
  }
  if (response.status >= 500) {
    return new WizServerError(
      {
        what: `Wiz's token service at ${host} answered HTTP ${response.status}${quoted}.`,
        cause: "a transient failure of the token service or a gateway in front of it.",
        fix: "wizbridge retries; if it persists, check https://status.wiz.io.",
      },
      { ...base, code: `TOKEN_HTTP_${response.status}`, retryable: true },
    );
  }
  if (response.status === 200) {
    return new WizResponseError(
      {
        what: `Wiz's token service at ${host} answered HTTP 200 without an access_token${quoted}.`,
        cause: "a proxy answered instead of Wiz, or the token URL points at something that is not an OAuth token endpoint.",
        fix: "check tokenUrl (Wiz's are https://auth.app.wiz.io/oauth/token and its regional variants) and the proxy settings.",
      },
      { ...base, code: "TOKEN_RESPONSE_INVALID", retryable: json === undefined },
    );
  }
  if (/audience/i.test(said)) {
    return new WizAuthError(
      {
        what: `Wiz's token service at ${host} refused the audience "${credentials.audience}" (HTTP ${response.status})${quoted}.`,
        cause: "the auth flavour does not match the token service: Cognito services (auth.app.wiz.io, auth.gov.wiz.io, auth.app.wiz.us) expect wiz-api; Auth0 services (auth.wiz.io, auth0.gov.wiz.io) expect beyond-api.",
        fix: "set authFlavor to match the tenant (cognito unless Wiz told you otherwise), or set audience explicitly.",
      },
      { ...base, code: "TOKEN_AUDIENCE_REJECTED", source: "token-endpoint" },
    );
  }
  return new WizAuthError(
    {
      what: `Wiz's token service at ${host} refused the client credentials (HTTP ${response.status})${quoted}.`,
      cause:
        "a wrong client secret or client id, a service account that was deleted or whose secret was rotated, or a tenant on another Wiz environment (Wiz for Gov tenants authenticate at auth.app.wiz.us, GovCloud at auth.gov.wiz.io, legacy Auth0 tenants at auth.wiz.io with audience beyond-api).",
      fix: "copy the client id and secret again from Wiz (Settings > Access Management > Service Accounts; the secret is shown once, so create a new one if it is lost), and set tenantType and authFlavor to match the tenant.",
    },
    { ...base, code: body.error ? `TOKEN_${body.error.toUpperCase()}` : "TOKEN_REFUSED", source: "token-endpoint" },
  );
}

function cacheKey(credentials: TokenCredentials): string {
  return `${credentials.tokenUrl}\n${credentials.clientId}\n${credentials.audience}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid token URL)";
  }
}
