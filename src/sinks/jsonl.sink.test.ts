import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonlSink } from "./jsonl.sink.js";
import type { SinkRecord } from "./sink.js";

const record = (i: number): SinkRecord => ({ seq: i, eventId: `e${i}`, connectorId: "c", stream: "issues", payload: JSON.stringify({ id: `e${i}`, pad: "x".repeat(100) }) });

describe("JsonlSink", () => {
  it("appends one event per line and rotates by size without splitting a batch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-jsonl-"));
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false });
    for (let b = 0; b < 6; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files).toContain("events.jsonl");
    const lines = files.flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean));
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(Array.from({ length: 18 }, (_, i) => `e${i}`).sort());
  });

  it("cuts a line torn by a crash before appending again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-jsonl-"));
    appendFileSync(join(dir, "events.jsonl"), `${record(1).payload}\n{"id":"e2","pa`);
    const sink = new JsonlSink({ id: "out", directory: dir });
    await sink.write([record(2)]);
    await sink.close();
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").split("\n").filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(["e1", "e2"]);
  });
});
