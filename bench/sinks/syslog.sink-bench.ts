import type { Logger } from "pino";
import { startFakeSyslogServer } from "../fakes/syslog-server.js";
import { SyslogSink } from "../../src/sinks/syslog/syslog.sink.js";
import { syslogSinkSchema } from "../../src/sinks/syslog/syslog.sink-type.js";
import type { SinkBenchCase } from "./sink-bench-case.js";

/**
 * The syslog sink over TCP with octet counting against the fake receiver (bench/fakes/syslog-server.ts,
 * in this process), which parses every message back and counts the distinct `eventId`s of the wiz@32473
 * structured data. Syslog has no acknowledgement to turn on: a batch counts as delivered when `write`
 * resolved (handed to the kernel on a live connection), and `delivered()` is what the receiver parsed.
 * BENCH_SYSLOG_FORMAT=json|cef|leef picks the payload (default json).
 */
export const syslogSinkBench: SinkBenchCase = {
  name: `syslog (tcp, octet counting, ${process.env.BENCH_SYSLOG_FORMAT ?? "json"}; fake receiver in this process)`,
  unavailable: () => Promise.resolve(undefined),
  async start(logger: Logger) {
    const server = await startFakeSyslogServer({ keepMessages: false });
    const settings = syslogSinkSchema.parse({ type: "syslog", host: server.host, port: server.tcpPort, protocol: "tcp", format: process.env.BENCH_SYSLOG_FORMAT ?? "json" });
    const sink = new SyslogSink("bench-syslog", settings, { logger, baseDir: process.cwd(), now: () => Date.now() });
    return {
      sink,
      delivered: () => Promise.resolve(server.eventIds.size),
      async stop() {
        await sink.close();
        await server.close();
      },
    };
  },
};
