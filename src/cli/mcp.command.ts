import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Command } from "commander";
import { createMcpServer } from "../server/mcp/mcp-server.js";
import { packageVersion } from "../version.js";
import type { OperationDefinition } from "../wiz/operations/operation-definition.js";
import type { CliIo } from "./cli-io.js";
import { addConnectionOptions, type ConnectionFlags } from "./connection-options.js";
import { formatCliError } from "./error-report.js";
import { exitCodeFor } from "./exit-codes.js";
import type { OpenOperationClient } from "./operation.commands.js";
import { cliLogger } from "./cli-logger.js";
import { resolveCliSettings } from "./cli-settings.js";

interface McpFlags extends ConnectionFlags {
  allowMutations?: boolean;
  verbose?: boolean;
}

export interface McpCommandOptions {
  operations: readonly OperationDefinition[];
  openClient: OpenOperationClient;
  io: CliIo;
}

export function registerMcpCommand(program: Command, options: McpCommandOptions): void {
  const command = program
    .command("mcp")
    .description("Serve the Wiz operations as MCP tools over stdio (one tool per operation, named <resource>_<operation>); logs go to stderr")
    .option("--allow-mutations", "also offer the operations that change data in Wiz (issue updates, notes, forensics copies...)", false)
    .option("--verbose", "debug logs on stderr");
  addConnectionOptions(command);
  command.action(async (flags: McpFlags) => {
    const { io } = options;
    const verbose = flags.verbose === true;
    let settings;
    try {
      // Settings are checked before serving, so a misconfigured server fails at start rather than on every call.
      settings = resolveCliSettings(flags, io, verbose);
    } catch (error) {
      io.stderr.write(`${formatCliError(error, { verbose })}\n`);
      io.setExitCode(exitCodeFor(error));
      return;
    }
    // A server's stderr is its log: say what it serves and each call, not only errors.
    const logger = cliLogger(io, verbose, "info");
    const client = options.openClient(settings, logger);
    const server = createMcpServer({ operations: options.operations, runner: client, allowMutations: flags.allowMutations === true, version: packageVersion(), logger });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = resolve;
      // The stdio transport does not watch for end of input; a client that closes our stdin is done with us.
      process.stdin.once("end", resolve);
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    await server.connect(new StdioServerTransport());
    logger.info({ allowMutations: flags.allowMutations === true }, "wizbridge mcp server ready on stdio");
    await closed;
    await server.close();
    await client.close();
  });
}
