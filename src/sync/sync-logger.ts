import { pino, type DestinationStream, type Logger } from "pino";
import { WIZ_LOG_REDACT_PATHS } from "../wiz/index.js";

/** pino JSON on stderr (stdout stays free for the stdout sink), with every credential path redacted. */
export function createSyncLogger(level: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: "wizbridge" },
      redact: { paths: [...WIZ_LOG_REDACT_PATHS, "connection.clientSecret", "*.connection.clientSecret", "settings.clientSecret"], censor: "[REDACTED]" },
    },
    destination,
  );
}
