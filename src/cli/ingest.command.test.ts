import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { openStore } from "../store/store-database.js";
import { runIngestCommand, type IngestCommandOptions } from "./ingest.command.js";

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/runtime/${name}`, import.meta.url), "utf8");

function io(stdin: Readable = Readable.from([])): { out: PassThrough; err: PassThrough; stdin: Readable; text: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (c: string) => (text += c));
  err.setEncoding("utf8").on("data", (c: string) => (text += c));
  return { out, err, stdin, text: () => text };
}

const base = (dir: string): IngestCommandOptions => ({ source: "falco", follow: false, fromStart: false, dataDir: dir, json: false });

describe("wizbridge ingest", () => {
  it("reads stdin into the store and reports rejected records by number and field (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-ingest-"));
    const stdin = Readable.from([`${fixture("falco-json-output-run-shell-untrusted.json").trim()}\n{"rule":"r","priority":"Warning"}\n`]);
    const t = io(stdin);
    const code = await runIngestCommand({ ...base(dir), file: "-" }, t);
    expect(code).toBe(1);
    expect(t.text()).toContain("1 alert stored");
    expect(t.text()).toContain("record 2, field time");
    const store = await openStore(join(dir, "wizbridge.db"));
    expect((await store.db.selectFrom("runtime_alerts").select("rule_id").execute()).map((r) => r.rule_id)).toEqual(["Run shell untrusted"]);
    await store.close();
  });

  it("reads a pretty-printed fixture file (exit 0, JSON summary)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-ingest-"));
    const file = join(dir, "tetragon.json");
    writeFileSync(file, fixture("tetragon-process-exec-privileged-pod-nsenter.json"));
    const t = io();
    const code = await runIngestCommand({ ...base(dir), source: "tetragon", file, json: true }, t);
    expect(code).toBe(0);
    expect(JSON.parse(t.text())).toEqual({ accepted: 1, rejected: 0, errors: [] });
  });

  it("unknown source or a missing file: exit 2 with what to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-ingest-"));
    const t = io();
    expect(await runIngestCommand({ ...base(dir), source: "splunk" }, t)).toBe(2);
    expect(t.text()).toContain("sources are falco");
    const t2 = io();
    expect(await runIngestCommand({ ...base(dir), file: join(dir, "nope.json") }, t2)).toBe(2);
    expect(t2.text()).toContain("ENOENT");
  });
});
