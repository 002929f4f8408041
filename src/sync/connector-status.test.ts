import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConnectorRepository } from "../store/connector.repository.js";
import { RunRepository } from "../store/run.repository.js";
import { openStore } from "../store/store-database.js";
import { StreamStateRepository } from "../store/stream-state.repository.js";
import { connectorStatuses, renderConnectorStatuses } from "./connector-status.js";

const counts = { pages: 1, records: 10, emitted: 10, requests: 1 };

describe("connector health in status", () => {
  it("a stream whose latest runs failed makes the connector unhealthy, with its last success, failure count and error class", async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), "wizbridge-health-")), "wizbridge.db"));
    await new ConnectorRepository(store.db).register("prod", "https://api.us17.app.wiz.io/graphql", true, 0);
    await new StreamStateRepository(store.db).requestResync("prod", "issues", 0);
    await new StreamStateRepository(store.db).requestResync("prod", "projects", 0);
    const runs = new RunRepository(store.db);
    const run = async (at: number, outcome: Record<string, "succeeded" | "failed">, runError?: string): Promise<void> => {
      const id = await runs.start("prod", "schedule", at);
      for (const [stream, status] of Object.entries(outcome)) {
        await runs.startStream(id, stream, at);
        await runs.finishStream(id, stream, status, counts, status === "failed" ? { code: "NETWORK", message: "connection reset" } : undefined, at + 1);
      }
      await runs.finish(id, runError ? "failed" : "succeeded", runError ? { code: runError, message: "token refused" } : undefined, at + 2);
    };
    await run(1_000, { issues: "succeeded", projects: "succeeded" });
    await run(2_000, { issues: "failed", projects: "succeeded" });
    await run(3_000, {}, "UNAUTHENTICATED");
    const [status] = await connectorStatuses(store.db);
    expect(status?.healthy).toBe(false);
    const issues = status?.streams.find((s) => s.stream === "issues");
    expect(issues).toMatchObject({ consecutiveFailures: 2, lastErrorClass: "UNAUTHENTICATED", lastSuccessAt: new Date(1_001).toISOString() });
    expect(status?.streams.find((s) => s.stream === "projects")).toMatchObject({ consecutiveFailures: 1, lastSuccessAt: new Date(2_001).toISOString() });
    expect(renderConnectorStatuses([status!])).toMatch(/prod {2}REGISTERED {2}UNHEALTHY[\s\S]*issues\s+cursor \(none yet\).*FAILING: 2 runs since the last success/);

    await run(4_000, { issues: "succeeded", projects: "succeeded" });
    const [after] = await connectorStatuses(store.db);
    expect(after?.healthy).toBe(true);
    expect(after?.streams.every((s) => s.consecutiveFailures === 0 && s.lastErrorClass === null)).toBe(true);
    await store.close();
  });
});
