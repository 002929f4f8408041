/**
 * The errors the Wiz SDK throws. One base type carries what every caller needs to decide (HTTP status,
 * Wiz error code, request id, attempts, total retry delay, retryable); subclasses name the kind of failure.
 * Every message says what happened, the likely cause and what to do, as Wiz's troubleshooting tables do.
 * Nothing here may ever hold a client secret or an access token: the request copy is redacted on entry.
 */

/** What a user reads: three parts, so the CLI can also print them separately. */
export interface WizErrorExplanation {
  what: string;
  cause: string;
  fix: string;
}

/** A GraphQL error item as Wiz sends it (`message`, `path`, `extensions.code`, ...). */
export interface WizGraphQLErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** The copy of the request kept on an error: method, URL and headers with credentials removed. */
export interface WizRequestSummary {
  method: string;
  url: string;
  operationName?: string;
  headers?: Record<string, string>;
}

export interface WizErrorDetails {
  /** Wiz `extensions.code` (UNAUTHENTICATED, BAD_USER_INPUT...) or one of ours (NETWORK_TIMEOUT...). */
  code: string;
  /** HTTP status of the answer; 0 when no answer arrived; 200 for GraphQL errors in a 200 body. */
  status?: number;
  requestId?: string;
  operationName?: string;
  /** True when trying again could succeed (throttling, a transient or server failure). */
  retryable?: boolean;
  /**
   * False only when the request certainly did not run at Wiz (refused before sending, throttled,
   * unauthenticated). A mutation is replayed only when this is false.
   */
  mayHaveExecuted?: boolean;
  request?: WizRequestSummary;
  graphQLErrors?: readonly WizGraphQLErrorItem[];
  /** The `data` Wiz returned next to `errors` (a partial result), when any field resolved. */
  partialData?: unknown;
  /** How long the server asked to wait before trying again (Retry-After, `extensions.retryAfter`), ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

const REDACTED = "[REDACTED]";
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$/i;
const SENSITIVE_QUERY = /token|secret|password|key|auth/i;

/** Removes credentials from a request copy: auth headers, URL user info and secret-looking query values. */
export function redactRequest(request: WizRequestSummary): WizRequestSummary {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name] = SENSITIVE_HEADER.test(name) ? (/^bearer\s/i.test(value) ? `Bearer ${REDACTED}` : REDACTED) : value;
  }
  return {
    method: request.method,
    url: redactUrl(request.url),
    ...(request.operationName ? { operationName: request.operationName } : {}),
    ...(request.headers ? { headers } : {}),
  };
}

/** A URL safe to print: no user:password, no secret-looking query values. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return REDACTED;
  }
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = "";
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SENSITIVE_QUERY.test(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/** Base of every error the Wiz SDK throws. */
export class WizError extends Error {
  override readonly name: string = "WizError";
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly operationName: string | undefined;
  readonly retryable: boolean;
  readonly mayHaveExecuted: boolean;
  readonly what: string;
  readonly likelyCause: string;
  readonly fix: string;
  readonly request: WizRequestSummary | undefined;
  readonly graphQLErrors: readonly WizGraphQLErrorItem[];
  readonly partialData: unknown;
  readonly retryAfterMs: number | undefined;
  /** Requests sent for this call, including the one that failed. Set by the retry policy. */
  attempts = 1;
  /** Time spent waiting between attempts, in ms. Set by the retry policy. */
  totalRetryDelayMs = 0;

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails) {
    super(composeMessage(explanation), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.status = details.status ?? 0;
    this.requestId = details.requestId;
    this.operationName = details.operationName;
    this.retryable = details.retryable ?? false;
    this.mayHaveExecuted = details.mayHaveExecuted ?? true;
    this.what = explanation.what;
    this.likelyCause = explanation.cause;
    this.fix = explanation.fix;
    this.request = details.request ? redactRequest(details.request) : undefined;
    this.graphQLErrors = details.graphQLErrors ?? [];
    this.partialData = details.partialData;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Records how many requests the call took and how long it waited; the message then says so. */
  recordAttempts(attempts: number, totalRetryDelayMs: number, note?: string): this {
    this.attempts = attempts;
    this.totalRetryDelayMs = totalRetryDelayMs;
    if (attempts > 1 || note) {
      const tried = attempts > 1 ? ` (gave up after ${attempts} attempts and ${formatMs(totalRetryDelayMs)} of backoff)` : "";
      this.message = `${this.message}${tried}${note ? ` ${note}` : ""}`;
    }
    return this;
  }

  /** JSON for logs and API answers: the public fields, never the cause chain (it may hold a raw response). */
  toJSON(): Record<string, unknown> {
    const { request, graphQLErrors, partialData: _partial, name: _name, message: _message, ...fields } = { ...this };
    return {
      name: this.name,
      message: this.message,
      ...fields,
      ...(request ? { request } : {}),
      ...(graphQLErrors.length > 0 ? { graphQLErrors } : {}),
      hasPartialData: this.partialData !== undefined && this.partialData !== null,
    };
  }
}

/** The token endpoint refused the credentials, or the API refused the token. */
export class WizAuthError extends WizError {
  override readonly name: string = "WizAuthError";
  /** Where the refusal came from: the OAuth token endpoint or the GraphQL API. */
  readonly source: "token-endpoint" | "api";

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails & { source: "token-endpoint" | "api" }) {
    super(explanation, { ...details, mayHaveExecuted: false });
    this.source = details.source;
  }
}

