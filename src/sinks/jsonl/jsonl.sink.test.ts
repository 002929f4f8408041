import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonlSink } from "./jsonl.sink.js";
import type { SinkRecord } from "../sink.js";

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

  it("writes multi-byte text exactly, batch after batch, whatever the size of the batch before", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-jsonl-"));
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false });
    const text = (i: number, n: number): SinkRecord => ({ ...record(i), payload: JSON.stringify({ id: `e${i}`, title: "Überprüfung 🔒 日本語 ".repeat(n) }) });
    const batches = [[text(0, 200), text(1, 3)], [text(2, 1)], [text(3, 50), text(4, 0), text(5, 400)], [record(6)]];
    for (const batch of batches) await sink.write(batch);
    await sink.close();
    const written = readFileSync(join(dir, "events.jsonl"), "utf8");
    expect(written).toBe(batches.flat().map((r) => `${r.payload}\n`).join(""));
  });
});
