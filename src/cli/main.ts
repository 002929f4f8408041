#!/usr/bin/env node
import { createProgram } from "./program.js";

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`wizbridge: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
