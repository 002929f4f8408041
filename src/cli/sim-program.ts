import { Command } from "commander";
import { packageVersion } from "../version.js";
import { registerSimCommand } from "./sim.command.js";

/**
 * The program for `wizbridge sim` alone. The simulator often runs as its own long-lived process under
 * load; loading the sync engine, the SQLite driver and the MCP SDK there would only cost memory.
 */
export function createProgram(): Command {
  const program = new Command("wizbridge").description("The local Wiz simulator").version(packageVersion());
  registerSimCommand(program);
  return program;
}
