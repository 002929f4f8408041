import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { request } from "undici";
import { ElasticsearchSink } from "../../src/sinks/elasticsearch/elasticsearch.sink.js";
import { elasticsearchSinkSchema } from "../../src/sinks/elasticsearch/elasticsearch.sink-type.js";
import type { FakeElasticsearchOptions } from "../fakes/elasticsearch-server.js";
import { startListeningScript, stopChild } from "../listening-process.js";
import type { SinkBenchCase } from "./sink-bench-case.js";

const USER = "bench-writer";
const PASSWORD = "bench-password-0123456789";

/**
 * The elasticsearch sink against the protocol-faithful fake cluster in a process of its own (its NDJSON
 * parsing is the cluster's cost, not the sink's): basic auth checked on every request, `index` ops with
 * `_id` = event id, one index per stream; each 2xx item is the acknowledgement. `delivered` asks the
 * cluster's own `_count` for wiz-*. BENCH_ES_MODE=data-stream measures create ops into data streams.
 */
export const elasticsearchSinkBench: SinkBenchCase = {
  name: "elasticsearch (fake cluster process, _bulk, basic auth)",

  async unavailable() {
    return undefined;
  },

  async start(logger: Logger) {
    const options: FakeElasticsearchOptions = { users: { [USER]: PASSWORD }, storeSources: false };
    const { child, url } = await startListeningScript(fileURLToPath(new URL("../fakes/elasticsearch-server.js", import.meta.url)), [JSON.stringify(options)]);
    const mode = process.env.BENCH_ES_MODE === "data-stream" ? "data-stream" : "index";
    const settings = elasticsearchSinkSchema.parse({ type: "elasticsearch", url, auth: { type: "basic", username: USER, password: PASSWORD }, mode });
    const sink = new ElasticsearchSink("bench-elasticsearch", settings, { logger, baseDir: process.cwd(), now: Date.now });
    if (mode === "data-stream") await sink.setup();
    return {
      sink,
      async delivered() {
        const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
        const response = await request(new URL("/wiz-*/_count", url), { headers: { authorization } });
        return ((await response.body.json()) as { count: number }).count;
      },
      async stop() {
        await sink.close();
        await stopChild(child);
      },
    };
  },
};
