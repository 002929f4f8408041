import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { request } from "undici";
import { FakeSplunkHecServer, type FakeSplunkHecOptions } from "../fakes/splunk-hec-server.js";
import { childNodeArgs } from "../listening-process.js";
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
  const child: ChildProcess = spawn(process.execPath, ["--max-old-space-size=2048", ...childNodeArgs(), script, JSON.stringify(FAKE_OPTIONS)], { stdio: ["ignore", "pipe", "inherit"] });
  const [url, token] = await new Promise<[string, string]>((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const m = /listening (\S+) (\S+)/u.exec(out);
      if (m?.[1] && m[2]) resolve([m[1], m[2]]);
    });
    child.once("exit", (code) => reject(new Error(`the fake HEC exited (${String(code)}) before listening: ${out}`)));
  });
  return {
    url,
    token,
    counts: async () => {
      const response = await request(`${url}/_fake/stats`);
      return (await response.body.json()) as { events: number; indexed: number };
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
