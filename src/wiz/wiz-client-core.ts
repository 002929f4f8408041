import type { Dispatcher } from "undici";
import { pino, type Logger } from "pino";
import type { Sleep } from "./abortable-sleep.js";
import { describeSettings, resolveConnectionSettings, type ConnectionSettingsInput, type ResolvedConnectionSettings } from "./connection-settings.js";
import { describeDocument, type DocumentInfo } from "./graphql-document.js";
import { readGraphQLResponse } from "./graphql-response.js";
import { wizLogger } from "./log-redaction.js";
import { PageIterator, type PaginateOptions, type RelayConnection } from "./paginate.js";
import { RateLimiter, type RateLimiterOptions } from "./rate-limiter.js";
import { RetryPolicy, type RetryPolicyOptions } from "./retry-policy.js";
import { scrubSecrets } from "./secret-scrubber.js";
import { TokenProvider, type TokenCredentials } from "./token-provider.js";
import { Transport } from "./transport.js";
import { WizError } from "./wiz-errors.js";

export type GraphQLVariables = Record<string, unknown>;

export interface GraphQLCallOptions {
  /** Names the call in logs and errors; also picks the operation in a document holding several. */
  operationName?: string;
  /**
   * Whether the call changes state at Wiz. A mutation that may have reached Wiz is never replayed.
   * Default: true when the document's operation is a `mutation`; set it for queries with side
   * effects (requestSecurityScanUpload reserves an upload slot).
   */
  mutating?: boolean;
  signal?: AbortSignal;
}

export interface WizClientCoreOptions {
  /** Raw settings (validated here) or settings already resolved by resolveConnectionSettings. */
  settings: ConnectionSettingsInput | ResolvedConnectionSettings;
  /** Parent logger; the client logs through a child with credential redaction. Default: silent. */
  logger?: Logger;
  /** undici dispatcher for every request (a shared pool, a test interceptor). Default: an Agent per origin. */
  dispatcher?: Dispatcher;
  /** Share one between the clients of a tenant to share its cached tokens. */
  tokenProvider?: TokenProvider;
  /** Share one between the clients of a tenant: the tenant's rate limit is shared too. */
  rateLimiter?: RateLimiter;
  /** Used when no rateLimiter is given. Default 3 requests/s, 3 in flight. */
  rateLimit?: Partial<Pick<RateLimiterOptions, "requestsPerSecond" | "maxConcurrency">>;
  /** Retry tuning; `budget` may be shared between clients. */
  retry?: Partial<RetryPolicyOptions>;
  /** Epoch ms: token lifetimes and Retry-After dates. Default Date.now. */
  now?: () => number;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  /** Backoff sleep (the rate limiter keeps its own; inject a RateLimiter to change it). */
  sleep?: Sleep;
  /** Told about settings that were fixed up (trimmed credentials...). Default: logged at warn. */
  onWarning?: (message: string) => void;
}

/**
 * The request pipeline every Wiz operation goes through:
 * settings -> token provider -> retry policy -> rate limiter -> transport -> typed result or error.
 * An operation registry calls `graphql()` and `paginate()`; nothing here knows about particular operations.
 */
export class WizClientCore {
  readonly settings: ResolvedConnectionSettings;
  readonly rateLimiter: RateLimiter;
  readonly tokenProvider: TokenProvider;
  private readonly transport: Transport;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly credentials: TokenCredentials;
  /** Parsed documents by text; bounded, since an operation registry reuses a few dozen documents. */
  private readonly documents = new Map<string, DocumentInfo>();

