import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerStartCommand, runStartCommand } from "../../src/cli/start.command.js";
import { runStatusCommand } from "../../src/cli/status.command.js";
import { registerSyncCommand, runSyncCommand, type SyncCommandOptions } from "../../src/cli/sync.command.js";
import type { Simulator } from "../../src/sim/index.js";
import { RunRepository } from "../../src/store/run.repository.js";
import { openStore } from "../../src/store/store-database.js";
import { readJsonl, silentLogger, startTestSimulator, tempDir } from "./sync-fixtures.js";

function capture() {
  const out = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (c: string) => (text += c));
  return { out, text: () => text };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the sync and start commands", () => {
  let sim: Simulator;
  let dir: string;
  let configPath: string;

  beforeEach(async () => {
    sim = await startTestSimulator();
    dir = tempDir("wizbridge-cmd-");
    configPath = join(dir, "wizbridge.yaml");
    writeFileSync(
      configPath,
      [
        "connectors:",
        "  - id: tenant-a",
        "    connection:",
        `      clientId: ${sim.clientId}`,
        "      clientSecret: ${SIM_SECRET}",
        `      endpoint: ${sim.graphqlUrl}`,
        `      tokenUrl: ${sim.tokenUrl}`,
        "      allowNonWizHosts: true",
        "    rateLimit: {requestsPerSecond: 0, maxConcurrency: 4}",
        "    sinks: [events]",
        "    streams:",
        "      issues: {schedule: 1h}",
        "      projects: {schedule: once}",
        "sinks:",
        "  events: {type: jsonl, directory: ./events}",
      ].join("\n"),
    );
  });
  afterEach(async () => {
    await sim.close();
  });

  const syncOpts = (overrides: Partial<SyncCommandOptions> = {}): SyncCommandOptions => ({ config: configPath, dataDir: join(dir, "data"), connector: [], stream: [], full: false, drainTimeout: 30, logLevel: "silent", seed: 1, json: false, ...overrides });

  it("registers `sync` and `start` on a commander program with their options", () => {
    const program = new Command("wizbridge");
    registerSyncCommand(program);
    registerStartCommand(program);
    const sync = program.commands.find((c) => c.name() === "sync");
    const start = program.commands.find((c) => c.name() === "start");
    expect(sync?.options.map((o) => o.long)).toEqual(expect.arrayContaining(["--config", "--connector", "--stream", "--full", "--drain-timeout", "--json"]));
    expect(start?.options.map((o) => o.long)).toEqual(expect.arrayContaining(["--config", "--data-dir", "--log-level"]));
  });

  it("`sync --config` runs once, prints per-stream counts, and a second run finds nothing new", async () => {
    const first = capture();
    expect(await runSyncCommand(syncOpts(), { out: first.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    expect(first.text()).toMatch(/tenant-a: run 1 succeeded/);
    expect(first.text()).toMatch(new RegExp(`issues\\s+${sim.tenant.issues.size()} records\\s+${sim.tenant.issues.size()} new or changed`));
    expect(readJsonl(join(dir, "events"))).toHaveLength(sim.tenant.issues.size() + sim.tenant.projects.size());

    const second = capture();
    expect(await runSyncCommand(syncOpts({ stream: ["issues"], json: true }), { out: second.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    const result = JSON.parse(second.text()) as { summaries: Array<{ streams: Array<{ stream: string; emitted: number; requests: number }> }>; undelivered: number };
    expect(result.summaries[0]?.streams).toEqual([expect.objectContaining({ stream: "issues", emitted: 0 })]);
    expect(result.summaries[0]?.streams[0]?.requests).toBeLessThanOrEqual(3);
    expect(result.undelivered).toBe(0);

    const full = capture();
    expect(await runSyncCommand(syncOpts({ stream: ["issues"], full: true, json: true }), { out: full.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    expect(JSON.parse(full.text()).summaries[0].streams[0].emitted).toBe(sim.tenant.issues.size());
  });

  it("refuses a bad --stream, --connector or config with exit code 2 and the key named", async () => {
    const a = capture();
    expect(await runSyncCommand(syncOpts({ stream: ["issuez"] }), { out: a.out, env: {}, logger: silentLogger })).toBe(2);
    expect(a.text()).toMatch(/unknown stream "issuez".*issues, vulnerabilityFindings/);
    const b = capture();
    expect(await runSyncCommand(syncOpts(), { out: b.out, env: {}, logger: silentLogger })).toBe(2);
    expect(b.text()).toMatch(/connectors\[0\]\.connection\.clientSecret: .*SIM_SECRET/);
    const c = capture();
    expect(await runSyncCommand(syncOpts({ connector: ["tenant-b"] }), { out: c.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(2);
    const d = capture();
    expect(await runSyncCommand(syncOpts({ stream: ["threats"] }), { out: d.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(2);
    expect(d.text()).toContain('no selected connector syncs "threats" (--stream); tenant-a syncs issues, projects');
    expect(c.text()).toMatch(/no connector "tenant-b".*tenant-a/);
  });

  it("`status` shows each connector's state, cursors, backlog and runs from the store; a missing store says what to do", async () => {
    const missing = capture();
    expect(await runStatusCommand({ dataDir: join(dir, "nowhere"), connector: [], runs: 5, json: false }, { out: missing.out })).toBe(2);
    expect(missing.text()).toMatch(/no store at .*nowhere.*Run `wizbridge start` or `wizbridge sync` first/);
    expect(await runSyncCommand(syncOpts(), { out: capture().out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    const text = capture();
    expect(await runStatusCommand({ dataDir: join(dir, "data"), connector: [], runs: 5, json: false }, { out: text.out })).toBe(0);
    expect(text.text()).toMatch(/^tenant-a {2}PROCESSED/);
    expect(text.text()).toMatch(/issues\s+cursor \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(text.text()).toMatch(/outbox\s+0 events waiting for delivery; 0 dead letters/);
    expect(text.text()).toMatch(new RegExp(`issues\\s+succeeded\\s+${sim.tenant.issues.size()} records`));
    const viaConfig = capture();
    expect(await runStatusCommand({ config: configPath, dataDir: "./nowhere", connector: [], runs: 5, json: false }, { out: viaConfig.out, env: { SIM_SECRET: sim.clientSecret } })).toBe(0);
    expect(viaConfig.text()).toMatch(/^tenant-a {2}PROCESSED/);
    const json = capture();
    expect(await runStatusCommand({ dataDir: join(dir, "data"), connector: ["tenant-a"], runs: 1, json: true }, { out: json.out })).toBe(0);
    const [status] = JSON.parse(json.text()) as Array<{ id: string; state: string; runs: Array<{ status: string; streams: Array<{ stream: string; records: number }> }> }>;
    expect(status).toMatchObject({ id: "tenant-a", state: "processed", runs: [{ status: "succeeded" }] });
    expect(status?.runs[0]?.streams.find((s) => s.stream === "projects")?.records).toBe(sim.tenant.projects.size());
    expect(await runStatusCommand({ dataDir: join(dir, "data"), connector: ["other"], runs: 1, json: false }, { out: capture().out })).toBe(2);
  });

  it("`start --config` runs on schedule until stopped, and the next start resumes without re-exporting", async () => {
    const stop = new AbortController();
    const out = capture();
    const running = runStartCommand({ config: configPath, dataDir: join(dir, "data"), logLevel: "silent", seed: 1, httpPort: 0 }, { out: out.out, env: { SIM_SECRET: sim.clientSecret }, signal: stop.signal, logger: silentLogger });
    await until(() => readJsonl(join(dir, "events")).length === sim.tenant.issues.size() + sim.tenant.projects.size(), "the first runs are delivered");
    stop.abort();
    expect(await running).toBe(0);
    expect(out.text()).toMatch(/Connector\s+tenant-a: .*issues \(every 1h\), projects \(once\)/);
    expect(out.text()).toMatch(/Store\s+.*wizbridge\.db/);

    const again = new AbortController();
    const second = runStartCommand({ config: configPath, dataDir: join(dir, "data"), logLevel: "silent", seed: 1, httpPort: 0 }, { out: capture().out, env: { SIM_SECRET: sim.clientSecret }, signal: again.signal, logger: silentLogger });
    const store = await openStore(join(dir, "data", "wizbridge.db"));
    try {
      const runs = new RunRepository(store.db);
      let done = false;
      for (let i = 0; i < 600 && !done; i += 1) {
        const latest = (await runs.list("tenant-a"))[0];
        done = latest !== undefined && latest.id > 1 && latest.status !== "running";
        if (!done) await new Promise((r) => setTimeout(r, 50));
      }
      expect(done).toBe(true);
      const latest = (await runs.list("tenant-a"))[0];
      const streams = await runs.streams(latest?.id ?? -1);
      expect(streams.find((s) => s.stream === "issues")?.emitted).toBe(0);
    } finally {
      await store.close();
    }
    again.abort();
    expect(await second).toBe(0);
    expect(readJsonl(join(dir, "events"))).toHaveLength(sim.tenant.issues.size() + sim.tenant.projects.size());
  });

  it("`start` without a config runs the embedded default: simulator, one connector with every stream, SQLite and JSONL under the data dir", async () => {
    const stop = new AbortController();
    const out = capture();
    const dataDir = join(dir, "demo");
    const running = runStartCommand({ dataDir, logLevel: "silent", seed: 1, httpPort: 0 }, { out: out.out, env: {}, signal: stop.signal, logger: silentLogger });
    await until(() => readJsonl(join(dataDir, "events")).length > 0, "the demo delivers its first events");
    // The push path runs too: a sensor alert is accepted (durably) by the loopback receiver.
    const intakeUrl = /Runtime intake POST (http:\/\/127\.0\.0\.1:\d+)\/ingest\/<source>/.exec(out.text())?.[1];
    expect(intakeUrl, out.text()).toBeDefined();
    const falco = readFileSync(new URL("../fixtures/runtime/falco-json-output-run-shell-untrusted.json", import.meta.url), "utf8");
    const answer = await fetch(`${intakeUrl ?? ""}/ingest/falco`, { method: "POST", headers: { "content-type": "application/json" }, body: falco });
    expect(answer.status).toBe(202);
    stop.abort();
    expect(await running).toBe(0);
    expect(out.text()).toMatch(/embedded default/);
    expect(out.text()).toMatch(/Wiz simulator\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(out.text()).toMatch(/Connector\s+demo: .*issues \(every 5m\).*vulnerabilityFindings \(every 30m\).*cloudResources \(every 24h\)/);
    expect(out.text()).toContain(join(dataDir, "wizbridge.db"));
    expect(out.text()).toContain(join(dataDir, "events"));
    expect(out.text()).not.toMatch(/clientSecret|client_secret/);
    expect(out.text()).toMatch(/Wiz webhooks: POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/wiz\/demo \(bearer auth\); the simulator's automation rules post there/);
    const store = await openStore(join(dataDir, "wizbridge.db"));
    try {
      expect(await store.db.selectFrom("runtime_alerts").select("source").execute()).toEqual([{ source: "falco" }]);
    } finally {
      await store.close();
    }
  });

  it("the embedded default's next start continues the demo tenant from the data dir: no re-export, the tenant's clock goes on", async () => {
    const dataDir = join(dir, "resumed");
    /** Issue events the connector's runs emitted, for the runs started at or after `since`, once one has ended. */
    const issuesEmitted = async (since: number): Promise<number | undefined> => {
      const store = await openStore(join(dataDir, "wizbridge.db"));
      try {
        const runs = new RunRepository(store.db);
        let emitted: number | undefined;
        for (const run of await runs.list("demo", 500)) {
          if (run.started_at < since) continue;
          for (const stream of await runs.streams(run.id)) if (stream.stream === "issues" && stream.status === "succeeded") emitted = (emitted ?? 0) + stream.emitted;
        }
        return emitted;
      } finally {
        await store.close();
      }
    };
    const waitForIssues = async (since: number): Promise<number> => {
      for (;;) {
        const emitted = await issuesEmitted(since);
        if (emitted !== undefined) return emitted;
        if (Date.now() - since > 240_000) throw new Error("no issues run completed within 4 minutes");
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const first = new AbortController();
    const firstStartedAt = Date.now();
    const running = runStartCommand({ dataDir, logLevel: "silent", seed: 1, httpPort: 0 }, { out: capture().out, env: {}, signal: first.signal, logger: silentLogger });
    const exported = await waitForIssues(firstStartedAt);
    first.abort();
    expect(await running).toBe(0);
    expect(exported).toBeGreaterThan(100);
    const statePath = join(dataDir, "demo-tenant.json");
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(statePath, "utf8")) as { now: number };

    const second = new AbortController();
    const secondStartedAt = Date.now();
    const again = runStartCommand({ dataDir, logLevel: "silent", seed: 1, httpPort: 0 }, { out: capture().out, env: {}, signal: second.signal, logger: silentLogger });
    // The resumed connector's issues run (due at once) reads only what changed in the tenant since its cursor;
    // a fresh tenant would have been exported whole again.
    const resumed = await waitForIssues(secondStartedAt);
    second.abort();
    expect(await again).toBe(0);
    expect(resumed).toBeLessThan(exported / 2);
    const resaved = JSON.parse(readFileSync(statePath, "utf8")) as { now: number };
    expect(resaved.now).toBeGreaterThan(saved.now);
  }, 600_000);

  it("a connector created through the API runs from the CLI too: `sync --connector <id>` loads it, secret opened, from the store", async () => {
    const stop = new AbortController();
    const out = capture();
    const running = runStartCommand({ config: configPath, dataDir: join(dir, "data"), logLevel: "silent", seed: 1, httpPort: 0 }, { out: out.out, env: { SIM_SECRET: sim.clientSecret }, signal: stop.signal, logger: silentLogger });
    await until(() => /API token\s+\S+/.test(out.text()), "start prints the admin token");
    const url = /HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())?.[1] ?? "";
    const token = /API token\s+(\S+)/.exec(out.text())?.[1] ?? "";
    const created = await fetch(`${url}/api/connectors`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: "from-api",
        connection: { clientId: sim.clientId, clientSecret: sim.clientSecret, endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true },
        rateLimit: { requestsPerSecond: 0, maxConcurrency: 4 },
        sinks: ["events"],
        streams: { projects: { schedule: "once" } },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    stop.abort();
    expect(await running).toBe(0);
    const synced = capture();
    // No SIM_SECRET needed for it: its secret is sealed in the store.
    expect(await runSyncCommand(syncOpts({ connector: ["from-api"], json: true, full: true }), { out: synced.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    const result = JSON.parse(synced.text()) as { summaries: Array<{ connectorId: string; status: string; streams: Array<{ stream: string; records: number }> }> };
    expect(result.summaries).toHaveLength(1);
    expect(result.summaries[0]).toMatchObject({ connectorId: "from-api", status: "succeeded", streams: [{ stream: "projects", records: sim.tenant.projects.size() }] });
  });

  it("a second writer on one store is refused with the holder's pid and exit 1; the lock goes with the first", async () => {
    const hold = new AbortController();
    const started = capture();
    const start = runStartCommand({ config: configPath, dataDir: dir, seed: 1, httpHost: "127.0.0.1", httpPort: 0, logLevel: "silent" }, { out: started.out, env: { SIM_SECRET: sim.clientSecret }, signal: hold.signal, logger: silentLogger });
    await until(() => started.text().includes("Press Ctrl+C"), "start is running");
    const second = capture();
    expect(await runSyncCommand(syncOpts(), { out: second.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(1);
    expect(second.text()).toContain(`in use by another wizbridge process (pid ${process.pid}`);
    expect(second.text()).toMatch(/Stop that process first|its own --data-dir/);
    hold.abort();
    expect(await start).toBe(0);
    expect(await runSyncCommand(syncOpts(), { out: capture().out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
  });

  it("a store that cannot be created ends the command with a clear message instead of a raw SQLite error and a hang", async () => {
    const blocker = join(dir, "not-a-directory");
    writeFileSync(blocker, "a file where the data directory should be");
    const out = capture();
    const code = await runStartCommand({ dataDir: join(blocker, "data"), seed: 1, httpHost: "127.0.0.1", httpPort: 0, logLevel: "silent" }, { out: out.out, env: {}, logger: silentLogger });
    expect(code).toBe(1);
    expect(out.text()).toMatch(/cannot open the store .*not-a-directory.*Check that its directory exists and is writable/s);
  });

  it("exit codes follow the documented table: 3 when Wiz refuses the credentials, 6 when it cannot be reached", async () => {
    const wrong = capture();
    expect(await runSyncCommand(syncOpts({ drainTimeout: 5 }), { out: wrong.out, env: { SIM_SECRET: "not-the-secret-0123" }, logger: silentLogger })).toBe(3);
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace(/endpoint: \S+/, `endpoint: http://127.0.0.1:${port}/graphql`).replace(/tokenUrl: \S+/, `tokenUrl: http://127.0.0.1:${port}/oauth/token`));
    const unreachable = capture();
    expect(await runSyncCommand(syncOpts({ drainTimeout: 5 }), { out: unreachable.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(6);
  });

  it("with a stdout sink the run summary goes to stderr, so stdout carries only events", async () => {
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace("events: {type: jsonl, directory: ./events}", "events: {type: stdout}").replace("      issues: {schedule: 1h}\n", ""));
    const out = capture();
    const err = capture();
    expect(await runSyncCommand(syncOpts({ stream: ["projects"] }), { out: out.out, err: err.out, env: { SIM_SECRET: sim.clientSecret }, logger: silentLogger })).toBe(0);
    expect(out.text()).toBe("");
    expect(err.text()).toMatch(/tenant-a: run \d+ succeeded/);
  });
});
