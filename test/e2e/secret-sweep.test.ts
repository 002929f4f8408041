import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSplunkHecServer } from "../../bench/fakes/splunk-hec-server.js";
import { WebhookReceiver } from "../../bench/fakes/webhook-receiver.js";
import { runSinkListCommand, runSinkTestCommand } from "../../src/cli/sink.command.js";
import { runStartCommand } from "../../src/cli/start.command.js";
import { runStatusCommand } from "../../src/cli/status.command.js";
import { runSyncCommand } from "../../src/cli/sync.command.js";
import { runTokenListCommand } from "../../src/cli/token.command.js";
import type { Simulator } from "../../src/sim/index.js";
import { createSyncLogger } from "../../src/sync/sync-logger.js";
import { startTestSimulator, tempDir } from "../sync/sync-fixtures.js";

function capture() {
  const out = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (c: string) => (text += c));
  return { out, text: () => text };
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every file under a directory, as bytes decoded to text (the store, its WAL, the sink's files). */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path).toString("latin1") });
  }
  return out;
}

const SENTINELS = {
  // The simulator's own secret is set to this: the connector must send it, and never show it.
  webhookToken: "SENTINEL-webhook-token-7f3a9c",
  ingestToken: "SENTINEL-ingest-token-2b8e1d",
  hecToken: "0badc0de-5e47-4e11-a5ec-000000000001",
  signing: "SENTINEL-signing-secret-44c1",
};

/**
 * The secret sweep: with sentinel secrets in every place a config can hold one, run the main job, the API,
 * the CLI and the logs at debug level, then look for the sentinels in everything wizbridge wrote.
 */
