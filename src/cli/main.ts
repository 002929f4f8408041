#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=32
// A 1 GiB heap cap (the pull's live heap is about 30 MB): V8 sizes its collection thresholds from the cap,
// and with Node's default (a quarter of RAM) it let garbage pile up to 190 MB before collecting. bench:sync
// scaled: peak RSS 293-334 MB -> about 200 MB, no CPU cost measured. `npm start` and `npm run sim` pass the
// same flag; run `node --max-old-space-size=<MB> dist/src/cli/main.js ...` for a bigger simulator tenant.
// A 32 MB young generation: a page's events and payloads die young instead of being copied and marked as
// old (bench:sync scaled, alternating: 99.1 / 93.0 -> 73.9 / 65.9 µs engine CPU per record; RSS 224 -> 254 MB).
// graphql-js runs expensive development-only checks unless NODE_ENV is production; set it before graphql loads.
process.env.NODE_ENV ??= "production";

// `wizbridge ... | head`: the reader went away; stop quietly like other Unix tools instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { createProgram } = process.argv[2] === "sim" ? await import("./sim-program.js") : await import("./program.js");
createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const { code, port, address } = error as { code?: string; port?: number; address?: string };
    if (code === "EADDRINUSE") {
      console.error(
        `wizbridge: port ${String(port)} on ${String(address)} is already in use (another wizbridge start or sim, or another program). ` +
          "For `wizbridge sim` pass --port <n> (0 picks a free one); for `wizbridge start` pass --http-port <n> or set server.port in the config.",
      );
      process.exitCode = 1;
      return;
    }
    console.error(`wizbridge: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
