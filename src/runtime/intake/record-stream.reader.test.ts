import { mkdtempSync, appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { getEventListeners } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/store-database.js";
import { JsonTextSplitter } from "./json-text-splitter.js";
import { ingestReadable, tailFile } from "./record-stream.reader.js";
import { RuntimeIntake } from "./runtime-intake.service.js";

const fixtureText = (name: string): string => readFileSync(new URL(`../../../test/fixtures/runtime/${name}`, import.meta.url), "utf8");

describe("JsonTextSplitter", () => {
  it("splits NDJSON, pretty-printed and concatenated values across arbitrary chunk boundaries", () => {
    const pretty = fixtureText("tetragon-process-exec-privileged-pod-nsenter.json");
    const text = `{"a":"}{\\""}\n${pretty}{"b":[1,{"c":2}]} [{"d":1}]\n`;
    for (const size of [1, 3, 7, 64, 100_000]) {
      const s = new JsonTextSplitter(1_000_000);
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) for (const p of s.push(text.slice(i, i + size))) if ("text" in p) out.push(p.text);
      expect(out.map((t) => JSON.parse(t) as unknown)).toEqual([{ a: '}{"' }, JSON.parse(pretty), { b: [1, { c: 2 }] }, [{ d: 1 }]]);
      expect(s.pending).toBe(false);
    }
  });

  it("property: any objects as NDJSON or indented JSON, cut anywhere, come back whole and in order", () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), (values, pretty, size) => {
        const text = values.map((v) => JSON.stringify(v, null, pretty ? 2 : undefined)).join("\n");
        const s = new JsonTextSplitter(1_000_000);
        const out: unknown[] = [];
        for (let i = 0; i < text.length; i += size) for (const p of s.push(text.slice(i, i + size))) out.push("text" in p ? JSON.parse(p.text) : p);
        expect(out).toEqual(JSON.parse(JSON.stringify(values)));
      }),
      { numRuns: 300 },
    );
  });

  it("reports stray text and oversized values, then carries on", () => {
    const s = new JsonTextSplitter(50);
    const out = s.push(`garbage line\n{"big":"${"x".repeat(100)}"}\n{"ok":1}\n`);
    expect(out.filter((p) => "error" in p)).toHaveLength(2);
    expect(out.filter((p) => "text" in p)).toEqual([{ text: '{"ok":1}' }]);
  });
});

describe("stream and file intake", () => {
  let store: Store;
  let intake: RuntimeIntake;
  beforeEach(async () => {
    store = await openStore(":memory:");
    intake = new RuntimeIntake({ alerts: store.runtimeAlerts });
  });
  afterEach(async () => {
    await intake.close();
    await store.close();
  });
  const count = async (): Promise<number> => (await store.db.selectFrom("runtime_alerts").select(store.db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;

  it("stdin-style stream: every good record stored, bad ones counted with record number and field", async () => {
    const falco = fixtureText("falco-json-output-run-shell-untrusted.json").trim();
    const input = [falco, "{oops", JSON.stringify({ rule: "x", priority: "Nope", time: "2024-01-01T00:00:00Z" }), falco].join("\n");
    const summary = await ingestReadable(Readable.from([input.slice(0, 100), input.slice(100)]), { source: "falco", intake, batchSize: 2 });
    expect(summary.accepted).toBe(2);
    expect(summary.rejected).toBe(2);
    expect(summary.errors.map((e) => [e.record, e.field])).toEqual([
      [2, "$"],
      [3, "priority"],
    ]);
    expect(await count()).toBe(2);
  });

  it("a pretty-printed fixture file is one record", async () => {
    const summary = await ingestReadable(Readable.from([fixtureText("tetragon-process-kprobe-read-keystore.json")]), { source: "tetragon", intake });
    expect(summary).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("tails a file: appended lines are ingested, a truncated file is read from the start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-tail-"));
    const file = join(dir, "falco.ndjson");
    const line = `${fixtureText("falco-json-output-read-sensitive-file-k8s.json").trim()}\n`;
    writeFileSync(file, line);
    const stop = new AbortController();
    const seen: number[] = [];
    const done = tailFile(file, { source: "falco", intake, signal: stop.signal, pollMs: 20, fromStart: true, onBatch: (s) => seen.push(s.accepted) });
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 500 && (await count()) < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(1);
    appendFileSync(file, line + line);
    await waitFor(3);
    writeFileSync(file, line);
    await waitFor(4);
    stop.abort();
    const summary = await done;
    expect(summary.accepted).toBe(4);
    expect(await count()).toBe(4);
  });

  it("keeps one abort listener however long it follows (one per poll piled up into MaxListenersExceededWarning)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-tail-"));
    const file = join(dir, "idle.ndjson");
    writeFileSync(file, "");
    const stop = new AbortController();
    const done = tailFile(file, { source: "falco", intake, signal: stop.signal, pollMs: 1 });
    for (let i = 0; i < 40; i++) await new Promise((r) => setTimeout(r, 5));
    expect(getEventListeners(stop.signal, "abort").length).toBeLessThanOrEqual(1);
    stop.abort();
    await done;
  });
});
