import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tcpPortOpen } from "../../bench/tcp-port-open.js";
import { FakeKafkaBroker } from "../../bench/fakes/kafka-broker.js";
import { FakeElasticsearchServer } from "../../bench/fakes/elasticsearch-server.js";
import { FakeSplunkHecServer } from "../../bench/fakes/splunk-hec-server.js";
import { startFakeSyslogServer, type FakeSyslogServer } from "../../bench/fakes/syslog-server.js";
import { WebhookReceiver } from "../../bench/fakes/webhook-receiver.js";
import { runSinkSetupCommand, runSinkTestCommand } from "../../src/cli/sink.command.js";
import { runStartCommand } from "../../src/cli/start.command.js";
import { runStatusCommand } from "../../src/cli/status.command.js";
import type { Simulator } from "../../src/sim/index.js";
import { readJsonl, silentLogger, startTestSimulator, tempDir } from "../sync/sync-fixtures.js";

function capture() {
  const out = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (c: string) => (text += c));
  return { out, text: () => text };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The real NATS server of the machine (CI starts it); a stream of this run's own. Elsewhere NATS may be
// missing: the other sinks are still tested and the reason is printed.
const natsUp = await tcpPortOpen(4222);
if (!natsUp && process.env.CI === "true") throw new Error("NATS is not running on 127.0.0.1:4222; .ci/run starts it (start-stop-daemon ... nats-server -js).");
if (!natsUp) console.warn("sinks-from-config: NATS is not running on 127.0.0.1:4222, so the nats sink is left out of this run.");
const natsStream = `E2E_${process.pid}_${Date.now()}`;

async function natsStreamMessages(): Promise<number> {
  const nc = await connect({ servers: "nats://127.0.0.1:4222" });
  try {
    return (await (await jetstreamManager(nc)).streams.info(natsStream)).state.messages;
  } finally {
    await nc.close();
  }
}

const HEC_TOKEN = "11111111-2222-3333-4444-555555555555";

/**
 * The sinks as a user configures them: one config file naming each sink type, `wizbridge start` running
 * the connector into all of them, every destination ending up with every event the archive has.
 */