describe("no secret reaches a response, a log line, metrics, the store or a sink", () => {
  let sim: Simulator;
  let dir: string;
  let configPath: string;
  let hec: FakeSplunkHecServer;
  let receiver: WebhookReceiver;
  let logs = "";
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString("utf8");
      done();
    },
  });

  beforeAll(async () => {
    sim = await startTestSimulator();
    dir = tempDir("wizbridge-sweep-");
    hec = await FakeSplunkHecServer.start({ token: SENTINELS.hecToken });
    receiver = await WebhookReceiver.start({ signingSecret: SENTINELS.signing });
    configPath = join(dir, "wizbridge.yaml");
    writeFileSync(
      configPath,
      [
        "connectors:",
        "  - id: prod",
        `    connection: {clientId: ${sim.clientId}, clientSecret: "\${WIZ_SECRET}", endpoint: ${sim.graphqlUrl}, tokenUrl: ${sim.tokenUrl}, allowNonWizHosts: true}`,
        "    rateLimit: {requestsPerSecond: 0, maxConcurrency: 4}",
        "    sinks: [archive, siem, hook]",
        `    webhook: {auth: {type: bearer, token: "\${HOOK_TOKEN}"}}`,
        "    streams: {issues: {schedule: once}, projects: {schedule: once}}",
        "sinks:",
        "  archive: {type: jsonl, directory: ./events}",
        `  siem: {type: splunk-hec, url: "${hec.url}", token: "\${HEC_TOKEN}", ack: {pollIntervalMs: 50}}`,
        `  hook: {type: webhook, url: "${receiver.url}", signing: {secret: "\${SIGNING}"}}`,
        "runtime:",
        "  connector: prod",
        `  sources: {falco: {auth: {type: bearer, token: "\${INGEST_TOKEN}"}}}`,
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await Promise.all([hec.close(), receiver.close()]);
    await sim.close();
  });

  it("holds for start, the API, metrics, sync, status, sink and token commands at debug level", async () => {
    const env = { WIZ_SECRET: sim.clientSecret, HOOK_TOKEN: SENTINELS.webhookToken, HEC_TOKEN: SENTINELS.hecToken, SIGNING: SENTINELS.signing, INGEST_TOKEN: SENTINELS.ingestToken };
    const secrets = [sim.clientSecret, ...Object.values(SENTINELS)];
    const logger = createSyncLogger("debug", logSink as unknown as Parameters<typeof createSyncLogger>[1]);
    const outputs: string[] = [];
    const stop = new AbortController();
    const started = capture();
    const running = runStartCommand({ config: configPath, dataDir: dir, seed: 1, httpHost: "127.0.0.1", httpPort: 0, logLevel: "debug" }, { out: started.out, env, signal: stop.signal, logger });
    try {
      await until(() => started.text().includes("Press Ctrl+C"), "start is running");
      const base = /HTTP {11}(http:\/\/\S+)/.exec(started.text())?.[1] ?? "";
      const token = /API token {6}(wzb_\S+)/.exec(started.text())?.[1] ?? "";
      expect(token).toMatch(/^wzb_/);
      await until(() => hec.events.size > 0 && receiver.ids.size > 0, "the sinks received events");
      const auth = { authorization: `Bearer ${token}` };
      // Requests with and without the right credentials, wrong ones included (they must not be echoed either).
      for (const [path, headers] of [
        ["/api/connectors", auth],
        ["/api/connectors/prod", auth],
        ["/api/sinks", auth],
        ["/api/connectors/prod/dead-letters", auth],
        ["/api/maps", auth],
        ["/api/runtime/alerts", auth],
        ["/api/runtime/summary", auth],
        ["/api/operations", auth],
        ["/api/openapi.json", auth],
        ["/api/whoami", auth],
        ["/metrics", auth],
        ["/healthz", {}],
        ["/readyz", {}],
        ["/api/sinks", { authorization: `Bearer ${SENTINELS.webhookToken}` }],
        ["/nothing-here", {}],
      ] as const) {
        const response = await fetch(`${base}${path}`, { headers });
        outputs.push(`${path}: ${await response.text()}`);
      }
      // Wiz operations and MCP tools run on the tenant with the connector's client secret: answers must not carry it.
      for (const [path, body] of [
        ["/api/operations", { resource: "issue", operation: "list", parameters: { first: 2 } }],
        ["/mcp", { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "issue_list", arguments: { first: 2 } } }],
      ] as const) {
        const answer = await fetch(`${base}${path}`, { method: "POST", headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify(body) });
        outputs.push(`${path}: ${await answer.text()}`);
      }
      for (const headers of [{ authorization: `Bearer ${SENTINELS.webhookToken}` }, { authorization: "Bearer wrong-token-0123456789" }]) {
        const hook = await fetch(`${base}/webhooks/wiz/prod`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ trigger: { source: "ISSUES" }, issue: { id: "sweep-1", type: "TOXIC_COMBINATION", status: "OPEN", updated: "2026-01-02T00:00:00.000000Z" } }) });
        outputs.push(`webhook: ${await hook.text()}`);
      }
      for (const headers of [{ authorization: `Bearer ${SENTINELS.ingestToken}` }, { authorization: `Bearer ${SENTINELS.ingestToken}x` }]) {
        const ingest = await fetch(`${base}/ingest/falco`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ rule: "x" }) });
        outputs.push(`ingest: ${await ingest.text()}`);
      }
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
    outputs.push(started.text());
    for (const run of [
      (out: PassThrough) => runSyncCommand({ config: configPath, dataDir: dir, connector: [], stream: [], full: false, drainTimeout: 30, logLevel: "debug", seed: 1, json: true }, { out, env, logger }),
      (out: PassThrough) => runStatusCommand({ config: configPath, dataDir: dir, connector: [], runs: 5, json: true }, { out, env }),
      (out: PassThrough) => runStatusCommand({ config: configPath, dataDir: dir, connector: [], runs: 5, json: false }, { out, env }),
      (out: PassThrough) => Promise.resolve(runSinkListCommand({ config: configPath, json: false, logLevel: "debug" }, { out, env, logger })),
      (out: PassThrough) => runSinkTestCommand("siem", { config: configPath, json: true, logLevel: "debug" }, { out, env, logger }),
      (out: PassThrough) => runSinkTestCommand("hook", { config: configPath, json: false, logLevel: "debug" }, { out, env, logger }),
      (out: PassThrough) => runTokenListCommand({ dataDir: join(dir, "data"), json: true }, { out }),
    ]) {
      const out = capture();
      await run(out.out);
      outputs.push(out.text());
    }
    const written = filesUnder(dir).filter((f) => !f.path.endsWith("wizbridge.yaml"));
    expect(written.some((f) => f.path.endsWith("wizbridge.db"))).toBe(true);
    const delivered = [...hec.events.values()].map((e) => JSON.stringify(e.event)).join("\n") + [...receiver.events.values()].map((e) => JSON.stringify(e)).join("\n");
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      for (const text of outputs) expect(text.includes(secret), `a command or response shows ${secret}: ${text.slice(0, 300)}`).toBe(false);
      expect(logs.includes(secret), `the debug log shows ${secret}`).toBe(false);
      for (const file of written) expect(file.text.includes(secret), `${file.path} holds ${secret}`).toBe(false);
      expect(delivered.includes(secret), `a sink received ${secret}`).toBe(false);
    }
  });
});
