import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { scrubSecrets, WizError } from "../wiz/index.js";
import { executeOperationRequest, parseOperationRequest } from "../wiz/operations/operation-request.js";
import type { CliIo } from "./cli-io.js";
import { writeOut } from "./cli-io.js";
import { CliInputError } from "./cli-input-error.js";
import { cliLogger } from "./cli-logger.js";
import { resolveCliSettings } from "./cli-settings.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES_HELP, exitCodeFor, type ExitCode } from "./exit-codes.js";
import type { OpenOperationClient, OperationClient } from "./operation.commands.js";
import { parseRequestBatch } from "./request-batch.js";

interface RunFlags extends ConnectionFlags {
  continueOnError?: boolean;
  verbose?: boolean;
}

export interface RunCommandOptions {
  openClient: OpenOperationClient;
  io: CliIo;
}

/** One printed line per request, so a script can pair each answer with the request it sent. */
interface RequestOutcome {
  index: number;
  resource: unknown;
  operation: unknown;
  ok: boolean;
  result?: unknown;
  error?: { type: string; code: string; message: string; exitCode: ExitCode };
}

const EXAMPLE = '{"integration_service": "wiz", "resource": "issue", "operation": "update", "parameters": {"issueId": "<uuid>", "patch": {"status": "IN_PROGRESS"}}}';

/** `wizbridge run [FILE|-]`: request envelopes as workflow tools write them (OPERATIONS.md), run in order. */
export function registerRunCommand(program: Command, options: RunCommandOptions): void {
  const command = program
    .command("run")
    .argument("[file]", "a file of requests, or - (the default) for stdin")
    .description("Run Wiz operation requests {resource, operation, parameters} in order: one JSON object, a JSON array, or NDJSON; prints one JSON line per request")
    .option("--continue-on-error", "run the remaining requests after one fails (the exit code is still the first failure's)", false)
    .option("--verbose", "log requests and the (secret-free) connection settings to stderr");
  addConnectionOptions(command);
  command.addHelpText(
    "after",
    [
      "",
      "Each request is an envelope whose parameters are Wiz's own GraphQL variables, e.g.",
      `  ${EXAMPLE}`,
      "Each answer is a line {index, resource, operation, ok, result | error}. Mutating operations run.",
      "",
      "Examples:",
      "  wizbridge run requests.ndjson",
      `  echo '{"resource": "issue", "operation": "severityCounts", "parameters": {}}' | wizbridge run`,
      "",
      EXIT_CODES_HELP,
    ].join("\n"),
  );
  command.action(async (file: string | undefined, flags: RunFlags) => {
    await runRequests(file ?? "-", flags, options);
  });
}

async function runRequests(file: string, flags: RunFlags, options: RunCommandOptions): Promise<void> {
  const { io } = options;
  const verbose = flags.verbose === true;
  let client: OperationClient | undefined;
  let secret: string | undefined;
  try {
    const source = file === "-" ? "stdin" : file;
    const requests = parseRequestBatch(await readRequests(file, io), source);
    const settings = resolveCliSettings(flags, io, verbose);
    secret = settings.clientSecret;
    client = options.openClient(settings, cliLogger(io, verbose));
    const secrets = secret ? [secret] : [];
    let firstFailure: ExitCode | undefined;
    for (const [index, raw] of requests.entries()) {
      const outcome = await runOne(client, index, raw, secrets);
      await writeOut(io.stdout, `${JSON.stringify(outcome)}\n`);
      if (outcome.ok) continue;
      firstFailure ??= outcome.error?.exitCode;
      if (!flags.continueOnError) {
        const left = requests.length - index - 1;
        if (left > 0) io.stderr.write(`run: request #${index} failed; ${left} later request${left > 1 ? "s were" : " was"} not run (--continue-on-error runs them).\n`);
        break;
      }
    }
    if (firstFailure !== undefined) io.setExitCode(firstFailure);
  } catch (error) {
    io.stderr.write(`${formatCliError(error, { secrets: secret ? [secret] : [], verbose })}\n`);
    io.setExitCode(exitCodeFor(error));
  } finally {
    await client?.close();
  }
}

async function runOne(client: OperationClient, index: number, raw: unknown, secrets: readonly string[]): Promise<RequestOutcome> {
  const named = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const base = { index, resource: named.resource ?? null, operation: named.operation ?? null };
  try {
    const request = parseOperationRequest(raw);
    const result = await executeOperationRequest(client, request, { allowMutations: true });
    return { ...base, ok: true, result: result ?? null };
  } catch (error) {
    return { ...base, ok: false, error: describeError(error, secrets) };
  }
}

function describeError(error: unknown, secrets: readonly string[]): NonNullable<RequestOutcome["error"]> {
  const exitCode = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  const type = error instanceof Error ? error.name : "Error";
  const code = error instanceof WizError ? error.code : error instanceof CliInputError ? "INVALID_INPUT" : "ERROR";
  return { type, code, message: scrubSecrets(message, secrets.filter((s) => s.length > 0)), exitCode };
}

async function readRequests(file: string, io: CliIo): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new CliInputError(`wizbridge run ${file}: the file cannot be read: ${reason}.`, "give the path of a file of requests (JSON or NDJSON), or - to read them from stdin.");
  }
}
