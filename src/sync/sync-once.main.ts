/**
 * A bare process entry for `sync --config <file>` (`node dist/src/sync/sync-once.main.js --config x.yaml`),
 * used by the crash test to kill a real sync mid-run. Users run `wizbridge sync`, which does the same.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "./config-error.js";
import { loadSyncConfigFile } from "./config-loader.js";
import { WizFilterValidator } from "./filter-validator.js";
import { createSyncLogger } from "./sync-logger.js";
import { openSyncSession, syncOnce } from "./sync-session.js";
import { loadWizSchema } from "./wiz-schema-file.js";

process.env.NODE_ENV ??= "production";
const { values } = parseArgs({ options: { config: { type: "string" }, full: { type: "boolean", default: false }, "log-level": { type: "string", default: "warn" } } });
if (!values.config) {
  console.error("usage: sync-once.main.js --config <file> [--full] [--log-level info]");
  process.exit(2);
}
const logger = createSyncLogger(values["log-level"] ?? "warn");
try {
  const config = loadSyncConfigFile(values.config, { validator: new WizFilterValidator(loadWizSchema()), env: process.env });
  const session = await openSyncSession(config, logger);
  try {
    const result = await syncOnce(session, { full: values.full, drainTimeoutMs: 60_000 });
    console.log(JSON.stringify(result));
    process.exitCode = result.summaries.every((s) => s.status === "succeeded") && result.undelivered === 0 ? 0 : 1;
  } finally {
    await session.close();
  }
} catch (error) {
  console.error(`wizbridge: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
