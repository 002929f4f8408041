import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConnectorRepository } from "./connector.repository.js";
import { EventKeyRepository } from "./event-key.repository.js";
import { OutboxRepository } from "./outbox.repository.js";
import { RunRepository } from "./run.repository.js";
import { SinkOffsetRepository } from "./sink-offset.repository.js";
import { openStore } from "./store-database.js";
import { StreamStateRepository } from "./stream-state.repository.js";

describe("the embedded store", () => {
  it("migrates a new file to the latest schema, in WAL mode, and reopens it without migrating again", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "wizbridge-store-")), "nested", "wizbridge.db");
    const store = await openStore(path);
    await new ConnectorRepository(store.db).register("c1", "https://api.us17.app.wiz.io/graphql", true, 1);
    await store.close();
    const again = await openStore(path);
    expect((await new ConnectorRepository(again.db).get("c1"))?.state).toBe("registered");
    await again.close();
  });

  it("checkpoints the WAL into the database file from its own thread, not inside commits", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "wizbridge-store-")), "wizbridge.db");
    const store = await openStore(path);
    const before = statSync(path).size;
    // About 4 MB of events: far below the in-commit backstop (128 MiB), so only the thread can move them.
    const payload = JSON.stringify({ pad: "x".repeat(4000) });
    for (let page = 0; page < 10; page++) {
      await new OutboxRepository(store.db).append(
        Array.from({ length: 100 }, (_, i) => ({ connectorId: "c1", stream: "issues", eventId: `e${page}-${i}`, payload })),
        1,
      );
    }
    const deadline = Date.now() + 20_000;
    while (statSync(path).size < before + 4_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 4_000_000);
    expect(await new OutboxRepository(store.db).count("c1")).toBe(1000);
    await store.close();
    // Closed cleanly: the file reopens with every row.
    const again = await openStore(path);
    expect(await new OutboxRepository(again.db).count("c1")).toBe(1000);
    await again.close();
  });

  it("keeps connector states: registered, disabled by config, re-enabled", async () => {
    const store = await openStore(":memory:");
    const connectors = new ConnectorRepository(store.db);
    await connectors.register("c1", "t", true, 1);
    await connectors.setState("c1", "processed", {}, 2);
    expect((await connectors.register("c1", "t", true, 3)).state).toBe("processed");
    expect((await connectors.register("c1", "t", false, 4)).state).toBe("disabled");
    expect((await connectors.register("c1", "t", true, 5)).state).toBe("registered");
    await store.close();
  });

  it("the outbox keeps rows until every sink of the connector has them; backlog counts from the slowest", async () => {
    const store = await openStore(":memory:");
    const outbox = new OutboxRepository(store.db);
    const offsets = new SinkOffsetRepository(store.db);
    await outbox.append(
      Array.from({ length: 5 }, (_, i) => ({ connectorId: "c1", stream: "issues", eventId: `e${i}`, payload: `{"i":${i}}` })),
      1,
    );
    const rows = await outbox.readAfter("c1", 0, 10);
    expect(rows.map((r) => r.eventId)).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    await offsets.acknowledge("c1", "a", rows[3]?.seq ?? 0, 2);
    expect(await offsets.oldest("c1", ["a", "b"])).toBe(0);
    await offsets.acknowledge("c1", "b", rows[1]?.seq ?? 0, 2);
    const oldest = await offsets.oldest("c1", ["a", "b"]);
    expect(await outbox.backlog("c1", oldest)).toBe(3);
    await outbox.deleteUpTo("c1", oldest);
    expect(await outbox.count("c1")).toBe(3);
    await store.close();
  });

  it("backlogUpTo bounds the backlog by sequence numbers and counts rows only at the cap, never past it", async () => {
    const store = await openStore(":memory:");
    const outbox = new OutboxRepository(store.db);
    const entries = (connectorId: string, n: number) => Array.from({ length: n }, (_, i) => ({ connectorId, stream: "issues", eventId: `${connectorId}-${i}`, payload: "{}" }));
    expect(await outbox.backlogUpTo("c1", 0, 10)).toBe(0);
    await outbox.append(entries("c1", 4), 1);
    expect(await outbox.backlogUpTo("c1", 0, 10)).toBe(4);
    // Another connector's rows in between: the sequence bound overestimates, so at the cap it counts (capped).
    await outbox.append(entries("c2", 20), 1);
    await outbox.append(entries("c1", 4), 1);
    expect(await outbox.backlogUpTo("c1", 0, 10)).toBe(8);
    expect(await outbox.backlogUpTo("c1", 0, 5)).toBe(5);
    // Below the cap the answer is the bound (24 >= the true 20): enough to say there is room, at O(log n).
    expect(await outbox.backlogUpTo("c2", 0, 100)).toBe(24);
    await store.close();
  });

  it("event keys answer which ids were emitted and are pruned by time", async () => {
    const store = await openStore(":memory:");
    const keys = new EventKeyRepository(store.db);
    await keys.record("c1", "issues", [
      { eventId: "a", updatedUs: 10 },
      { eventId: "b", updatedUs: 20 },
    ]);
    await keys.record("c1", "issues", [{ eventId: "a", updatedUs: 10 }]);
    expect(await keys.existing("c1", "issues", ["a", "b", "c"])).toEqual(new Set(["a", "b"]));
    await keys.pruneBefore("c1", "issues", 15);
    expect(await keys.existing("c1", "issues", ["a", "b"])).toEqual(new Set(["b"]));
    await store.close();
  });

  it("a split and a settle are atomic; a resync forgets the cursor", async () => {
    const store = await openStore(":memory:");
    const states = new StreamStateRepository(store.db);
    const slice = { connector_id: "c1", stream: "issues", slice_id: 0, lo_us: null, hi_us: 100, filter_lo_us: null, filter_hi_us: 100, scope_json: null, end_cursor: null, high_water_us: null, pages: 0, records: 0, total_estimate: 10, done: 0 };
    await states.beginRun({ connector_id: "c1", stream: "issues", run_key: "r", mode: "incremental", lower_us: null, upper_us: 100, started_at: 1 }, [slice]);
    await states.split({ connectorId: "c1", stream: "issues", sliceId: 0, newHiUs: 50 }, { ...slice, slice_id: 1, lo_us: 50, filter_lo_us: 50 });
    const open = await states.openRun("c1", "issues");
    expect(open?.slices.map((s) => [s.slice_id, s.lo_us, s.hi_us, s.filter_hi_us])).toEqual([
      [0, null, 50, 100],
      [1, 50, 100, 100],
    ]);
    await states.settle("c1", "issues", 100, true, 2);
    expect(await states.openRun("c1", "issues")).toBeUndefined();
    expect(await states.state("c1", "issues")).toMatchObject({ cursor_us: 100, full_completed_at: 2 });
    await states.requestResync("c1", "issues", 3);
    expect(await states.state("c1", "issues")).toMatchObject({ cursor_us: null, resync_requested: 1 });
    await store.close();
  });

  it("run history: runs and their streams; a crashed process's runs are marked abandoned", async () => {
    const store = await openStore(":memory:");
    const runs = new RunRepository(store.db);
    const id = await runs.start("c1", "schedule", 1);
    await runs.startStream(id, "issues", 1);
    expect(await runs.abandonRunning(2)).toBe(1);
    expect((await runs.list("c1"))[0]).toMatchObject({ status: "abandoned", ended_at: 2 });
    expect((await runs.streams(id))[0]).toMatchObject({ status: "abandoned" });
    await store.close();
  });

  it("a new store is readable by its owner only: file 0600 (WAL too), directory 0700", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "wizbridge-mode-")), "data");
    const store = await openStore(join(dir, "wizbridge.db"));
    await new ConnectorRepository(store.db).register("c1", "https://api.example/graphql", true, 1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "wizbridge.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "wizbridge.db-wal")).mode & 0o777).toBe(0o600);
    await store.close();
  });
});