/** The service account lacks a scope (UNAUTHORIZED), or the caller's IP is not allowed (FORBIDDEN_IP). */
export class WizPermissionError extends WizError {
  override readonly name: string = "WizPermissionError";
  /** Scopes Wiz said are needed, e.g. `read:vulnerabilities`; empty when Wiz did not name them. */
  readonly missingScopes: readonly string[];

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails & { missingScopes?: readonly string[] }) {
    super(explanation, { ...details, mayHaveExecuted: details.mayHaveExecuted ?? false });
    this.missingScopes = details.missingScopes ?? [];
  }
}

/** Wiz throttled the request (HTTP 429 or RATE_LIMIT_EXCEEDED in a 200 body). */
export class WizRateLimitError extends WizError {
  override readonly name: string = "WizRateLimitError";

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails) {
    super(explanation, { ...details, retryable: true, mayHaveExecuted: false });
  }
}

/** Wiz refused a variable or argument value (BAD_USER_INPUT). */
export class WizInputError extends WizError {
  override readonly name: string = "WizInputError";
  /** Where the bad value sits, e.g. `filterBy.severity[0]` or `issuesV2.first`. */
  readonly path: string | undefined;

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails & { path?: string }) {
    super(explanation, { ...details, retryable: false, mayHaveExecuted: details.mayHaveExecuted ?? false });
    this.path = details.path;
  }
}

/** The document does not validate against Wiz's schema: the schema drifted or the query is wrong. */
export class WizSchemaError extends WizError {
  override readonly name: string = "WizSchemaError";
  readonly field: string | undefined;
  readonly typeName: string | undefined;

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails & { field?: string; typeName?: string }) {
    super(explanation, { ...details, retryable: false, mayHaveExecuted: false });
    this.field = details.field;
    this.typeName = details.typeName;
  }
}

/** The object asked for does not exist (NOT_FOUND, "Resource not found"). */
export class WizNotFoundError extends WizError {
  override readonly name: string = "WizNotFoundError";
}

export type WizNetworkFailure = "dns" | "refused" | "connect-timeout" | "timeout" | "reset" | "tls" | "aborted" | "other";

/** No usable HTTP answer: DNS, refused connection, TLS, timeout, connection dropped. */
export class WizNetworkError extends WizError {
  override readonly name: string = "WizNetworkError";
  readonly failure: WizNetworkFailure;

  constructor(explanation: WizErrorExplanation, details: WizErrorDetails & { failure: WizNetworkFailure }) {
    super(explanation, details);
    this.failure = details.failure;
  }
}

/** Wiz or a gateway in front of it answered 5xx or INTERNAL. */
export class WizServerError extends WizError {
  override readonly name: string = "WizServerError";
}

/** Wiz answered something that is not the GraphQL JSON expected (cut body, HTML, wrong shape). */
export class WizResponseError extends WizError {
  override readonly name: string = "WizResponseError";
}

/** The connection settings are wrong; raised before any request is sent. */
export class WizSettingsError extends WizError {
  override readonly name: string = "WizSettingsError";
  /** The setting at fault, e.g. `endpoint` or `region`. */
  readonly setting: string;

  constructor(explanation: WizErrorExplanation, setting: string) {
    super(explanation, { code: "INVALID_SETTINGS", retryable: false, mayHaveExecuted: false });
    this.setting = setting;
  }
}

/** A paginated walk cannot continue safely (repeated cursor, missing endCursor). */
export class WizPaginationError extends WizError {
  override readonly name: string = "WizPaginationError";
}

function composeMessage(explanation: WizErrorExplanation): string {
  return `${explanation.what} Likely cause: ${explanation.cause} What to do: ${explanation.fix}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
