import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { request } from "undici";
import { FakeSplunkHecServer, type FakeSplunkHecOptions } from "../fakes/splunk-hec-server.js";
import { startListeningScript, stopChild } from "../listening-process.js";
import { splunkHecSinkSchema } from "../../src/sinks/splunk-hec/splunk-hec.sink-type.js";
import { SplunkHecSink } from "../../src/sinks/splunk-hec/splunk-hec.sink.js";
import type { SinkBenchCase } from "./sink-bench-case.js";

/** The fake marks a request indexed 5 ms after it arrived; the sink asks every 20 ms: a real acknowledgement round trip per batch. */
const FAKE_OPTIONS: FakeSplunkHecOptions = { keepEvents: false, ackDelayMs: 5 };

interface RunningFake {
  url: string;
  token: string;
  counts(): Promise<{ events: number; indexed: number }>;
  stop(): Promise<void>;
}

/**
 * The splunk-hec sink against the protocol-faithful fake HEC with indexer acknowledgement on. From dist/
 * the fake runs in a process of its own, as Splunk would (parsing every event is its CPU, not the sink's);
 * from TypeScript source it runs in this process. `delivered` counts distinct events the fake says are indexed.
 */
export const splunkHecSinkBench: SinkBenchCase = {
  name: "splunk-hec (fake HEC in its own process, indexer ack on)",
  unavailable: () => Promise.resolve(undefined),
  async start(logger: Logger) {
    const fake = await startFake();
    const settings = splunkHecSinkSchema.parse({ type: "splunk-hec", url: fake.url, token: fake.token, index: "main", ack: { enabled: true, pollIntervalMs: 20 } });
    const sink = new SplunkHecSink("bench-splunk-hec", settings, { logger, baseDir: process.cwd(), now: Date.now });
    return {
      sink,
      delivered: async () => (await fake.counts()).indexed,
      stop: async () => {
        await sink.close();
        await fake.stop();
      },
    };
  },
};

async function startFake(): Promise<RunningFake> {
  const script = fileURLToPath(new URL("../fakes/splunk-hec-server.js", import.meta.url));
  if (!existsSync(script)) {
    const fake = await FakeSplunkHecServer.start(FAKE_OPTIONS);
    return {
      url: fake.url,
      token: fake.token,
      counts: () => {
        let indexed = 0;
        for (const e of fake.events.values()) if (e.indexed) indexed += 1;
        return Promise.resolve({ events: fake.events.size, indexed });
      },
      stop: () => fake.close(),
    };
  }
  const { child, url, rest: token } = await startListeningScript(script, [JSON.stringify(FAKE_OPTIONS)], { nodeArgs: ["--max-old-space-size=2048"] });
  return {
    url,
    token,
    counts: async () => {
      const response = await request(`${url}/_fake/stats`);
      return (await response.body.json()) as { events: number; indexed: number };
    },
    stop: () => stopChild(child),
  };
}
