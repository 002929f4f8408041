import { InvalidArgumentError, Option, type Command } from "commander";
import { checkConnection, DEFAULT_FEATURES, FEATURE_PROBES, type ConnectionCheckReport, type ConnectionCheckResult } from "../wiz/connection-check.js";
import { writeOut, type CliIo } from "./cli-io.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { EXIT_CODES, EXIT_CODES_HELP, exitCodeFor, type ExitCode } from "./exit-codes.js";
import { cliLogger } from "./cli-logger.js";
import { resolveCliSettings } from "./cli-settings.js";
import { CliInputError } from "./cli-input-error.js";
import { ConfigError } from "../sync/config-error.js";
import { loadSyncConfigFile } from "../sync/config-loader.js";
import { WizFilterValidator } from "../sync/filter-validator.js";
import type { ConnectorConfig } from "../sync/sync-config.js";
import { loadWizSchema } from "../sync/wiz-schema-file.js";

interface TestConnectionFlags extends ConnectionFlags {
  feature?: string[];
  config?: string;
  connector?: string;
  output?: "json" | "table";
  verbose?: boolean;
}

const FEATURES = FEATURE_PROBES.map((probe) => probe.feature);

export function registerTestConnectionCommand(program: Command, io: CliIo): void {
  const command = program
    .command("test-connection")
    .description("Check the path to Wiz step by step: network, TLS, authentication, authorization per feature scope, one record per stream")
    .addOption(
      new Option("--feature <names>", `features to check, repeatable or comma-separated: ${FEATURES.join(", ")} (default: ${DEFAULT_FEATURES.join(", ")})`).argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), ...featureList(value)],
      ),
    )
    .addOption(new Option("--output <format>", "table (default) or json (the structured report)").choices(["json", "table"]))
    .option("-c, --config <file>", "check a connector of this config file (its connection, and the features of its streams)")
    .option("--connector <id>", "with --config: which connector (default: the only one)")
    .option("--verbose", "log requests and the (secret-free) connection settings to stderr");
  addConnectionOptions(command);
  command.addHelpText("after", `\nExits 0 when every check passes or is skipped; otherwise with the code of the first failure.\n\n${EXIT_CODES_HELP}`);
  command.action(async (flags: TestConnectionFlags) => {
    let secret: string | undefined;
    try {
      const verbose = flags.verbose === true;
      const fromConfig = flags.config ? connectorFromConfig(flags.config, flags.connector, io) : undefined;
      const settings = fromConfig?.connection ?? resolveCliSettings(flags, io, verbose);
      secret = settings.clientSecret;
      // A connector's own streams decide what to check (streams without a probe of their own are named).
      const features = flags.feature ?? fromConfig?.streams.map((s) => s.name).filter((name) => FEATURES.includes(name)) ?? DEFAULT_FEATURES;
      const unprobed = fromConfig?.streams.map((s) => s.name).filter((name) => !FEATURES.includes(name)) ?? [];
      if (unprobed.length > 0) io.stderr.write(`note: ${unprobed.join(", ")} ${unprobed.length === 1 ? "has" : "have"} no probe of its own yet; \`wizbridge sync --stream <name>\` checks them end to end.\n`);
      const report = await checkConnection(settings, { features, logger: cliLogger(io, verbose) });
      await writeOut(io.stdout, flags.output === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      io.setExitCode(reportExitCode(report));
    } catch (error) {
      io.stderr.write(`${formatCliError(error, { secrets: secret ? [secret] : [], verbose: flags.verbose })}\n`);
      io.setExitCode(exitCodeFor(error));
    }
  });
}

/** The exit code of the first failed check: a broken network path is a network failure, a missing scope a permission one. */
export function reportExitCode(report: ConnectionCheckReport): ExitCode {
  const failed = report.checks.find((check) => check.status === "fail");
  if (!failed) return EXIT_CODES.ok;
  switch (failed.check) {
    case "network":
    case "tls":
      return EXIT_CODES.network;
    case "authentication":
      return EXIT_CODES.auth;
    case "authorization":
      return EXIT_CODES.permission;
    default:
      return EXIT_CODES.other;
  }
}

export function formatReport(report: ConnectionCheckReport): string {
  const kindWidth = Math.max(...report.checks.map((c) => c.check.length));
  const subjectWidth = Math.max(...report.checks.map((c) => c.subject.length));
  const lines = [`Wiz connection check: endpoint ${report.endpoint}, token URL ${report.tokenUrl}`, ""];
  for (const check of report.checks) {
    lines.push(`  ${label(check)}  ${check.check.padEnd(kindWidth)}  ${check.subject.padEnd(subjectWidth)}  ${check.detail}`);
    if (check.status === "fail" && check.fix) lines.push(`${" ".repeat(kindWidth + subjectWidth + 12)}fix: ${check.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  lines.push("", failed === 0 ? `All ${report.checks.length} checks passed or were skipped.` : `${failed} of ${report.checks.length} checks failed.`);
  return `${lines.join("\n")}\n`;
}

function label(check: ConnectionCheckResult): string {
  return check.status.toUpperCase().padEnd(4);
}

function featureList(value: string): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!FEATURES.includes(name)) throw new InvalidArgumentError(`unknown feature "${name}"; known: ${FEATURES.join(", ")}.`);
  }
  return names;
}

/** The connector to check from a config file: the named one, or the only one. */
function connectorFromConfig(path: string, id: string | undefined, io: CliIo): ConnectorConfig {
  let config;
  try {
    config = loadSyncConfigFile(path, { validator: new WizFilterValidator(loadWizSchema()), env: io.env, onWarning: (m) => io.stderr.write(`warning: ${m}\n`) });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliInputError(error.message, "fix the config file at the keys named; nothing was sent to Wiz.");
    throw error;
  }
  const ids = config.connectors.map((c) => c.id);
  const connector = id ? config.connectors.find((c) => c.id === id) : config.connectors.length === 1 ? config.connectors[0] : undefined;
  if (!connector) throw new CliInputError(id ? `no connector "${id}" in ${path}.` : `${path} has ${ids.length} connectors.`, `pick one with --connector <id>: ${ids.join(", ")}.`);
  return connector;
}