describe("every sink type from the config file, fed by `wizbridge start`", () => {
  let sim: Simulator;
  let dir: string;
  let webhook: WebhookReceiver;
  let hec: FakeSplunkHecServer;
  let elastic: FakeElasticsearchServer;
  let syslog: FakeSyslogServer;
  let kafka: FakeKafkaBroker;
  let configPath: string;

  beforeAll(async () => {
    sim = await startTestSimulator();
    dir = tempDir("wizbridge-sinks-e2e-");
    webhook = await WebhookReceiver.start({ signingSecret: "webhook-signing-secret-0123" });
    hec = await FakeSplunkHecServer.start({ token: HEC_TOKEN });
    elastic = await FakeElasticsearchServer.start({ users: { wizbridge: "elastic-password-0123" } });
    syslog = await startFakeSyslogServer();
    kafka = await FakeKafkaBroker.start({ topics: { "wiz-events": 3 } });
    configPath = join(dir, "wizbridge.yaml");
    writeFileSync(
      configPath,
      [
        "connectors:",
        "  - id: prod",
        "    connection:",
        `      clientId: ${sim.clientId}`,
        "      clientSecret: ${SIM_SECRET}",
        `      endpoint: ${sim.graphqlUrl}`,
        `      tokenUrl: ${sim.tokenUrl}`,
        "      allowNonWizHosts: true",
        "    rateLimit: {requestsPerSecond: 0, maxConcurrency: 4}",
        `    sinks: [archive, hook, siem, search, logs, bus${natsUp ? ", jetstream" : ""}]`,
        "    streams:",
        "      issues: {schedule: once}",
        "      projects: {schedule: once}",
        "sinks:",
        "  archive: {type: jsonl, directory: ./events}",
        `  hook: {type: webhook, url: "${webhook.url}", signing: {secret: "\${HOOK_SECRET}"}, maxInFlight: 2}`,
        `  siem: {type: splunk-hec, url: "${hec.url}", token: "\${HEC_TOKEN}", index: main, ack: {pollIntervalMs: 50}}`,
        `  search: {type: elasticsearch, url: "${elastic.url}", auth: {type: basic, username: wizbridge, password: "\${ES_PASSWORD}"}}`,
        `  logs: {type: syslog, host: 127.0.0.1, port: ${syslog.tcpPort}, protocol: tcp, format: cef}`,
        `  bus: {type: kafka, brokers: ["${kafka.bootstrap}"], topic: wiz-events}`,
        natsUp ? `  jetstream: {type: nats, servers: ["nats://127.0.0.1:4222"], stream: ${natsStream}, subject: "${natsStream}.{stream}"}` : "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    const nc = natsUp ? await connect({ servers: "nats://127.0.0.1:4222" }).catch(() => undefined) : undefined;
    if (nc) {
      await (await jetstreamManager(nc)).streams.delete(natsStream).catch(() => undefined);
      await nc.close();
    }
    await Promise.all([webhook.close(), hec.close(), elastic.close(), syslog.close(), kafka.close()]);
    await sim.close();
  });

  const env = { SIM_SECRET: "", HOOK_SECRET: "webhook-signing-secret-0123", HEC_TOKEN, ES_PASSWORD: "elastic-password-0123" };

  it("sink setup installs the index template; then sink test passes for each configured sink", async () => {
    const setup = capture();
    if (natsUp) expect(await runSinkSetupCommand("jetstream", { config: configPath, json: false, logLevel: "silent" }, { out: capture().out, env: { ...env, SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    expect(await runSinkSetupCommand("search", { config: configPath, json: false, logLevel: "silent" }, { out: setup.out, env: { ...env, SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    expect(setup.text()).toMatch(/setup complete/);
    expect(elastic.template("wizbridge-search")).toBeDefined();
    for (const name of ["archive", "hook", "siem", "search", "logs", "bus", ...(natsUp ? ["jetstream"] : [])]) {
      const out = capture();
      const code = await runSinkTestCommand(name, { config: configPath, json: false, logLevel: "silent" }, { out: out.out, env: { ...env, SIM_SECRET: sim.clientSecret }, logger: silentLogger });
      expect(code, `${name}: ${out.text()}`).toBe(0);
      expect(out.text()).toMatch(/all checks passed/);
    }
  });

  it("start delivers every event to every sink, and status shows each sink healthy", async () => {
    const stop = new AbortController();
    const out = capture();
    const running = runStartCommand({ config: configPath, dataDir: dir, seed: 1, httpHost: "127.0.0.1", httpPort: 0, logLevel: "silent" }, { out: out.out, env: { ...env, SIM_SECRET: sim.clientSecret }, signal: stop.signal, logger: silentLogger });
    try {
      await until(() => out.text().includes("Press Ctrl+C"), "start is running");
      expect(out.text()).not.toContain("elastic-password-0123");
      expect(out.text()).not.toContain(HEC_TOKEN);
      const archived = (): Set<string> => new Set(readJsonl(join(dir, "events")).filter((e) => e.kind !== ("test" as string)).map((e) => e.id));
      await until(() => archived().size >= 300 + 2, "the archive has the issues and projects");
      const ids = archived();
      const has = (got: Iterable<string>): boolean => {
        const set = new Set(got);
        return [...ids].every((id) => set.has(id));
      };
      await until(() => has(webhook.ids), "the webhook receiver has every event");
      await until(() => has([...hec.events.values()].filter((e) => e.indexed).map((e) => e.id)), "Splunk has every event indexed");
      await until(() => has([...elastic.documents("wiz-issues").keys(), ...elastic.documents("wiz-projects").keys()]), "Elasticsearch has every event");
      await until(() => has(syslog.eventIds), "the syslog server has every event");
      await until(() => has(kafka.records().map((r) => r.key ?? "")), "Kafka has every event");
      if (natsUp) await until(async () => (await natsStreamMessages()) >= ids.size, "JetStream has every event");
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
    const status = capture();
    await runStatusCommand({ dataDir: join(dir, "data"), connector: [], runs: 1, json: false }, { out: status.out });
    for (const name of ["archive", "hook", "siem", "search", "logs", "bus", ...(natsUp ? ["jetstream"] : [])]) expect(status.text()).toMatch(new RegExp(`sink ${name}\\s+ok, 0 events waiting`));
  });
});
