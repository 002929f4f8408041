import { Command } from "commander";
import { registerSimCommand } from "./sim.command.js";
import { packageVersion } from "../version.js";

export function createProgram(): Command {
  const program = new Command("wizbridge")
    .description("Connect Wiz with your security stack: pull, operate, push. Includes a local Wiz simulator.")
    .version(packageVersion());
  registerSimCommand(program);
  return program;
}
