/**
 * A bare intake receiver process (`node dist/src/runtime/intake/ingest-server.main.js --store x.db`):
 * every runtime source on POST /ingest/<source>, 127.0.0.1, the port given (0 = any). Prints one line
 * `listening <url>`. Used by the kill -9 test and the intake bench; the main job's server mounts the
 * same routes through registerIngestRoutes.
 */
import { parseArgs } from "node:util";
import Fastify from "fastify";
import { RUNTIME_SOURCES } from "../../model/runtime-alert.js";
import { openStore } from "../../store/store-database.js";
import { parseRuntimeConfig } from "../runtime-config.js";
import { registerIngestRoutes } from "./ingest.routes.js";
import { RuntimeIntake } from "./runtime-intake.service.js";

const { values } = parseArgs({ options: { store: { type: "string" }, port: { type: "string", default: "0" }, token: { type: "string" } } });
if (!values.store) {
  console.error("usage: ingest-server.main.js --store <file.db> [--port 0] [--token <bearer token for every source>]");
  process.exit(2);
}
const token = values.token ?? process.env.WIZBRIDGE_INGEST_TOKEN;
const auth = token ? { type: "bearer" as const, token } : { type: "none" as const };
const config = parseRuntimeConfig({ sources: Object.fromEntries(RUNTIME_SOURCES.map((s) => [s, { auth }])) });
const store = await openStore(values.store);
const intake = new RuntimeIntake({ db: store.db });
const app = Fastify({ logger: false });
await registerIngestRoutes(app, { intake, config });
const url = await app.listen({ host: "127.0.0.1", port: Number(values.port) });
console.log(`listening ${url}`);

const shutdown = async (): Promise<void> => {
  await app.close();
  await intake.close();
  await store.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
