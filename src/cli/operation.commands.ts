import { InvalidArgumentError, Option, type Command } from "commander";
import type { Logger } from "pino";
import { z } from "zod";
import type { Page, ResolvedConnectionSettings } from "../wiz/index.js";
import type { OperationDefinition } from "../wiz/operations/operation-definition.js";
import { parseOperationInput } from "../wiz/operations/operation-input.js";
import type { CliIo } from "./cli-io.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES_HELP, exitCodeFor } from "./exit-codes.js";
import { parseJsonObject, readJsonInputFile } from "./json-input.js";
import { inputFromFlags, kebabCase, planOperationFlags, type OperationFlag } from "./operation-flags.js";
import { hintMorePages, printAllPages, printResult, type OutputFormat } from "./operation-output.js";
import { cliLogger } from "./cli-logger.js";
import { resolveCliSettings } from "./cli-settings.js";

/** What the commands need from the SDK client. */
export interface OperationClient {
  run(resource: string, name: string, input: unknown): Promise<unknown>;
  /** Pages of a list operation, following cursors; the input's `first` is the page size. */
  pages(resource: string, name: string, input: unknown): AsyncIterable<Page<unknown>>;
  close(): Promise<void>;
}

export type OpenOperationClient = (settings: ResolvedConnectionSettings, logger: Logger) => OperationClient;

export interface OperationCommandsOptions {
  operations: readonly OperationDefinition[];
  openClient: OpenOperationClient;
  io: CliIo;
}

interface CommonFlags extends ConnectionFlags {
  jsonInput?: string;
  input?: string;
  output?: OutputFormat;
  all?: boolean;
  limit?: number;
  verbose?: boolean;
}

/** Flags every operation command has; a derived input flag with one of these names gets its parent's prefix. */
export const RESERVED_FLAGS: ReadonlySet<string> = new Set([
  "help",
  "json-input",
  "input",
  "output",
  "all",
  "limit",
  "verbose",
  "profile",
  "client-id",
  "client-secret",
  "region",
  "endpoint",
  "tenant-type",
  "auth-flavor",
  "token-url",
  "audience",
  "proxy",
  "ca-file",
  "allow-non-wiz-hosts",
]);

/** One subcommand per resource, one per operation under it, flags derived from the operation's zod input. */
export function registerOperationCommands(program: Command, options: OperationCommandsOptions): void {
  const resources = new Map<string, OperationDefinition[]>();
  for (const op of options.operations) resources.set(op.resource, [...(resources.get(op.resource) ?? []), op]);
  for (const [resource, operations] of resources) {
    const resourceCommand = program.command(kebabCase(resource)).description(`Wiz ${resource} operations: ${operations.map((op) => kebabCase(op.name)).join(", ")}`);
    if (kebabCase(resource) !== resource) resourceCommand.alias(resource);
    resourceCommand.addHelpText("after", `\n${EXIT_CODES_HELP}`);
    for (const op of operations) registerOperationCommand(resourceCommand, op, options);
  }
}

function registerOperationCommand(parent: Command, op: OperationDefinition, options: OperationCommandsOptions): void {
  const plan = planOperationFlags(z.toJSONSchema(op.input, { io: "input", unrepresentable: "any" }), RESERVED_FLAGS);
  const command = parent.command(kebabCase(op.name)).description(`${op.description}${op.mutating ? " (changes data in Wiz)" : ""}`);
  if (kebabCase(op.name) !== op.name) command.alias(op.name);

  for (const flag of plan.flags) command.addOption(flagOption(flag).helpGroup("Input:"));
  command
    .addOption(new Option("--json-input <file>", "read the whole input as JSON from a file, or - for stdin; flags override its fields").helpGroup("Input:"))
    .addOption(new Option("--input <json>", "the whole input as inline JSON; flags override its fields").conflicts("jsonInput").helpGroup("Input:"))
    .addOption(new Option("--output <format>", "json (default when stdout is not a terminal) or table (default on a terminal)").choices(["json", "table"]).helpGroup("Output:"));
  if (op.paginated) {
    command
      .addOption(new Option("--all", "follow every page (progress on stderr when it is a terminal)").helpGroup("Output:"))
      .addOption(new Option("--limit <n>", "stop after n records").argParser(positiveInteger("--limit")).helpGroup("Output:"));
  }
  command.addOption(new Option("--verbose", "log requests and the (secret-free) connection settings to stderr").helpGroup("Output:"));
  addConnectionOptions(command);
  command.addHelpText("after", operationHelp(op, plan.jsonOnly));

  command.action(async (flags: CommonFlags & Record<string, unknown>) => {
    await runOperationCommand(op, plan.flags, flags, options);
  });
}

