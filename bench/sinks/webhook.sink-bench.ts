import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { request } from "undici";
import { WebhookSink } from "../../src/sinks/webhook/webhook.sink.js";
import { webhookSinkSchema } from "../../src/sinks/webhook/webhook.sink-type.js";
import type { WebhookReceiverOptions } from "../fakes/webhook-receiver.js";
import { startListeningScript, stopChild } from "../listening-process.js";
import type { SinkBenchCase } from "./sink-bench-case.js";

const SIGNING_SECRET = "bench-signing-secret-0123456789";
const TOKEN = "bench-bearer-token-0123456789";

/**
 * The webhook sink against the fake receiver in a process of its own (as a real receiver is: its parsing
 * is not the sink's cost), set up as a careful receiver is: bearer token and signature checked on every
 * request, each body parsed and every event id counted; the 2xx is the acknowledgement.
 * BENCH_WEBHOOK_FORMAT=ndjson and BENCH_WEBHOOK_GZIP=1 measure those.
 */
export const webhookSinkBench: SinkBenchCase = {
  name: "webhook (fake receiver process, signed, bearer auth)",

  async unavailable() {
    return undefined;
  },

  async start(logger: Logger) {
    const options: WebhookReceiverOptions = { signingSecret: SIGNING_SECRET, auth: { type: "bearer", token: TOKEN }, keep: "ids", recordRequests: false };
    const { child, url } = await startListeningScript(fileURLToPath(new URL("../fakes/webhook-receiver.js", import.meta.url)), [JSON.stringify(options)]);
    const settings = webhookSinkSchema.parse({
      type: "webhook",
      url,
      format: process.env.BENCH_WEBHOOK_FORMAT === "ndjson" ? "ndjson" : "json-array",
      gzip: process.env.BENCH_WEBHOOK_GZIP === "1",
      signing: { secret: SIGNING_SECRET },
      auth: { type: "bearer", token: TOKEN },
    });
    const sink = new WebhookSink("bench-webhook", settings, { logger, baseDir: process.cwd(), now: Date.now });
    return {
      sink,
      async delivered() {
        const response = await request(new URL("/_stats", url));
        return ((await response.body.json()) as { distinct: number }).distinct;
      },
      async stop() {
        await sink.close();
        await stopChild(child);
      },
    };
  },
};
