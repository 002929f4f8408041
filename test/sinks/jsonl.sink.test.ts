import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { JsonlSink } from "../../src/sinks/jsonl/jsonl.sink.js";
import { jsonlSinkType } from "../../src/sinks/jsonl/jsonl.sink-type.js";
import { SinkUnavailableError, type SinkRecord } from "../../src/sinks/sink.js";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "wizbridge-jsonl-e2e-"));

/** A WizEvent-shaped record of about `bytes` bytes. */
function event(i: number, bytes = 500): SinkRecord {
  const id = `ev-${String(i).padStart(6, "0")}`;
  const payload = JSON.stringify({ id, source: "wiz", kind: "upsert", connector: "c", stream: "vulnerabilityFindings", observedAt: "2025-01-01T00:00:00.000Z", profile: "canonical", record: { id: `r${i}`, pad: "v".repeat(Math.max(0, bytes - 200)) }, raw: null });
  return { seq: i, eventId: id, connectorId: "c", stream: "vulnerabilityFindings", payload };
}

/** Every line of every `.jsonl` file in the directories, parsed (a torn or unparseable line fails the test). */
function eventIds(...directories: string[]): string[] {
  return directories.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .flatMap((f) => {
        const text = readFileSync(join(dir, f), "utf8");
        expect(text === "" || text.endsWith("\n"), `${f} ends in a torn line`).toBe(true);
        return text
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { id: string }).id);
      }),
  );
}

function capturedLogger() {
  let text = "";
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return { logger: pino({ level: "debug" }, out), text: () => text };
}

