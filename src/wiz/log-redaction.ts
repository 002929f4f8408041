import type { Logger } from "pino";

/**
 * pino redact paths for anything that could carry a Wiz credential. The SDK never logs secrets on
 * purpose; these catch a secret that reaches a log by accident (a settings object, a request copy).
 */
export const WIZ_LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "accessToken",
  "*.accessToken",
  "access_token",
  "*.access_token",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.*.headers.authorization",
  'headers["proxy-authorization"]',
  '*.headers["proxy-authorization"]',
]);

/** A child of `logger` for the SDK, with the redaction paths applied whatever the parent's configuration. */
export function wizLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child(bindings, { redact: { paths: [...WIZ_LOG_REDACT_PATHS], censor: "[REDACTED]" } });
}
