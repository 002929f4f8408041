import { WizAuthError, WizNetworkError, WizRateLimitError, WizResponseError, WizServerError, type WizError } from "./wiz-errors.js";

/**
 * What kind of failure an error is, for the retry decision:
 * throttle (Wiz asked us to slow down), transient (network or cut response), server (5xx, INTERNAL),
 * unauthenticated (the token was refused: refresh it and retry once), client (retrying cannot help).
 */
export type FailureClass = "throttle" | "transient" | "server" | "unauthenticated" | "client";

export function classifyFailure(error: WizError): FailureClass {
  if (error instanceof WizRateLimitError) return "throttle";
  if (error instanceof WizAuthError) return error.source === "api" ? "unauthenticated" : "client";
  if (!error.retryable) return "client";
  if (error instanceof WizNetworkError || error instanceof WizResponseError) return "transient";
  if (error instanceof WizServerError) return "server";
  return "client";
}