  constructor(options: WizClientCoreOptions) {
    const parent = options.logger ?? pino({ level: "silent" });
    const settings = isResolved(options.settings)
      ? options.settings
      : resolveConnectionSettings(options.settings, { onWarning: options.onWarning ?? ((message) => parent.warn({ component: "wiz-client" }, message)) });
    this.settings = settings;
    this.logger = wizLogger(parent, { component: "wiz-client", endpoint: settings.endpoint });
    this.now = options.now ?? Date.now;
    this.transport = new Transport({ dispatcher: options.dispatcher, proxyUrl: settings.proxyUrl, ca: settings.ca, timeouts: settings.timeouts });
    this.tokenProvider = options.tokenProvider ?? new TokenProvider({ transport: this.transport, now: this.now, logger: this.logger });
    // The limiter keeps real time on purpose: an injected fast sleep (for backoff in tests) must not defeat pacing.
    this.rateLimiter = options.rateLimiter ?? new RateLimiter({ ...options.rateLimit });
    this.retry = new RetryPolicy({
      ...(options.random ? { random: options.random } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...options.retry,
    });
    this.credentials = { tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, audience: settings.audience };
    this.logger.debug({ settings: describeSettings(settings) }, "wiz client ready");
  }

  /** Runs one GraphQL operation; returns `data` or throws a typed WizError (with `partialData` when Wiz sent some). */
  async graphql<TData = unknown>(document: string, variables: GraphQLVariables = {}, options: GraphQLCallOptions = {}): Promise<TData> {
    const info = this.describe(document, options.operationName);
    const operationName = info.operationName;
    const mutating = options.mutating ?? info.isMutation;
    let lastToken: string | undefined;
    try {
      return await this.retry.run(
        async (attempt) => {
          const token = await this.tokenProvider.getToken(this.credentials);
          lastToken = token;
          const permit = await this.rateLimiter.acquire(options.signal);
          const started = performance.now();
          let response;
          try {
            response = await this.transport.postJson(
              this.settings.endpoint,
              { query: document, variables, ...(options.operationName ? { operationName: options.operationName } : {}) },
              { operationName, headers: { authorization: `Bearer ${token}` }, signal: options.signal },
            );
          } finally {
            permit.release();
          }
          const durationMs = Math.round(performance.now() - started);
          this.logger.debug({ operationName, status: response.status, attempt, durationMs, requestId: response.requestId }, "wiz request answered");
          const outcome = readGraphQLResponse(response, {
            operationName,
            request: { method: "POST", url: this.settings.endpoint, operationName },
            now: this.now(),
            scrub: (text) => scrubSecrets(text, [this.settings.clientSecret, token]),
          });
          if (!outcome.ok) throw outcome.error;
          return outcome.data as TData;
        },
        {
          mutating,
          signal: options.signal,
          onUnauthenticated: () => {
            this.logger.info({ operationName }, "wiz refused the access token; dropping it so the next attempt fetches a new one");
            this.tokenProvider.invalidate(this.credentials, lastToken);
          },
          onRetry: ({ attempt, delayMs, failure, error }) => {
            this.logger.warn({ operationName, attempt, delayMs, failure, code: error.code, status: error.status, requestId: error.requestId }, "wiz request failed; retrying");
          },
        },
      );
    } catch (error) {
      if (error instanceof WizError) {
        this.logger.warn(
          { operationName, code: error.code, status: error.status, attempts: error.attempts, totalRetryDelayMs: error.totalRetryDelayMs, error: error.name, requestId: error.requestId },
          "wiz request failed",
        );
      }
      throw error;
    }
  }

  /**
   * Walks a Relay connection: `for await (const page of client.paginate(...))` for pages, `.nodes()` for
   * records. The document must take `$first` and `$after` (or the names in options) and select
   * `pageInfo { hasNextPage endCursor }` on the connection `pick` returns.
   */
  paginate<TNode, TData = unknown>(
    document: string,
    variables: GraphQLVariables,
    pick: (data: TData) => RelayConnection<TNode> | null | undefined,
    options: PaginateOptions & GraphQLCallOptions = {},
  ): PageIterator<TNode, TData> {
    const info = this.describe(document, options.operationName);
    const call: GraphQLCallOptions = { operationName: options.operationName, mutating: options.mutating, signal: options.signal };
    return new PageIterator<TNode, TData>((pageVariables) => this.graphql<TData>(document, pageVariables, call), variables, pick, {
      ...options,
      operationName: info.operationName,
    });
  }

  /** Closes the connection pools this client opened. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private describe(document: string, operationName: string | undefined): DocumentInfo {
    const key = `${operationName ?? ""}\n${document}`;
    let info = this.documents.get(key);
    if (!info) {
      info = describeDocument(document, operationName);
      if (this.documents.size >= 256) this.documents.clear();
      this.documents.set(key, info);
    }
    return info;
  }
}

function isResolved(settings: ConnectionSettingsInput | ResolvedConnectionSettings): settings is ResolvedConnectionSettings {
  // Only resolveConnectionSettings produces a frozen object with these derived fields.
  return Object.isFrozen(settings) && "tokenUrl" in settings && "audience" in settings && "timeouts" in settings && "tenantType" in settings;
}
