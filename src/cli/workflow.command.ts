import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { portalOriginOf } from "../model/portal-links.js";
import { openStore, type Store } from "../store/store-database.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import type { SyncConfig } from "../sync/sync-config.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";
import { WizClient } from "../wiz/index.js";
import { REPORT_FORMATS, type ReportFormat } from "../workflows/report/render-report.js";
import { ResourceNotFoundError } from "../workflows/resolve-resource-id.js";
import type { WorkflowJob } from "../workflows/workflow-config.js";
import { findWorkflow } from "../workflows/workflow-catalogue.js";
import { describeRun, runWorkflowJob } from "../workflows/workflow-job.js";
import { createWorkflowResources } from "../workflows/workflow-resources.js";
import { WorkflowInputError, type WorkflowRunResult } from "../workflows/workflow-runner.js";
import { CliInputError } from "./cli-input-error.js";
import { writeOut, type CliIo } from "./cli-io.js";
import { cliLogger } from "./cli-logger.js";
import { resolveCliSettings } from "./cli-settings.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES, EXIT_CODES_HELP, exitCodeFor } from "./exit-codes.js";

/** A workflow flag and the parameter it fills (flags override `--params`). */
interface ParameterFlag {
  flags: string;
  description: string;
  parameter: string;
  kind: "string" | "int" | "list" | "bool" | "route";
}

interface WorkflowCommandSpec {
  name: string;
  /** A positional argument filling this parameter (`asset-sweep <provider-id>`). */
  argument?: { name: string; parameter: string };
  flags: ParameterFlag[];
  example: string;
}

const STATUS = (parameter: string, what: string): ParameterFlag => ({ flags: "--status <status>", description: `${what} (repeat; OPEN, IN_PROGRESS, RESOLVED, REJECTED)`, parameter, kind: "list" });
const LIMIT = (what: string): ParameterFlag => ({ flags: "--limit <n>", description: what, parameter: "limit", kind: "int" });

const COMMANDS: readonly WorkflowCommandSpec[] = [
  {
    name: "triage-digest",
    flags: [
      { flags: "--severity <severity>", description: "severities listed one by one (repeat; default CRITICAL)", parameter: "severities", kind: "list" },
      STATUS("statuses", "issue statuses counted and listed (default OPEN and IN_PROGRESS)"),
      { flags: "--project <id>", description: "only this project's issues (its Wiz UUID)", parameter: "project", kind: "string" },
      LIMIT("at most this many issues listed (default 50)"),
      { flags: "--notify-when-clear", description: "notify also when no issue is listed", parameter: "notifyWhenClear", kind: "bool" },
    ],
    example: "wizbridge workflow triage-digest --config wizbridge.yaml --notify chat --format html --out triage.html",
  },
  {
    name: "asset-sweep",
    argument: { name: "provider-id", parameter: "providerId" },
    flags: [STATUS("issueStatuses", "issue statuses (default OPEN and IN_PROGRESS)"), LIMIT("at most this many issues and findings (default 1000)")],
    example: "wizbridge workflow asset-sweep arn:aws:ec2:us-east-1:123456789012:instance/i-0abc --format csv --out sweep.csv",
  },
  {
    name: "threat-response",
    flags: [
      { flags: "--minutes <n>", description: "detections created in the last n minutes (default 5)", parameter: "minutes", kind: "int" },
      { flags: "--severity <severity>", description: "detection severities (repeat; default CRITICAL)", parameter: "severities", kind: "list" },
      { flags: "--route <platform=action>", description: "route a cloud platform (or default) to an action of workflows.actions (repeat)", parameter: "routes", kind: "route" },
      LIMIT("at most this many detections per run (default 1000)"),
    ],
    example: "wizbridge workflow threat-response --config wizbridge.yaml --route AWS=isolate-aws --route default=soc --dry-run",
  },
  {
    name: "evidence",
    argument: { name: "issue-id", parameter: "issueId" },
    flags: [LIMIT("at most this many graph rows (default 500)")],
    example: "wizbridge workflow evidence 6f2b4c0e-1d5a-4c3e-9f7b-2a8d1e0c3b4a --format json",
  },
  {
    name: "project-report",
    flags: [
      STATUS("statuses", "issue statuses counted (default OPEN and IN_PROGRESS)"),
      { flags: "--search <text>", description: "only projects whose name contains this text", parameter: "search", kind: "string" },
      { flags: "--include-champions", description: "mail the security champions too", parameter: "includeChampions", kind: "bool" },
    ],
    example: "wizbridge workflow project-report --config wizbridge.yaml --notify mail --format html --out projects.html",
  },
  {
    name: "forensics",
    argument: { name: "provider-id", parameter: "providerId" },
    flags: [],
    example: "wizbridge workflow forensics arn:aws:ec2:us-east-1:123456789012:instance/i-0abc --config wizbridge.yaml --notify chat",
  },
];