async function runOperationCommand(op: OperationDefinition, inputFlags: readonly OperationFlag[], flags: CommonFlags & Record<string, unknown>, options: OperationCommandsOptions): Promise<void> {
  const { io } = options;
  const verbose = flags.verbose === true;
  let client: OperationClient | undefined;
  let secret: string | undefined;
  try {
    const input = await buildInput(op, inputFlags, flags, io);
    const settings = resolveCliSettings(flags, io, verbose);
    secret = settings.clientSecret;
    client = options.openClient(settings, cliLogger(io, verbose));
    const format: OutputFormat = flags.output ?? (io.stdout.isTTY ? "table" : "json");
    const sized = withLimit(op, input, flags.limit);
    if (flags.all && op.paginated) {
      await printAllPages(client.pages(op.resource, op.name, sized), format, flags.limit, io);
    } else {
      const result = await client.run(op.resource, op.name, sized);
      await printResult(result, format, flags.limit, io);
      if (op.mutating) io.stderr.write(`${kebabCase(op.resource)} ${kebabCase(op.name)}: applied in Wiz; the output is Wiz's answer (the changed state).\n`);
      else if (io.stderr.isTTY && op.paginated) hintMorePages(result, io);
    }
  } catch (error) {
    io.stderr.write(`${formatCliError(error, { secrets: secret ? [secret] : [], verbose })}\n`);
    io.setExitCode(exitCodeFor(error));
  } finally {
    await client?.close();
  }
}

/** The input object: JSON from the file or --input, flags over it, checked against the zod input before any request. */
async function buildInput(op: OperationDefinition, inputFlags: readonly OperationFlag[], flags: CommonFlags & Record<string, unknown>, io: CliIo): Promise<Record<string, unknown>> {
  let base: Record<string, unknown> = {};
  if (flags.jsonInput !== undefined) base = parseJsonObject(await readJsonInputFile(flags.jsonInput, () => io.readStdin()));
  else if (flags.input !== undefined) base = parseJsonObject({ flag: "--input", text: flags.input });
  const input = inputFromFlags(inputFlags, flags, base);
  // Checked here too, so a bad value is refused before a token is even requested.
  parseOperationInput(op, input);
  // The raw input goes on: the client parses it again, and a transform must not run twice.
  return input;
}

/** `--limit` asks Wiz for pages no larger than the rows that will be shown. */
function withLimit(op: OperationDefinition, input: Record<string, unknown>, limit: number | undefined): Record<string, unknown> {
  if (limit === undefined || !op.paginated || input.first !== undefined || !acceptsFirst(op)) return input;
  return { ...input, first: Math.min(limit, op.paginated.pageCap) };
}

function acceptsFirst(op: OperationDefinition): boolean {
  const schema = z.toJSONSchema(op.input, { io: "input", unrepresentable: "any" });
  return typeof schema.properties === "object" && "first" in schema.properties;
}

function flagOption(flag: OperationFlag): Option {
  const choices = flag.choices ? ` (${flag.choices.join(", ")})` : "";
  if (flag.kind === "boolean" && !flag.multiple) return new Option(`--${flag.name} [bool]`, `${flag.description} (true when given alone)`);
  const placeholder = flag.multiple ? "<values>" : flag.kind === "string" ? "<value>" : "<n>";
  const option = new Option(`--${flag.name} ${placeholder}`, `${flag.description}${choices}`);
  // Repeats accumulate for arrays; for a scalar the last one wins, as usual for CLIs.
  return flag.multiple ? option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]) : option;
}

function operationHelp(op: OperationDefinition, jsonOnly: readonly string[]): string {
  const cli = `wizbridge ${kebabCase(op.resource)} ${kebabCase(op.name)}`;
  const lines = [
    "",
    `Wiz scope needed: ${op.scopes.length > 0 ? op.scopes.join(" or ") : "none"}${op.mutating ? "; this operation changes data in Wiz" : ""}.`,
    ...(jsonOnly.length > 0 ? [`Only through --input / --json-input (nested objects): ${jsonOnly.join(", ")}.`] : []),
    "",
    "Examples:",
    `  ${cli} --json-input input.json --output json`,
    `  echo '{}' | ${cli} --json-input -`,
    ...(op.paginated ? [`  ${cli} --all --limit 1000 --output json > records.json`] : []),
    "",
    EXIT_CODES_HELP,
  ];
  return lines.join("\n");
}

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
    return n;
  };
}

