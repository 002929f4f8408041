export { abortableSleep, type Sleep } from "./abortable-sleep.js";
export {
  cleanCredential,
  connectionSettingsSchema,
  describeSettings,
  resolveConnectionSettings,
  type AuthFlavor,
  type ConnectionSettingsInput,
  type ResolveOptions,
  type ResolvedConnectionSettings,
  type TenantType,
} from "./connection-settings.js";
export { classifyFailure, type FailureClass } from "./failure-class.js";
export { describeDocument, type DocumentInfo } from "./graphql-document.js";
export { readGraphQLResponse, type GraphQLOutcome, type ResponseContext } from "./graphql-response.js";
export { WIZ_LOG_REDACT_PATHS, wizLogger } from "./log-redaction.js";
export { DEFAULT_PAGE_SIZE, PageIterator, type Page, type PageFetcher, type PageInfo, type PaginateOptions, type RelayConnection } from "./paginate.js";
export { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitPermit, type RateLimiterOptions } from "./rate-limiter.js";
export { parseRetryAfter } from "./retry-after.js";
export { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from "./retry-budget.js";
export { DEFAULT_RETRY_OPTIONS, RetryPolicy, type RetryContext, type RetryEvent, type RetryPolicyOptions } from "./retry-policy.js";
export { scrubSecrets } from "./secret-scrubber.js";
export { DEFAULT_REFRESH_MARGIN_MS, DEFAULT_REFRESH_MARGIN_RATIO, TokenProvider, type TokenCredentials, type TokenProviderOptions } from "./token-provider.js";
export { DEFAULT_TIMEOUTS, dispatcherOptions, Transport, type HttpResponse, type SendOptions, type TransportOptions, type TransportTimeouts } from "./transport.js";
export { WizClientCore, type GraphQLCallOptions, type GraphQLVariables, type WizClientCoreOptions } from "./wiz-client-core.js";
export {
  redactRequest,
  redactUrl,
  WizAuthError,
  WizError,
  WizInputError,
  WizNetworkError,
  WizNotFoundError,
  WizPaginationError,
  WizPermissionError,
  WizRateLimitError,
  WizResponseError,
  WizSchemaError,
  WizServerError,
  WizSettingsError,
  type WizErrorDetails,
  type WizErrorExplanation,
  type WizGraphQLErrorItem,
  type WizNetworkFailure,
  type WizRequestSummary,
} from "./wiz-errors.js";
export { WizClient } from "./wiz-client.js";
export { OPERATIONS, OPERATION_MAP, RESOURCES, findOperation } from "./operations/registry.js";
export type { OperationDefinition } from "./operations/operation-definition.js";
export {
  executeOperationRequest,
  isMutatingRequest,
  parseOperationRequest,
  type ExecuteOperationOptions,
  type OperationRequest,
  type OperationRequestClient,
} from "./operations/operation-request.js";
export { ISSUE_NOTE_MAX_LENGTH, truncateIssueNote } from "./operations/issue/issue-note-text.js";
