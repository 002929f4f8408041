/**
 * A bare push-path process (`node dist/src/runtime/runtime-worker.main.js --store x.db --endpoint ...`):
 * the intake receiver on 127.0.0.1 and the delivery pipeline on one store, as `wizbridge start` runs
 * them. Prints `listening <url>`. Used by the kill -9 test and bench:push; the Wiz client secret comes
 * from WIZ_CLIENT_SECRET, never argv.
 */
import { parseArgs } from "node:util";
import Fastify from "fastify";
import { RUNTIME_SOURCES } from "../model/runtime-alert.js";
import { openStore } from "../store/store-database.js";
import { WizClient } from "../wiz/wiz-client.js";
import { registerIngestRoutes } from "./intake/ingest.routes.js";
import { RuntimeIntake } from "./intake/runtime-intake.service.js";
import { parseRuntimeConfig } from "./runtime-config.js";
import { startRuntimePipeline, type RuntimeDeliveryConfigInput } from "./runtime-pipeline.js";

const { values } = parseArgs({
  options: {
    store: { type: "string" },
    port: { type: "string", default: "0" },
    token: { type: "string" },
    endpoint: { type: "string" },
    "token-url": { type: "string" },
    audience: { type: "string", default: "wiz-api" },
    "client-id": { type: "string" },
    /** JSON of the delivery config (runtimeDeliveryConfigSchema). */
    delivery: { type: "string", default: "{}" },
  },
});
const secret = process.env.WIZ_CLIENT_SECRET;
if (!values.store || !values.endpoint || !values["token-url"] || !values["client-id"] || !secret) {
  console.error("usage: WIZ_CLIENT_SECRET=... runtime-worker.main.js --store <file.db> --endpoint <graphql url> --token-url <url> --client-id <id> [--port 0] [--token <ingest bearer>] [--delivery <json>]");
  process.exit(2);
}
const token = values.token ?? process.env.WIZBRIDGE_INGEST_TOKEN;
const auth = token ? { type: "bearer" as const, token } : { type: "none" as const };
const config = parseRuntimeConfig({ sources: Object.fromEntries(RUNTIME_SOURCES.map((s) => [s, { auth }])) });
const store = await openStore(values.store);
const intake = new RuntimeIntake({ db: store.db });
const app = Fastify({ logger: false });
await registerIngestRoutes(app, { intake, config });
const client = new WizClient(
  { clientId: values["client-id"], clientSecret: secret, endpoint: values.endpoint, tokenUrl: values["token-url"], audience: values.audience, allowNonWizHosts: true },
  { rateLimit: { requestsPerSecond: 0, maxConcurrency: 8 } },
);
const pipeline = startRuntimePipeline({ store, wiz: client, config: JSON.parse(values.delivery) as RuntimeDeliveryConfigInput });
const url = await app.listen({ host: "127.0.0.1", port: Number(values.port) });
console.log(`listening ${url}`);

const shutdown = async (): Promise<void> => {
  await app.close();
  await intake.close();
  await pipeline.stop();
  await client.core.close();
  await store.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