interface CommonFlags extends ConnectionFlags {
  config?: string;
  connector?: string;
  dataDir: string;
  notify?: string[];
  format: ReportFormat;
  out?: string;
  params?: string;
  dryRun?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function addCommonOptions(command: Command): Command {
  command
    .addOption(new Option("-c, --config <file>", "config file: the connector's connection, workflows.notifiers and workflows.actions, and the store"))
    .addOption(new Option("--connector <id>", "the connector of the config whose Wiz tenant to use (default: the only one)"))
    .addOption(new Option("--data-dir <dir>", "without --config: where the store keeps what threat-response and forensics handled").default("./data"))
    .addOption(new Option("--notify <name>", "send the digest to this notifier of workflows.notifiers (repeat)").argParser(collect))
    .addOption(new Option("--format <format>", "report format").choices([...REPORT_FORMATS]).default("markdown"))
    .addOption(new Option("--out <file>", "write the report to this file instead of stdout ({date} and {time} are replaced)"))
    .addOption(new Option("--params <json>", "the workflow's parameters as JSON (as a job's parameters:); flags override its fields"))
    .addOption(new Option("--verbose", "log requests to stderr"));
  return addConnectionOptions(command);
}

/** `wizbridge workflow <name>`: the workflows of OPERATIONS.md run once from the command line, and `workflow job <id>` for a configured job. */
export function registerWorkflowCommand(program: Command, io: CliIo): Command {
  const parent = program
    .command("workflow")
    .description("Run a workflow once: triage-digest, asset-sweep, threat-response, evidence, project-report, forensics; or a job of the config (workflow job <id>)")
    .addHelpText("after", `\nScheduled runs: put jobs under workflows.jobs in the config file; \`wizbridge start\` runs them on their cron.\n\n${EXIT_CODES_HELP}`);
  for (const spec of COMMANDS) {
    const definition = findWorkflow(spec.name);
    if (!definition) continue;
    const command = parent.command(spec.name).description(`${definition.description}${definition.mutating ? " (changes Wiz; --dry-run shows what it would do)" : ""}`);
    if (spec.argument) command.argument(`<${spec.argument.name}>`);
    for (const flag of spec.flags) {
      const option = new Option(flag.flags, flag.description);
      command.addOption(flag.kind === "list" || flag.kind === "route" ? option.argParser(collect) : option);
    }
    if (definition.mutating) command.addOption(new Option("--dry-run", "show what would happen: run no action, change nothing in Wiz or in the store, send nothing"));
    addCommonOptions(command).addHelpText("after", `\nExample:\n  ${spec.example}\n\n${EXIT_CODES_HELP}`);
    command.action(async (...args: unknown[]) => {
      const flags = (spec.argument ? args[1] : args[0]) as CommonFlags & Record<string, unknown>;
      const positional = spec.argument ? (args[0] as string) : undefined;
      await runCommand(io, flags, (config) => ({
        id: spec.name,
        workflow: spec.name,
        connector: connectorOf(config, flags.connector),
        enabled: true,
        parameters: parametersOf(spec, flags, positional),
        notify: flags.notify ?? [],
        report: { format: flags.format, ...(flags.out ? { out: flags.out } : {}) },
        dryRun: flags.dryRun === true,
      }));
    });
  }
  const job = parent
    .command("job")
    .description("Run a job of the config's workflows.jobs now, with its parameters, notifiers and report settings")
    .argument("<id>")
    .addOption(new Option("-c, --config <file>", "the config file").makeOptionMandatory())
    .addOption(new Option("--dry-run", "show what the job would do and change nothing"))
    .addOption(new Option("--verbose", "log requests to stderr"));
  job.action(async (id: string, flags: { config: string; dryRun?: boolean; verbose?: boolean }) => {
    await runCommand(io, { ...flags, dataDir: "./data", format: "markdown" }, (config) => {
      const found = config?.workflows?.jobs.find((j) => j.id === id);
      if (!found) throw new CliInputError(`The config has no workflow job "${id}".`, `use one of: ${config?.workflows?.jobs.map((j) => j.id).join(", ") || "(none: add jobs under workflows.jobs)"}.`);
      return flags.dryRun ? { ...found, dryRun: true } : found;
    });
  });
  return parent;
}

function connectorOf(config: SyncConfig | undefined, named: string | undefined): string {
  if (!config) return "cli";
  const ids = config.connectors.map((c) => c.id);
  const id = named ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) throw new CliInputError(`The config has ${ids.length} connectors.`, `pick one with --connector (${ids.join(", ")}).`);
  if (!ids.includes(id)) throw new CliInputError(`The config has no connector "${id}".`, `use one of: ${ids.join(", ")}.`);
  return id;
}

