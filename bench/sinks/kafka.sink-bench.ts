import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { STREAM_NAMES } from "../../src/model/stream-name.js";
import { KafkaSink } from "../../src/sinks/kafka/kafka.sink.js";
import { childNodeArgs } from "../listening-process.js";
import type { SinkBenchCase, SinkBenchTarget } from "./sink-bench-case.js";

const PARTITIONS = 6;

/**
 * The Kafka sink against the protocol-faithful fake broker (bench/fakes/kafka-broker.ts) in its own
 * process, so the broker's decoding (CRC-32C, varints) never shares the sink's event loop. acks=all and
 * the idempotent producer are always on; `delivered` counts distinct keys (event ids) the broker holds.
 */
export const kafkaSinkBench: SinkBenchCase & { start(logger: Logger): Promise<SinkBenchTarget & { brokerCpuMicros(): Promise<number> }> } = {
  name: "kafka (fake broker in a child process: RecordBatch v2, CRC-32C, idempotent sequences)",
  async unavailable() {
    return existsSync(brokerScript()) ? undefined : `the compiled fake broker is missing at ${brokerScript()}; run npm run build first`;
  },
  async start(logger: Logger) {
    const topics = STREAM_NAMES.map((s) => `wiz.${s}=${PARTITIONS}`).join(",");
    const child = fork(brokerScript(), ["--topics", topics, "--no-values"], { execArgv: childNodeArgs(), stdio: ["ignore", "pipe", "inherit", "ipc"] });
    const bootstrap = await listeningAddress(child);
    const sink = new KafkaSink("bench-kafka", { type: "kafka", brokers: [bootstrap], clientId: "wizbridge-bench", maxInFlight: Number(process.env.BENCH_SINK_IN_FLIGHT ?? 4) }, { logger, baseDir: process.cwd(), now: () => Date.now() });
    return {
      sink,
      delivered: async () => (await ask(child)).distinctKeys,
      brokerCpuMicros: async () => (await ask(child)).cpuMicros,
      stop: async () => {
        await sink.close();
        if (child.exitCode === null) {
          child.disconnect();
          await once(child, "exit");
        }
      },
    };
  },
};

function brokerScript(): string {
  return fileURLToPath(new URL("../fakes/kafka-broker.js", import.meta.url));
}

async function listeningAddress(child: ChildProcess): Promise<string> {
  let out = "";
  return new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening (\S+)/u.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the fake Kafka broker exited (${String(code)}) before listening: ${out}`)));
  });
}

async function ask(child: ChildProcess): Promise<{ records: number; distinctKeys: number; cpuMicros: number }> {
  const reply = once(child, "message") as Promise<[{ records: number; distinctKeys: number; cpuMicros: number }]>;
  child.send({ type: "count" });
  return (await reply)[0];
}
