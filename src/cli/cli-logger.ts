import { pino, type Logger } from "pino";
import { WIZ_LOG_REDACT_PATHS } from "../wiz/index.js";
import type { CliIo } from "./cli-io.js";

/**
 * Logs go to stderr (stdout carries results, or the MCP protocol), with credential paths redacted. A
 * one-shot command prints its own error, so it logs only errors unless `--verbose` or LOG_LEVEL asks.
 */
export function cliLogger(io: CliIo, verbose: boolean, quietLevel: "error" | "warn" | "info" = "error"): Logger {
  const level = verbose ? "debug" : (io.env.LOG_LEVEL ?? quietLevel);
  return pino({ level, redact: { paths: [...WIZ_LOG_REDACT_PATHS], censor: "[REDACTED]" } }, pino.destination({ fd: 2, sync: true }));
}
