import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { JsonlFileNames } from "./jsonl-file-names.js";
import { runJsonlSelfTest } from "./jsonl-self-test.js";
import { JsonlSink } from "./jsonl.sink.js";

const record = (i: number): SinkRecord => ({ seq: i, eventId: `e${i}`, connectorId: "c", stream: "issues", payload: JSON.stringify({ id: `e${i}`, pad: "x".repeat(200) }) });

describe("JSONL files hold Wiz data: only their owner reads them", () => {
  it("creates the directory 0700 and every file (current, rotated, index marker) 0600", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "wizbridge-jsonl-mode-")), "events");
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 600, fsync: false });
    for (let i = 0; i < 12; i += 1) await sink.write([record(i)]);
    await sink.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.filter((f) => /^events\.\d{6}\.jsonl$/.test(f)).length).toBeGreaterThan(0);
    for (const file of files) expect({ file, mode: statSync(join(dir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  });

  it("`sink test` creates a missing directory 0700", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "wizbridge-jsonl-mode-")), "fresh");
    const steps = await runJsonlSelfTest({ sinkId: "out", directory: dir, names: new JsonlFileNames("events.jsonl"), maxFileBytes: 1024, now: () => 1 });
    expect(steps.find((s) => s.step === "directory")?.ok).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
