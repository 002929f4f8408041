import { scrubSecrets, WizError, WizPermissionError } from "../wiz/index.js";
import { CliInputError } from "./cli-input-error.js";

/**
 * What the CLI prints for a failure: what happened, the likely cause and what to do, on separate lines.
 * Known secrets are scrubbed once more here: the SDK never puts them in errors, and this is the last door.
 */
export function formatCliError(error: unknown, options: { secrets?: readonly string[]; verbose?: boolean } = {}): string {
  const lines: string[] = [];
  if (error instanceof WizError) {
    lines.push(`error: ${error.what}`, `  likely cause: ${error.likelyCause}`, `  what to do: ${error.fix}`);
    if (error instanceof WizPermissionError && error.missingScopes.length > 0) lines.push(`  missing scope: ${error.missingScopes.join(" or ")}`);
    if (error.attempts > 1) lines.push(`  attempts: ${error.attempts} (${Math.round(error.totalRetryDelayMs)} ms of backoff)`);
    if (error.requestId) lines.push(`  request id: ${error.requestId}`);
    if (options.verbose) lines.push(`  code: ${error.code}, HTTP status: ${error.status}`);
  } else if (error instanceof CliInputError) {
    lines.push(`error: ${error.message}`, `  what to do: ${error.fix}`);
  } else if (error instanceof Error) {
    lines.push(`error: ${error.message}`);
    if (options.verbose && error.stack) lines.push(error.stack);
  } else {
    lines.push(`error: ${String(error)}`);
  }
  return scrubSecrets(lines.join("\n"), (options.secrets ?? []).filter((s) => s.length > 0));
}