function parametersOf(spec: WorkflowCommandSpec, flags: Record<string, unknown>, positional: string | undefined): Record<string, unknown> {
  let parameters: Record<string, unknown> = {};
  if (typeof flags.params === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(flags.params);
    } catch (error) {
      throw new CliInputError(`--params is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, `pass an object, e.g. --params '{"limit": 20}'.`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliInputError("--params must be a JSON object.", `pass an object, e.g. --params '{"limit": 20}'.`);
    parameters = parsed as Record<string, unknown>;
  }
  if (spec.argument && positional !== undefined) parameters[spec.argument.parameter] = positional;
  for (const flag of spec.flags) {
    const key = flag.flags.replace(/^--([a-z-]+).*$/, "$1").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = flags[key];
    if (value === undefined) continue;
    if (flag.kind === "int") {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new CliInputError(`${flag.flags.split(" ")[0]} must be a whole number, got ${JSON.stringify(value)}.`, `pass e.g. ${flag.flags.split(" ")[0]} 10.`);
      parameters[flag.parameter] = n;
    } else if (flag.kind === "route") {
      const routes: Record<string, string> = { ...(parameters.routes as Record<string, string> | undefined) };
      for (const entry of value as string[]) {
        const at = entry.indexOf("=");
        if (at <= 0 || at === entry.length - 1) throw new CliInputError(`--route ${entry} is not PLATFORM=ACTION.`, "write e.g. --route AWS=isolate-aws or --route default=notify-soc.");
        routes[entry.slice(0, at)] = entry.slice(at + 1);
      }
      parameters.routes = routes;
    } else {
      parameters[flag.parameter] = value;
    }
  }
  return parameters;
}

/** Loads the config (or the connection flags), opens what the job needs, runs it, prints the report and says what it did. */
async function runCommand(io: CliIo, flags: CommonFlags, jobOf: (config: SyncConfig | undefined) => WorkflowJob): Promise<void> {
  const verbose = flags.verbose === true;
  const logger = cliLogger(io, verbose);
  const secrets: string[] = [];
  let client: WizClient | undefined;
  let store: Store | undefined;
  let resources: ReturnType<typeof createWorkflowResources> | undefined;
  try {
    const config = flags.config ? loadSyncConfigFile(flags.config, { validator: new WizFilterValidator(loadWizSchema()), env: io.env }) : undefined;
    const job = jobOf(config);
    const definition = findWorkflow(job.workflow);
    if (!definition) throw new CliInputError(`There is no workflow "${job.workflow}".`, "run `wizbridge workflow --help` for the list.");
    const connector = config?.connectors.find((c) => c.id === job.connector);
    const settings = connector?.connection ?? resolveCliSettings(flags, io, verbose);
    secrets.push(settings.clientSecret, ...secretsOf(config));
    client = connector ? new WizClient(settings, { rateLimit: connector.rateLimit, logger }) : new WizClient(settings, { logger });
    if (definition.usesStore) store = await openStore(config?.storePath ?? resolve(flags.dataDir, "wizbridge.db"));
    resources = createWorkflowResources(config?.workflows);
    const opened = client;
    const result = await runWorkflowJob(job, {
      clientFor: () => opened,
      portalOriginOf: () => portalOriginOf(settings.endpoint),
      ...(store ? { db: store.db } : {}),
      resources,
      logger,
      now: Date.now,
    });
    if (!result.outFile) await writeOut(io.stdout, result.rendered);
    io.stderr.write(`${describeRun(job.id, result)}\n`);
    io.setExitCode(exitCodeOf(result));
  } catch (error) {
    io.stderr.write(`${formatCliError(error, { secrets, verbose })}\n`);
    io.setExitCode(error instanceof ConfigError || error instanceof WorkflowInputError ? EXIT_CODES.input : error instanceof ResourceNotFoundError ? EXIT_CODES.notFound : exitCodeFor(error));
  } finally {
    await resources?.close();
    await client?.close();
    await store?.close();
  }
}

/** 1 when an action failed, 6 when a notifier did not take the digest, else 0: a cron wrapper notices either. */
function exitCodeOf(result: WorkflowRunResult): number {
  const data = result.report.data as { detections?: Array<{ outcome: { kind: string } }> } | null;
  if (data?.detections?.some((d) => d.outcome.kind === "failed")) return EXIT_CODES.other;
  if (result.deliveries.some((d) => !d.ok && d.detail !== "dry run: not sent")) return EXIT_CODES.network;
  return EXIT_CODES.ok;
}

/** Notifier and action secrets of the config, scrubbed from anything printed. */
function secretsOf(config: SyncConfig | undefined): string[] {
  const found: string[] = [];
  for (const spec of Object.values(config?.workflows?.notifiers ?? {})) {
    if (spec.type === "smtp" && spec.auth) found.push(spec.auth.pass);
    if (spec.type === "webhook") found.push(...Object.values(spec.headers ?? {}), ...(spec.secret ? [spec.secret] : []));
    if (spec.type !== "smtp") found.push(spec.url);
  }
  for (const spec of Object.values(config?.workflows?.actions ?? {})) {
    if (spec.type === "webhook") found.push(spec.url, ...Object.values(spec.headers ?? {}));
    else found.push(...Object.values(spec.env ?? {}));
  }
  return found.filter((s) => s.length >= 8);
}
