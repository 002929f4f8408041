/**
 * A bare intake receiver process (`node dist/src/runtime/intake/ingest-server.main.js --store x.db`):
 * every runtime source on POST /ingest/<source>, 127.0.0.1, the port given (0 = any). Prints one line
 * `listening <url>`. Used by the kill -9 test and the intake bench; the main job's server mounts the
 * same routes through registerIngestRoutes.
 */
import { parseArgs } from "node:util";
import { exitOnStopSignal, startBareIngestServer } from "./bare-ingest-server.js";

const { values } = parseArgs({ options: { store: { type: "string" }, port: { type: "string", default: "0" }, token: { type: "string" } } });
if (!values.store) {
  console.error("usage: ingest-server.main.js --store <file.db> [--port 0] [--token <bearer token for every source>]");
  process.exit(2);
}
const server = await startBareIngestServer(values.store, { port: Number(values.port), token: values.token ?? process.env.WIZBRIDGE_INGEST_TOKEN });
exitOnStopSignal(async () => {
  await server.close();
  await server.store.close();
});
