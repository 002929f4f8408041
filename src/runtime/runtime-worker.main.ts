/**
 * A bare push-path process (`node dist/src/runtime/runtime-worker.main.js --store x.db --endpoint ...`):
 * the intake receiver on 127.0.0.1 and the delivery pipeline on one store, as `wizbridge start` runs
 * them. Prints `listening <url>`. Used by the kill -9 test and bench:push; the Wiz client secret comes
 * from WIZ_CLIENT_SECRET, never argv.
 */
import { parseArgs } from "node:util";
import { WizClient } from "../wiz/wiz-client.js";
import { exitOnStopSignal, startBareIngestServer } from "./intake/bare-ingest-server.js";
import { RUNTIME_ALERT_PATH } from "./runtime-alert.routes.js";
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
const delivery = JSON.parse(values.delivery) as RuntimeDeliveryConfigInput;
const server = await startBareIngestServer(values.store, { port: Number(values.port), token: values.token ?? process.env.WIZBRIDGE_INGEST_TOKEN });
const client = new WizClient(
  { clientId: values["client-id"], clientSecret: secret, endpoint: values.endpoint, tokenUrl: values["token-url"], audience: values.audience, allowNonWizHosts: true },
  { rateLimit: { requestsPerSecond: 0, maxConcurrency: 8 } },
);
const pipeline = startRuntimePipeline({ store: server.store, wiz: client, config: { alertLinkBase: `${server.url}${RUNTIME_ALERT_PATH}`, ...delivery } });
exitOnStopSignal(async () => {
  await server.close();
  await pipeline.stop();
  await client.core.close();
  await server.store.close();
});
