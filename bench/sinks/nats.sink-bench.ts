import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { NatsSink } from "../../src/sinks/nats/nats.sink.js";
import type { SinkBenchCase } from "./sink-bench-case.js";
import { tcpPortOpen } from "../tcp-port-open.js";

/** The local server the bench writes to (BENCH_NATS_SERVER to point elsewhere). */
const SERVER = process.env.BENCH_NATS_SERVER ?? "127.0.0.1:4222";

/**
 * NATS JetStream on the local server: a stream of its own (file storage, 2-minute duplicate window),
 * created by the sink's setup and deleted at the end; delivered = messages the stream holds (JetStream
 * drops duplicates by Nats-Msg-Id, so that is the distinct count).
 */
export const natsSinkBench: SinkBenchCase = {
  name: "nats (real local server, JetStream file storage)",

  async unavailable() {
    const [host = "127.0.0.1", port = "4222"] = SERVER.replace(/^nats:\/\//, "").split(":");
    const open = await tcpPortOpen(Number(port), host);
    return open ? undefined : `no NATS server at ${SERVER} (start nats-server -js)`;
  },

  async start(logger: Logger) {
    const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const stream = `WIZBRIDGE_BENCH_${run}`;
    const sink = new NatsSink("bench-nats", { type: "nats", servers: SERVER, stream, subject: `bench${run}.{connector}.{stream}`, createStream: true }, { logger, baseDir: process.cwd(), now: Date.now });
    await sink.setup();
    const nc = await connect({ servers: SERVER });
    const jsm = await jetstreamManager(nc);
    return {
      sink,
      async delivered() {
        return (await jsm.streams.info(stream)).state.messages;
      },
      async stop() {
        await sink.close();
        await jsm.streams.delete(stream).catch(() => false);
        await nc.close();
      },
    };
  },
};
