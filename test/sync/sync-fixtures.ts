import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/sim/index.js";
import { WizClientCore } from "../../src/wiz/index.js";

export const silentLogger = pino({ level: "silent" });

/** A small, still simulator tenant with no rate limit: fast tests. */
export async function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, size: "tiny", rateLimit: { requestsPerSecond: 0 }, ...options });
}

export function connectionOf(sim: Simulator) {
  return { clientId: sim.clientId, clientSecret: sim.clientSecret, endpoint: sim.graphqlUrl, tokenUrl: sim.tokenUrl, audience: sim.audience, allowNonWizHosts: true };
}

export function clientFor(sim: Simulator): WizClientCore {
  return new WizClientCore({ settings: connectionOf(sim), rateLimit: { requestsPerSecond: 0, maxConcurrency: 8 }, logger: silentLogger });
}

export const noBackpressure = { waitForRoom: async () => undefined };

/** Every record of a simulator collection, as id -> change field. */
export function simVersions(sim: Simulator, kind: "issues" | "vulnerabilityFindings" | "configurationFindings" | "detections" | "cloudResources", field = "updatedAt"): Map<string, string> {
  const collection = sim.tenant[kind];
  const out = new Map<string, string>();
  for (let i = 0; i < collection.size(); i += 1) {
    const record = collection.get(i);
    out.set(String(record.id), String(record[field]));
  }
  return out;
}

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WizEvent } from "../../src/model/wiz-event.js";
import { buildSyncConfig } from "../../src/sync/config-loader.js";
import { WizFilterValidator } from "../../src/sync/filter-validator.js";
import type { SyncConfig } from "../../src/sync/sync-config.js";
import type { Store } from "../../src/store/store-database.js";
import type { StreamDefinition } from "../../src/sync/stream-definition.js";
import type { StreamRunDeps } from "../../src/sync/stream-runner.js";
import { loadWizSchema } from "../../src/sync/wiz-schema-file.js";

export function tempDir(prefix = "wizbridge-sync-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const filterValidator = new WizFilterValidator(loadWizSchema());

/** A validated config for one connector on the simulator feeding a JSONL sink in `dir`. */
export function simConfig(sim: Simulator, dir: string, connector: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): SyncConfig {
  return buildSyncConfig(
    {
      dataDir: dir,
      connectors: [{ id: "sim", connection: connectionOf(sim), rateLimit: { requestsPerSecond: 0, maxConcurrency: 6 }, concurrency: 4, sinks: ["events"], streams: "all", ...connector }],
      sinks: { events: { type: "jsonl", directory: join(dir, "events") } },
      ...extra,
    },
    { baseDir: dir, validator: filterValidator, source: "test config", env: {} },
  );
}

/** Every event in the JSONL files of a directory, in file order (rotated files first). */
export function readJsonl(directory: string): WizEvent[] {
  let files: string[];
  try {
    files = readdirSync(directory).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
  files.sort((a, b) => (a === "events.jsonl" ? 1 : b === "events.jsonl" ? -1 : a.localeCompare(b)));
  const out: WizEvent[] = [];
  for (const file of files) {
    const lines = readFileSync(join(directory, file), "utf8").split("\n");
    // A file read while a sink appends to it may end in half a line: only newline-terminated lines are events.
    lines.pop();
    for (const line of lines) if (line) out.push(JSON.parse(line) as WizEvent);
  }
  return out;
}

/** Latest version per (stream, record id) among upserts, minus removed records: what an upserting sink holds. */
export function latestByStream(events: readonly WizEvent[], stream: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    if (e.stream !== stream) continue;
    if (e.kind === "removal") out.delete(String(e.record.id));
    else out.set(String(e.record.id), String(e.record.updatedAt));
  }
  return out;
}

/** What runStream needs in a test: connector c1 on the simulator's clock, no backpressure, silent logs. */
export function streamRunDeps(sim: Simulator, store: Store, client: WizClientCore, definition: StreamDefinition): StreamRunDeps {
  return {
    connectorId: "c1",
    definition,
    client,
    db: store.db,
    pages: store.pages,
    now: () => sim.clock.now(),
    newRunKey: randomUUID,
    portalOrigin: "https://app.wiz.io",
    backpressure: noBackpressure,
    logger: silentLogger,
  };
}
