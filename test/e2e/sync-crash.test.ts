import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { readJsonl, tempDir } from "../sync/sync-fixtures.js";

// The built runner (npm test builds first; run `npx tsc -p tsconfig.build.json` before this file alone).
const RUNNER = fileURLToPath(new URL("../../dist/src/sync/sync-once.main.js", import.meta.url));
const PAGE = 50;

describe("crash: kill -9 a real sync mid-run, restart it", () => {
  let sim: Simulator;
  let dir: string;

  beforeEach(async () => {
    // Each page answers 40 ms late, so there is a sync to kill in the middle of.
    sim = await startSimulator({ seed: 3, size: "tiny", counts: { vulnerabilityFindings: 4000 }, rateLimit: { requestsPerSecond: 0 }, faults: [{ spec: { kind: "latency", fixedMs: 40 } }] });
    dir = tempDir("wizbridge-crash-");
    const config = {
      dataDir: dir,
      delivery: { batchSize: PAGE },
      connectors: [
        {
          id: "crash",
          connection: { clientId: sim.clientId, clientSecret: "${SIM_SECRET}", endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true },
          rateLimit: { requestsPerSecond: 0, maxConcurrency: 3 },
          concurrency: 3,
          sinks: ["events"],
          streams: { vulnerabilityFindings: { pageSize: PAGE }, issues: { pageSize: PAGE } },
        },
      ],
      sinks: { events: { type: "jsonl", directory: join(dir, "events") } },
    };
    writeFileSync(join(dir, "wizbridge.json"), JSON.stringify(config));
  });
  afterEach(async () => {
    await sim.close();
  });

  function runSync() {
    const child = spawn(process.execPath, [RUNNER, "--config", join(dir, "wizbridge.json")], { env: { ...process.env, SIM_SECRET: sim.clientSecret }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    return { child, output: () => output };
  }

  it("the union of what the sink received has every record, with duplicates of at most one page", async () => {
    const total = sim.tenant.vulnerabilityFindings.size() + sim.tenant.issues.size();
    const first = runSync();
    let linesAtKill: number;
    let findingsAtKill: number;
    for (;;) {
      const delivered = readJsonl(join(dir, "events"));
      linesAtKill = delivered.length;
      findingsAtKill = delivered.filter((e) => e.stream === "vulnerabilityFindings").length;
      if (linesAtKill >= 600 || first.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill("SIGKILL");
    await once(first.child, "exit").catch(() => undefined);
    expect(first.child.signalCode, first.output()).toBe("SIGKILL");
    expect(linesAtKill).toBeLessThan(total);
    const requestsBeforeRestart = sim.requests.list({ rootField: "vulnerabilityFindings" }).length;

    const second = runSync();
    const [code] = (await once(second.child, "exit")) as [number | null];
    expect(code, second.output()).toBe(0);

    const events = readJsonl(join(dir, "events"));
    const ids = (stream: string) => new Set(events.filter((e) => e.stream === stream).map((e) => e.record.id));
    const expected = (kind: "vulnerabilityFindings" | "issues") => new Set(Array.from({ length: sim.tenant[kind].size() }, (_, i) => sim.tenant[kind].idAt(i)));
    expect(ids("vulnerabilityFindings")).toEqual(expected("vulnerabilityFindings"));
    expect(ids("issues")).toEqual(expected("issues"));
    const duplicates = events.length - new Set(events.map((e) => e.id)).size;
    expect(duplicates).toBeLessThanOrEqual(PAGE);
    // It resumed from its checkpoints rather than starting over: what the first process committed (at least what
    // it delivered) is not read again. Streams run side by side, so only the findings lines count here.
    const summary = JSON.parse(second.output().split("\n").find((l) => l.startsWith(`{"summaries"`)) ?? "{}") as { summaries: Array<{ streams: Array<{ stream: string; records: number }> }> };
    const reread = summary.summaries[0]?.streams.find((s) => s.stream === "vulnerabilityFindings")?.records ?? Infinity;
    expect(findingsAtKill).toBeGreaterThan(0);
    expect(reread).toBeLessThanOrEqual(sim.tenant.vulnerabilityFindings.size() - findingsAtKill);
    expect(sim.requests.list({ rootField: "vulnerabilityFindings" }).length).toBeGreaterThan(requestsBeforeRestart);
  });
});
