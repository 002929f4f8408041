import { z } from "zod";
import { parseRetryAfter, retryAfterFromExtension } from "./retry-after.js";
import type { HttpResponse } from "./transport.js";
import {
  WizAuthError,
  WizError,
  WizInputError,
  WizNotFoundError,
  WizPermissionError,
  WizRateLimitError,
  WizResponseError,
  WizSchemaError,
  WizServerError,
  type WizGraphQLErrorItem,
  type WizRequestSummary,
} from "./wiz-errors.js";

const errorItemSchema = z.looseObject({
  message: z.string().catch("(no message)"),
  path: z.array(z.union([z.string(), z.number()])).optional().catch(undefined),
  extensions: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

const graphQLBodySchema = z.looseObject({
  data: z.unknown().optional(),
  errors: z.array(errorItemSchema).optional(),
});

export interface ResponseContext {
  operationName?: string;
  request: WizRequestSummary;
  /** Epoch ms, to read a Retry-After given as an HTTP date. */
  now: number;
  /** Removes known secrets (client secret, the token sent) from any text Wiz echoed back. */
  scrub(text: string): string;
}

export type GraphQLOutcome = { ok: true; data: unknown } | { ok: false; error: WizError };

/** Reads one HTTP answer from the GraphQL endpoint: the `data`, or the typed error it amounts to. */
export function readGraphQLResponse(response: HttpResponse, context: ResponseContext): GraphQLOutcome {
  const base = {
    status: response.status,
    requestId: response.requestId,
    operationName: context.operationName,
    request: context.request,
  };
  const parsed = parseBody(response.body);
  const items = parsed?.errors ?? [];
  const op = describeOperation(context.operationName);

  if (response.status === 401) {
    return fail(authError(items, base, context, op));
  }
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"], context.now) ?? retryAfterFromItems(items);
    return fail(rateLimitError({ ...base, code: "RATE_LIMIT_EXCEEDED", retryAfterMs, graphQLErrors: items }, op, "HTTP 429"));
  }
  if (response.status >= 500) {
    // 501/505 say the request itself is unsupported; repeating it cannot help.
    const retryable = response.status !== 501 && response.status !== 505;
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"], context.now);
    return fail(
      new WizServerError(
        {
          what: `Wiz answered HTTP ${response.status} to ${op}${items.length > 0 ? `: ${joinMessages(items, context)}` : ""}.`,
          cause: "a transient failure at Wiz or at a gateway in front of it (deployment, overload, or a request that ran past the gateway's ~120 s limit).",
          fix: "queries are retried automatically; if it persists use a smaller page size or a narrower filter, and check https://status.wiz.io.",
        },
        { ...base, code: `HTTP_${response.status}`, retryable, mayHaveExecuted: true, graphQLErrors: items, retryAfterMs },
      ),
    );
  }
  if (response.status === 404 && items.length === 0) {
    return fail(
      new WizResponseError(
        {
          what: `The endpoint ${context.request.url} answered HTTP 404 to ${op}.`,
          cause: "the endpoint URL is wrong: a path other than /graphql, or a host that is not a Wiz API host.",
          fix: "use the API endpoint shown in the Wiz console under User Settings > Tenant Info, e.g. https://api.us17.app.wiz.io/graphql, or set region instead.",
        },
        { ...base, code: "ENDPOINT_NOT_FOUND", retryable: false, mayHaveExecuted: false },
      ),
    );
  }
  if (!parsed) {
    return fail(
      new WizResponseError(
        {
          what: `Wiz's answer to ${op} is not GraphQL JSON (HTTP ${response.status}, ${response.body.length} characters, content-type ${String(response.headers["content-type"] ?? "none")}).`,
          cause: "the body was cut off (a dropped connection or a proxy that truncates), or a proxy or captive portal answered instead of Wiz.",
          fix: "queries are retried automatically; if it persists, check the proxy between this host and Wiz.",
        },
        { ...base, code: "MALFORMED_RESPONSE", retryable: response.status === 200, mayHaveExecuted: true },
      ),
    );
  }
  if (response.status === 403 && items.length === 0) {
    return fail(permissionError([{ message: "Forbidden", extensions: { code: "UNAUTHORIZED" } }], undefined, base, context, op));
  }
  if (items.length > 0) return fail(errorFromItems(items, parsed.data, base, context, op));
  if (response.status !== 200 || !("data" in parsed)) {
    return fail(
      new WizResponseError(
        {
          what: `Wiz answered HTTP ${response.status} to ${op} without data or errors.`,
          cause: "an unexpected answer from Wiz or from a proxy in between.",
          fix: "try again; if it persists, capture the request id and contact Wiz support.",
        },
        { ...base, code: "UNEXPECTED_RESPONSE", retryable: false, mayHaveExecuted: true },
      ),
    );
  }
  return { ok: true, data: parsed.data };
}

type BaseDetails = { status: number; requestId?: string; operationName?: string; request: WizRequestSummary };

/** Picks the error that matters most when Wiz returns several, and types it. */
function errorFromItems(items: WizGraphQLErrorItem[], data: unknown, base: BaseDetails, context: ResponseContext, op: string): WizError {
  const partialData = hasAnyValue(data) ? data : undefined;
  const byCode = (code: string): WizGraphQLErrorItem | undefined => items.find((e) => e.extensions?.code === code);
  const details = { ...base, graphQLErrors: items, partialData };
  const messages = joinMessages(items, context);

  if (byCode("UNAUTHENTICATED")) return authError(items, base, context, op);
  if (byCode("RATE_LIMIT_EXCEEDED")) {
    return rateLimitError({ ...details, code: "RATE_LIMIT_EXCEEDED", retryAfterMs: retryAfterFromItems(items) }, op, "RATE_LIMIT_EXCEEDED in the response body");
  }
  const drift = items.find((e) => /Cannot query field/i.test(e.message));
  if (drift || byCode("GRAPHQL_VALIDATION_FAILED")) {
    const item = drift ?? byCode("GRAPHQL_VALIDATION_FAILED");
    const match = /Cannot query field "?([\w$]+)"? on type "?([\w$]+)"?/i.exec(item?.message ?? "");
    const field = match?.[1];
    const typeName = match?.[2];
    return new WizSchemaError(
      {
        what: field
          ? `Wiz's GraphQL schema has no field "${field}" on type "${typeName ?? "?"}" (${op}): ${messages}.`
          : `Wiz rejected the GraphQL document of ${op} as invalid against its schema: ${messages}.`,
        cause: "the Wiz schema drifted: Wiz renamed or removed a field or argument, or this tenant runs an API version other than the one wizbridge was built against.",
        fix: `upgrade wizbridge, or remove or rename ${field ? `"${field}"` : "the field"} in the query; report it so schema/wiz.graphql can follow Wiz.`,
      },
      { ...details, code: String(item?.extensions?.code ?? "GRAPHQL_VALIDATION_FAILED"), field, typeName },
    );
  }
  if (byCode("UNAUTHORIZED") || byCode("FORBIDDEN_IP") || byCode("FORBIDDEN")) return permissionError(items, partialData, base, context, op);
  const parseFailure = byCode("GRAPHQL_PARSE_FAILED");
  if (parseFailure) {
    return new WizInputError(
      {
        what: `The GraphQL document of ${op} does not parse: ${messages}.`,
        cause: "a syntax error in the query text.",
        fix: "fix the document; run it through graphql's parse() to see the position of the error.",
      },
      { ...details, code: "GRAPHQL_PARSE_FAILED" },
    );
  }
  const badInput = byCode("BAD_USER_INPUT");
  if (badInput) {
    const path = inputPath(badInput);
    return new WizInputError(
      {
        what: `Wiz refused an input value of ${op}${path ? ` at ${path}` : ""}: ${messages}.`,
        cause: "a filter or argument value Wiz does not accept (an unknown enum value, a wrong type, a page size above the query's cap, a malformed id).",
        fix: `correct the value${path ? ` at ${path}` : ""}; the message names what Wiz expects.`,
      },
      { ...details, code: "BAD_USER_INPUT", path },
    );
  }
  if (byCode("NOT_FOUND") || items.some((e) => /resource not found/i.test(e.message))) {
    return new WizNotFoundError(
      {
        what: `Wiz found no such object for ${op}: ${messages}.`,
        cause: "the id is wrong, belongs to another tenant, or the object was deleted.",
        fix: "check the id (list the objects first) and that the endpoint points at the tenant that owns it.",
      },
      { ...details, code: "NOT_FOUND", retryable: false, mayHaveExecuted: true },
    );
  }
  if (byCode("INTERNAL")) {
    return new WizServerError(
      {
        what: `Wiz reported an internal error for ${op}: ${messages}.`,
        cause: "a failure inside Wiz while running the query, often transient, sometimes a heavy query.",
        fix: "queries are retried automatically; if it persists, narrow the filter or lower the page size, and give Wiz support the request id.",
      },
      { ...details, code: "INTERNAL", retryable: true, mayHaveExecuted: true },
    );
  }
  const code = items.map((e) => e.extensions?.code).find((c): c is string => typeof c === "string") ?? "GRAPHQL_ERROR";
  return new WizError(
    {
      what: `Wiz returned an error for ${op} (${code}): ${messages}.`,
      cause: "an error code this version of wizbridge does not know.",
      fix: "read Wiz's message above; upgrade wizbridge if the code is new.",
    },
    { ...details, code, retryable: false, mayHaveExecuted: true },
  );
}

function authError(items: WizGraphQLErrorItem[], base: BaseDetails, context: ResponseContext, op: string): WizAuthError {
  return new WizAuthError(
    {
      what: `Wiz refused the access token for ${op} (HTTP ${base.status}, UNAUTHENTICATED${items.length > 0 ? `: ${joinMessages(items, context)}` : ""}).`,
      cause:
        "the token expired or was revoked (service account rotated or deleted), or it comes from another Wiz environment than the API endpoint (wrong region, or a Wiz for Gov tenant reached through the commercial auth service).",
      fix: "wizbridge fetches a new token and retries once by itself; if it still fails, check that region or endpoint match the tenant (User Settings > Tenant Info), that tenantType and authFlavor match it (Wiz for Gov: app.wiz.us), and that the service account still exists.",
    },
    { ...base, code: "UNAUTHENTICATED", graphQLErrors: items, source: "api" },
  );
}

function rateLimitError(details: ConstructorParameters<typeof WizRateLimitError>[1], op: string, how: string): WizRateLimitError {
  const wait = details.retryAfterMs !== undefined ? ` and asked to wait ${Math.ceil(details.retryAfterMs / 1000)} s` : "";
  return new WizRateLimitError(
    {
      what: `Wiz throttled ${op} (${how})${wait}.`,
      cause: "the tenant's API rate limit was exceeded; every integration on the tenant shares it (public guidance: about 3 requests per second).",
      fix: "lower requestsPerSecond or maxConcurrency for this tenant, and share one RateLimiter between the clients of a tenant; wizbridge retries throttled calls with backoff and honours Retry-After.",
    },
    details,
  );
}

function permissionError(items: WizGraphQLErrorItem[], partialData: unknown, base: BaseDetails, context: ResponseContext, op: string): WizPermissionError {
  const messages = joinMessages(items, context);
  if (items.some((e) => e.extensions?.code === "FORBIDDEN_IP")) {
    return new WizPermissionError(
      {
        what: `Wiz refused ${op} from this IP address: ${messages}.`,
        cause: "the service account is restricted to an IP allow list that does not include this host's (or its proxy's) egress address.",
        fix: "ask a Wiz admin to add the egress IP to the service account's allowed addresses, or run wizbridge from an allowed network.",
      },
      { ...base, code: "FORBIDDEN_IP", graphQLErrors: items, partialData },
    );
  }
  const scopes = missingScopes(items);
  const named = scopes.length === 0 ? "a permission" : scopes.length === 1 ? `the scope ${scopes[0]}` : `one of the scopes ${scopes.join(", ")}`;
  return new WizPermissionError(
    {
      what: `Wiz refused ${op}: the service account lacks ${named} (${messages}).`,
      cause: "the service account was created without that scope, or it was removed since.",
      fix: `in Wiz, Settings > Access Management > Service Accounts, add ${scopes.length > 0 ? scopes.join(" or ") : "the scope the operation needs"} to the account; a token keeps the scopes it was issued with, so restart wizbridge (or wait for the token to expire) afterwards.`,
    },
    { ...base, code: "UNAUTHORIZED", graphQLErrors: items, partialData, missingScopes: scopes },
  );
}

const SCOPE_PATTERN = /\b(?:read|write|update|create|delete|admin|manage|execute):[a-z_]+(?::[a-z_]+)*\b/g;

/** Scopes named by `extensions.requiredScopes` or, failing that, in Wiz's message text. */
export function missingScopes(items: readonly WizGraphQLErrorItem[]): string[] {
  const found = new Set<string>();
  for (const item of items) {
    const listed = item.extensions?.requiredScopes ?? item.extensions?.missingScopes;
    if (Array.isArray(listed)) for (const s of listed) if (typeof s === "string") found.add(s);
  }
  if (found.size === 0) for (const item of items) for (const m of item.message.matchAll(SCOPE_PATTERN)) found.add(m[0]);
  return [...found];
}

/** Where a BAD_USER_INPUT points: `extensions.exception.path`, graphql-js's `at "..."`, the variable, or the response path. */
export function inputPath(item: WizGraphQLErrorItem): string | undefined {
  const exception = item.extensions?.exception;
  if (exception && typeof exception === "object" && Array.isArray((exception as { path?: unknown }).path)) {
    return ((exception as { path: unknown[] }).path).map(String).join(".");
  }
  const at = /\bat "([^"]+)"/.exec(item.message);
  if (at?.[1]) return at[1];
  const variable = /Variable "\$([\w]+)"/.exec(item.message);
  if (variable?.[1]) return variable[1];
  const argument = /\b(first|after|filterBy|orderBy|input)\b/.exec(item.message);
  if (item.path && item.path.length > 0) return [...item.path.map(String), ...(argument?.[1] ? [argument[1]] : [])].join(".");
  return undefined;
}

function retryAfterFromItems(items: readonly WizGraphQLErrorItem[]): number | undefined {
  for (const item of items) {
    const ms = retryAfterFromExtension(item.extensions?.retryAfter);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

function parseBody(body: string): z.infer<typeof graphQLBodySchema> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = graphQLBodySchema.safeParse(json);
  return result.success ? result.data : undefined;
}

/** Wiz's messages, deduplicated (XW does the same) and scrubbed of anything secret. */
function joinMessages(items: readonly WizGraphQLErrorItem[], context: ResponseContext): string {
  return context.scrub([...new Set(items.map((e) => e.message.replace(/[.\s]+$/, "")))].join("; "));
}

function describeOperation(name: string | undefined): string {
  return name ? `operation ${name}` : "the GraphQL request";
}

function hasAnyValue(data: unknown): boolean {
  if (data === null || data === undefined || typeof data !== "object") return false;
  return Object.values(data).some((v) => v !== null && v !== undefined);
}

function fail(error: WizError): GraphQLOutcome {
  return { ok: false, error };
}
