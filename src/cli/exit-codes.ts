import {
  WizAuthError,
  WizInputError,
  WizNetworkError,
  WizNotFoundError,
  WizPermissionError,
  WizRateLimitError,
  WizResponseError,
  WizServerError,
  WizSettingsError,
} from "../wiz/index.js";
import { CliInputError } from "./cli-input-error.js";

/** Process exit codes, so scripts can tell a fixable input from an outage without parsing text. */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  other: 1,
  input: 2,
  auth: 3,
  permission: 4,
  rateLimit: 5,
  network: 6,
  notFound: 7,
});

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code a failure maps to; anything unrecognised is 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliInputError || error instanceof WizInputError || error instanceof WizSettingsError) return EXIT_CODES.input;
  if (error instanceof WizAuthError) return EXIT_CODES.auth;
  if (error instanceof WizPermissionError) return EXIT_CODES.permission;
  if (error instanceof WizRateLimitError) return EXIT_CODES.rateLimit;
  // A proxy answering instead of Wiz (WizResponseError) is as much "the path to Wiz is broken" as a dropped connection.
  if (error instanceof WizNetworkError || error instanceof WizServerError || error instanceof WizResponseError) return EXIT_CODES.network;
  if (error instanceof WizNotFoundError) return EXIT_CODES.notFound;
  return EXIT_CODES.other;
}

/** The `--help` epilog listing the codes. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  success",
  "  1  other failure (Wiz schema drift, unexpected answer, bug)",
  "  2  bad input or usage: unknown flag or value, malformed JSON input, invalid settings (nothing was sent)",
  "  3  authentication: the token service refused the client id/secret, or Wiz refused the token",
  "  4  permission: the service account lacks a scope (the message names it) or the IP is not allowed",
  "  5  rate limit: Wiz kept throttling after retries",
  "  6  network or server: DNS, connection, TLS, timeout, Wiz 5xx, a proxy answering instead of Wiz, or a sink that did not take every event (sync)",
  "  7  not found: no object with that id",
].join("\n");
