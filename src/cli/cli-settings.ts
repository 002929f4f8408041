import { describeSettings, resolveConnectionSettings, type ResolvedConnectionSettings } from "../wiz/index.js";
import type { CliIo } from "./cli-io.js";
import { resolveConnectionInput, type ConnectionFlags } from "./connection-options.js";

/**
 * Settings from flags, env vars and profile, validated before anything is sent. Fix-ups (a trimmed
 * secret, an added /graphql) are reported on stderr; `--verbose` also prints the log-safe summary.
 */
export function resolveCliSettings(flags: ConnectionFlags, io: CliIo, verbose: boolean): ResolvedConnectionSettings {
  const settings = resolveConnectionSettings(resolveConnectionInput(flags, io.env, undefined, (line) => io.stderr.write(`${line}\n`)), {
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  if (verbose) io.stderr.write(`connection: ${JSON.stringify(describeSettings(settings))}\n`);
  return settings;
}
