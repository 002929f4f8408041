import { Command } from "commander";
import { registerSimCommand } from "./sim.command.js";
import { registerAlertsCommand } from "./alerts.command.js";
import { packageVersion } from "../version.js";
import { OPERATIONS } from "../wiz/operations/registry.js";
import { WizClient } from "../wiz/wiz-client.js";
import { processIo } from "./cli-io.js";
import { EXIT_CODES, EXIT_CODES_HELP } from "./exit-codes.js";
import { registerMapCommand } from "./map.command.js";
import { registerIngestCommand } from "./ingest.command.js";
import { registerMcpCommand } from "./mcp.command.js";
import { registerOperationCommands, type OpenOperationClient } from "./operation.commands.js";
import { registerRunCommand } from "./run.command.js";
import { registerStartCommand } from "./start.command.js";
import { registerDeadLettersCommand } from "./dead-letters.command.js";
import { registerSinkCommand } from "./sink.command.js";
import { registerStatusCommand } from "./status.command.js";
import { registerTokenCommand } from "./token.command.js";
import { registerWorkflowCommand } from "./workflow.command.js";
import { registerKeysCommand } from "./keys.command.js";
import { registerLoginCommand } from "./login.command.js";
import { promptSecret } from "./secret-prompt.js";
import { registerSyncCommand } from "./sync.command.js";
import { registerTestConnectionCommand } from "./test-connection.command.js";

export function createProgram(): Command {
  const program = new Command("wizbridge")
    .description("Connect Wiz with your security stack: pull, operate, push. Includes a local Wiz simulator.")
    .version(packageVersion())
    // Usage errors (unknown flag, bad choice, missing subcommand) exit 2 like other input errors; help and version exit 0.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_CODES.input))
    .addHelpText("after", `\n${EXIT_CODES_HELP}`);
  const io = processIo();
  const openClient: OpenOperationClient = (settings, logger) => new WizClient(settings, { logger });
  registerStartCommand(program);
  registerSyncCommand(program);
  registerStatusCommand(program);
  registerDeadLettersCommand(program);
  registerSimCommand(program);
  registerMapCommand(program);
  registerIngestCommand(program);
  registerAlertsCommand(program);
  registerTestConnectionCommand(program, io);
  registerWorkflowCommand(program, io);
  registerSinkCommand(program, { out: process.stdout, env: process.env });
  registerTokenCommand(program, { out: process.stdout });
  registerKeysCommand(program, { out: process.stdout, err: process.stderr, env: process.env });
  registerLoginCommand(program, { ...io, promptSecret: (question) => promptSecret(question) });
  registerMcpCommand(program, { operations: OPERATIONS, openClient, io });
  registerRunCommand(program, { openClient, io });
  registerOperationCommands(program, { operations: OPERATIONS, openClient, io });
  return program;
}