describe("jsonl sink, end to end", () => {
  it("4,000 events, 4 batches in flight, a shipper moving rotated files away as they appear: every event once, no name reused", async () => {
    const dir = tempDir();
    const shipped = tempDir();
    const sink = new JsonlSink({ id: "events", directory: dir, maxFileBytes: 64 * 1024, fsync: false });
    let moved = 0;
    const reused: string[] = [];
    let stop = false;
    // The shipper takes the oldest rotated file whenever one is there, as log shippers and clean-up jobs do.
    const shipper = (async () => {
      while (!stop) {
        const rotated = readdirSync(dir)
          .filter((f) => /^events\.\d{6}\.jsonl$/.test(f))
          .sort();
        const oldest = rotated[0];
        if (oldest !== undefined) {
          // A name the sink used before would be a file the shipper already has (and would overwrite).
          if (existsSync(join(shipped, oldest))) reused.push(oldest);
          else renameSync(join(dir, oldest), join(shipped, oldest));
          moved += 1;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const batches = Array.from({ length: 80 }, (_, b) => Array.from({ length: 50 }, (_, i) => event(b * 50 + i)));
    // Four writes in flight at a time, as a dispatcher with maxInFlight 4 keeps them.
    for (let b = 0; b < batches.length; b += 4) await Promise.all(batches.slice(b, b + 4).map((batch) => sink.write(batch)));
    await sink.close();
    stop = true;
    await shipper;
    expect(reused).toEqual([]);
    expect(moved).toBeGreaterThan(10);
    const ids = eventIds(dir, shipped);
    expect(ids).toHaveLength(4000);
    expect(new Set(ids).size).toBe(4000);
    rmSync(dir, { recursive: true, force: true });
    rmSync(shipped, { recursive: true, force: true });
  });

  it("built from config: retention by count is applied and logged, describe() is one line", async () => {
    const dir = tempDir();
    const { logger, text } = capturedLogger();
    const settings = jsonlSinkType.schema.parse({ type: "jsonl", directory: dir, maxFileBytes: 16 * 1024, maxFiles: 3, maxAgeDays: 30, fsync: true });
    const sink = jsonlSinkType.create("events", settings, { logger, baseDir: dir, now: Date.now });
    for (let b = 0; b < 20; b += 1) await sink.write(Array.from({ length: 10 }, (_, i) => event(b * 10 + i)));
    await sink.close();
    const rotated = readdirSync(dir).filter((f) => /^events\.\d{6}\.jsonl$/.test(f));
    expect(rotated).toHaveLength(3);
    expect(readdirSync(dir)).toContain("events.jsonl");
    // What is left is the newest events, each whole: the deleted files were the oldest.
    const ids = eventIds(dir).sort();
    expect(ids.at(-1)).toBe("ev-000199");
    expect(text()).toMatch(/deleted rotated JSONL files past retention/);
    expect(jsonlSinkType.describe("events", settings)).toBe(`events: JSON Lines in ${dir} (events.jsonl, rotated at 16 KiB, keep 3 rotated files / 30 days)`);
  });

  it.skipIf(!existsSync("/dev/full"))("a full disk (ENOSPC from the kernel): the write fails with the cause and the fix, nothing is kept, the retry after space is freed writes the batch once", async () => {
    const dir = tempDir();
    // /dev/full answers every write with ENOSPC and cannot be truncated: the sink must close and reopen.
    symlinkSync("/dev/full", join(dir, "events.jsonl"));
    const { logger, text } = capturedLogger();
    const sink = new JsonlSink({ id: "events", directory: dir, logger });
    const batch = [event(1), event(2)];
    const failure = await sink.write(batch).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SinkUnavailableError);
    expect((failure as Error).message).toMatch(/ENOSPC/);
    expect((failure as Error).message).toMatch(/is full/);
    expect((failure as Error).message).toMatch(/free space on that volume, or set maxFiles \/ maxAgeDays/);
    expect(text()).toMatch(/could not cut a failed batch off/);
    // Space is back (the symlink gives way to a real file with acknowledged lines in it).
    rmSync(join(dir, "events.jsonl"));
    writeFileSync(join(dir, "events.jsonl"), `${event(0).payload}\n`);
    await sink.write(batch);
    await sink.close();
    expect(eventIds(dir)).toEqual(["ev-000000", "ev-000001", "ev-000002"]);
  });

  it("selfTest passes step by step and leaves nothing behind", async () => {
    const parent = tempDir();
    const dir = join(parent, "new", "events");
    const sink = jsonlSinkType.create("events", jsonlSinkType.schema.parse({ type: "jsonl", directory: dir, maxFileBytes: 1024 }), { logger: pino({ level: "silent" }), baseDir: parent, now: Date.now });
    const steps = await sink.selfTest!();
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["directory", true],
      ["writable", true],
      ["free space", true],
      ["test event", true],
    ]);
    expect(steps[0]?.detail).toBe(`created ${dir}`);
    expect(steps[2]?.detail).toMatch(/free of .* on the volume holding/);
    expect(steps[3]?.detail).toMatch(/test event wizbridge-sink-test-events-\d+ in .*events\.sink-test\.jsonl, then removed it/);
    expect(readdirSync(dir)).toEqual([]);
    await sink.close();
  });

  it("selfTest fails with a fix: a directory path through a file, and too little free space for one file", async () => {
    const parent = tempDir();
    writeFileSync(join(parent, "not-a-dir"), "x");
    const blocked = new JsonlSink({ id: "events", directory: join(parent, "not-a-dir", "events") });
    const steps = await blocked.selfTest();
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ step: "directory", ok: false });
    expect(steps[0]?.detail).toMatch(/ENOTDIR|EEXIST/);
    expect(steps[0]?.fix).toMatch(/point directory at a directory/);

    const huge = new JsonlSink({ id: "events", directory: join(parent, "ok"), maxFileBytes: 2 ** 60 });
    const hugeSteps = await huge.selfTest();
    const space = hugeSteps.find((s) => s.step === "free space");
    expect(space?.ok).toBe(false);
    expect(space?.fix).toMatch(/free space on that volume, set maxFiles \/ maxAgeDays/);
    // The test event is still tried: a nearly full disk can take it.
    expect(hugeSteps.find((s) => s.step === "test event")?.ok).toBe(true);
  });
});
