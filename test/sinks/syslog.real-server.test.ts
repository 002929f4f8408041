import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { sinkTestRecord } from "../../src/sinks/sink-settings.js";
import { createSink, sinkConfigSchema } from "../../src/sinks/sink-registry.js";

// Opt-in: a real syslog receiver (rsyslog, syslog-ng, a SIEM's collector), e.g.
// WIZBRIDGE_TEST_SYSLOG_URL=tcp://siem.example:514 (tcp, tls or udp). None runs on this machine or in CI.
const target = process.env.WIZBRIDGE_TEST_SYSLOG_URL;
if (!target) console.info("syslog real-server test skipped: set WIZBRIDGE_TEST_SYSLOG_URL=tcp://host:port (or tls://, udp://) to run it against a real receiver.");

describe.skipIf(!target)("syslog sink against a real receiver (WIZBRIDGE_TEST_SYSLOG_URL)", () => {
  it("passes sink test and takes a batch in each payload format", async () => {
    const url = new URL(target ?? "tcp://127.0.0.1:514");
    const protocol = url.protocol.replace(":", "") as "tcp" | "tls" | "udp";
    for (const format of ["json", "cef", "leef"] as const) {
      const settings = sinkConfigSchema.parse({ type: "syslog", host: url.hostname, port: Number(url.port), protocol, format });
      const sink = createSink("real-syslog", settings, { logger: pino({ level: "warn" }), baseDir: process.cwd(), now: Date.now });
      try {
        const steps = (await sink.selfTest?.()) ?? [];
        expect(steps.every((s) => s.ok), JSON.stringify(steps)).toBe(true);
        await sink.write([sinkTestRecord("real-syslog"), { ...sinkTestRecord("real-syslog", Date.now() + 1), seq: 1 }]);
      } finally {
        await sink.close();
      }
    }
  });
});
