#!/usr/bin/env node
// graphql-js runs expensive development-only checks unless NODE_ENV is production; set it before graphql loads.
process.env.NODE_ENV ??= "production";

const { createProgram } = process.argv[2] === "sim" ? await import("./sim-program.js") : await import("./program.js");
createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`wizbridge: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
