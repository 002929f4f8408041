import { appendFileSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonlSink } from "./jsonl.sink.js";
import { jsonlSinkSchema } from "./jsonl.sink-type.js";
import type { SinkRecord } from "../sink.js";

const record = (i: number): SinkRecord => ({ seq: i, eventId: `e${i}`, connectorId: "c", stream: "issues", payload: JSON.stringify({ id: `e${i}`, pad: "x".repeat(100) }) });
const lineOf = (r: SinkRecord): string => `${r.payload}\n`;
const tempDir = (): string => mkdtempSync(join(tmpdir(), "wizbridge-jsonl-"));
const idsOf = (path: string): string[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: string }).id);
const rotatedIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /^events\.\d{6}\.jsonl$/.test(f))
    .sort();
const fsError = (code: string, syscall: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated failure, ${syscall}`), { code, syscall });

type RealHandle = Awaited<ReturnType<typeof open>>;
interface Hooks {
  write?: (real: RealHandle, buffer: Uint8Array, offset: number, length: number) => Promise<{ bytesWritten: number }>;
  datasync?: (real: RealHandle) => Promise<void>;
  truncate?: (real: RealHandle, length: number) => Promise<void>;
}

/** File operations over the real ones, with chosen calls replaced: a disk that fills up, a device that fails. */
function injectedOpen(hooks: Hooks) {
  const opened: string[] = [];
  return {
    opened,
    open: async (path: string, flags: "a") => {
      opened.push(path);
      const real = await open(path, flags);
      return {
        write: (buffer: Uint8Array, offset: number, length: number) => (hooks.write ? hooks.write(real, buffer, offset, length) : real.write(buffer, offset, length)),
        datasync: () => (hooks.datasync ? hooks.datasync(real) : real.datasync()),
        truncate: (length: number) => (hooks.truncate ? hooks.truncate(real, length) : real.truncate(length)),
        close: () => real.close(),
      };
    },
  };
}

/** A write that puts half the bytes on disk and then fails with ENOSPC, the first time only. */
function halfThenFull(): NonNullable<Hooks["write"]> {
  let failed = false;
  return async (real, buffer, offset, length) => {
    if (failed) return real.write(buffer, offset, length);
    failed = true;
    await real.write(buffer, offset, Math.floor(length / 2));
    throw fsError("ENOSPC", "write");
  };
}

describe("JsonlSink", () => {
  it("appends one event per line and rotates by size without splitting a batch", async () => {
    const dir = tempDir();
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false });
    for (let b = 0; b < 6; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files).toContain("events.jsonl");
    const lines = files.filter((f) => f.endsWith(".jsonl")).flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean));
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(Array.from({ length: 18 }, (_, i) => `e${i}`).sort());
  });

  it("cuts a line torn by a crash before appending again", async () => {
    const dir = tempDir();
    appendFileSync(join(dir, "events.jsonl"), `${record(1).payload}\n{"id":"e2","pa`);
    const sink = new JsonlSink({ id: "out", directory: dir });
    await sink.write([record(2)]);
    await sink.close();
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e1", "e2"]);
  });

  it("writes multi-byte text exactly, batch after batch, whatever the size of the batch before", async () => {
    const dir = tempDir();
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false });
    const text = (i: number, n: number): SinkRecord => ({ ...record(i), payload: JSON.stringify({ id: `e${i}`, title: "Überprüfung 🔒 日本語 ".repeat(n) }) });
    const batches = [[text(0, 200), text(1, 3)], [text(2, 1)], [text(3, 50), text(4, 0), text(5, 400)], [record(6)]];
    for (const batch of batches) await sink.write(batch);
    await sink.close();
    const written = readFileSync(join(dir, "events.jsonl"), "utf8");
    expect(written).toBe(batches.flat().map(lineOf).join(""));
  });

  it("writes records that carry their UTF-8 bytes as those bytes, mixed with records that carry text only", async () => {
    const dir = tempDir();
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false });
    expect(sink.takesBytes).toBe(true);
    const text = (i: number, n: number): SinkRecord => ({ ...record(i), payload: JSON.stringify({ id: `e${i}`, title: "Überprüfung 🔒 日本語 ".repeat(n) }) });
    const withBytes = (r: SinkRecord): SinkRecord => ({ ...r, bytes: Buffer.from(r.payload, "utf8") });
    const batches = [[withBytes(text(0, 300)), text(1, 3)], [withBytes(text(2, 0))], [text(3, 50), withBytes(record(4)), withBytes(text(5, 2000))]];
    for (const batch of batches) await sink.write(batch);
    await sink.close();
    expect(readFileSync(join(dir, "events.jsonl"), "utf8")).toBe(batches.flat().map(lineOf).join(""));
  });
});

describe("JsonlSink rotation never replaces a file", () => {
  it("keeps every event when a shipper moves the oldest rotated file away between rotations", async () => {
    const dir = tempDir();
    const shipped = tempDir();
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false });
    for (let b = 0; b < 40; b += 1) {
      await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
      const rotated = rotatedIn(dir);
      if (rotated.length >= 2) {
        const oldest = rotated[0] as string;
        // A name the sink used before would be a file the shipper already has.
        expect(existsSync(join(shipped, oldest)), `${oldest} was produced twice`).toBe(false);
        renameSync(join(dir, oldest), join(shipped, oldest));
      }
    }
    await sink.close();
    const ids = [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(shipped).map((f) => join(shipped, f))].filter((p) => p.endsWith(".jsonl")).flatMap(idsOf);
    expect(ids.sort()).toEqual(Array.from({ length: 120 }, (_, i) => `e${i}`).sort());
  });

  it("numbers rotated files from the highest index present (names parsed, not counted)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "events.000007.jsonl"), lineOf(record(900)));
    writeFileSync(join(dir, "events.000002.jsonl"), lineOf(record(901)));
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false });
    for (let b = 0; b < 4; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    expect(rotatedIn(dir)).toEqual(["events.000002.jsonl", "events.000007.jsonl", "events.000008.jsonl"]);
    expect(idsOf(join(dir, "events.000007.jsonl"))).toEqual(["e900"]);
    expect(idsOf(join(dir, "events.000002.jsonl"))).toEqual(["e901"]);
    expect(idsOf(join(dir, "events.000008.jsonl"))).toEqual(["e0", "e1", "e2", "e3", "e4", "e5"]);
  });

  it("takes the next index when the name it picked appears before the move (EEXIST), replacing nothing", async () => {
    const dir = tempDir();
    let planted = false;
    const { link } = await import("node:fs/promises");
    const sink = new JsonlSink({
      id: "out",
      directory: dir,
      maxFileBytes: 1024,
      fsync: false,
      fileOps: {
        link: async (existing: string, target: string) => {
          if (!planted) {
            planted = true;
            writeFileSync(target, lineOf(record(777)));
          }
          await link(existing, target);
        },
      },
    } as ConstructorParameters<typeof JsonlSink>[0]);
    for (let b = 0; b < 3; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    expect(planted).toBe(true);
    expect(rotatedIn(dir)).toEqual(["events.000001.jsonl", "events.000002.jsonl"]);
    expect(idsOf(join(dir, "events.000001.jsonl"))).toEqual(["e777"]);
    expect(idsOf(join(dir, "events.000002.jsonl"))).toEqual(["e0", "e1", "e2", "e3", "e4", "e5"]);
  });

  it("finishes a rotation a crash interrupted between the new name and the removal of the old one", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "events.jsonl"), lineOf(record(1)));
    linkSync(join(dir, "events.jsonl"), join(dir, "events.000001.jsonl"));
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false });
    await sink.write([record(2)]);
    await sink.close();
    expect(idsOf(join(dir, "events.000001.jsonl"))).toEqual(["e1"]);
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e2"]);
  });
});

describe("JsonlSink rotation names", () => {
  it("stay new after a restart even when every rotated file was moved away meanwhile", async () => {
    const dir = tempDir();
    const rotateOnce = async (sink: JsonlSink, from: number): Promise<void> => {
      for (let b = from; b < from + 3; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
      await sink.close();
    };
    await rotateOnce(new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false }), 0);
    expect(rotatedIn(dir)).toEqual(["events.000001.jsonl"]);
    renameSync(join(dir, "events.000001.jsonl"), join(tempDir(), "events.000001.jsonl"));
    await rotateOnce(new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false }), 3);
    expect(rotatedIn(dir)).toEqual(["events.000002.jsonl"]);
  });

  it("on a file system without hard links, copies without replacing instead", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "events.000001.jsonl"), lineOf(record(500)));
    let linkCalls = 0;
    const sink = new JsonlSink({
      id: "out",
      directory: dir,
      maxFileBytes: 1024,
      fileOps: {
        link: async () => {
          linkCalls += 1;
          throw fsError("EPERM", "link");
        },
      },
    } as ConstructorParameters<typeof JsonlSink>[0]);
    for (let b = 0; b < 3; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    expect(linkCalls).toBe(1);
    expect(idsOf(join(dir, "events.000001.jsonl"))).toEqual(["e500"]);
    expect(idsOf(join(dir, "events.000002.jsonl"))).toEqual(["e0", "e1", "e2", "e3", "e4", "e5"]);
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e6", "e7", "e8"]);
  });

  it("a file name with regex characters in it: its own rotated files only", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "aXb+.000009.jsonl"), "keep\n");
    const sink = new JsonlSink({ id: "out", directory: dir, fileName: "a.b+.jsonl", maxFileBytes: 1024, fsync: false, maxFiles: 1 } as ConstructorParameters<typeof JsonlSink>[0]);
    for (let b = 0; b < 6; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    expect(readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()).toEqual(["a.b+.000002.jsonl", "a.b+.jsonl", "aXb+.000009.jsonl"]);
  });
});

describe("JsonlSink retention", () => {
  it("maxFiles keeps the newest rotated files, never the file being written nor other files", async () => {
    const dir = tempDir();
    const foreign = ["notes.jsonl", "other.000001.jsonl", "events.000001.jsonl.gz", "events.sink-test.jsonl", "events.1.jsonl"];
    for (const name of foreign) writeFileSync(join(dir, name), "keep\n");
    const sink = new JsonlSink({ id: "out", directory: dir, maxFileBytes: 1024, fsync: false, maxFiles: 2 } as ConstructorParameters<typeof JsonlSink>[0]);
    for (let b = 0; b < 20; b += 1) await sink.write([record(b * 3), record(b * 3 + 1), record(b * 3 + 2)]);
    await sink.close();
    const rotated = rotatedIn(dir);
    expect(rotated).toHaveLength(2);
    expect(rotated.map((f) => Number(f.split(".")[1]))).toEqual([8, 9]);
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e54", "e55", "e56", "e57", "e58", "e59"]);
    for (const name of foreign) expect(readFileSync(join(dir, name), "utf8")).toBe("keep\n");
  });

  it("maxAgeDays deletes rotated files last modified before the limit, not the current file, not newer ones", async () => {
    const dir = tempDir();
    const tenDaysAgo = (Date.now() - 10 * 86_400_000) / 1000;
    for (const name of ["events.000001.jsonl", "events.000002.jsonl", "events.000003.jsonl", "events.jsonl", "other.000001.jsonl"]) writeFileSync(join(dir, name), lineOf(record(5)));
    for (const name of ["events.000001.jsonl", "events.000002.jsonl", "events.jsonl", "other.000001.jsonl"]) utimesSync(join(dir, name), tenDaysAgo, tenDaysAgo);
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false, maxAgeDays: 7 } as ConstructorParameters<typeof JsonlSink>[0]);
    await sink.write([record(6)]);
    await sink.close();
    expect(readdirSync(dir).sort()).toEqual(["events.000003.jsonl", "events.jsonl", "other.000001.jsonl"]);
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e5", "e6"]);
  });

  it("the schema takes maxFiles and maxAgeDays and refuses bad values, naming the key", () => {
    const base = { type: "jsonl", directory: "/var/lib/wizbridge/events" };
    expect(jsonlSinkSchema.safeParse({ ...base, maxFiles: 10, maxAgeDays: 0.5 }).success).toBe(true);
    for (const [key, value] of [
      ["maxFiles", 0],
      ["maxFiles", -3],
      ["maxFiles", 2.5],
      ["maxAgeDays", 0],
      ["maxAgeDays", -1],
    ] as const) {
      const result = jsonlSinkSchema.safeParse({ ...base, [key]: value });
      expect(result.success, `${key}: ${value}`).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([key]);
      expect(result.error?.issues[0]?.message).toContain(key);
    }
  });
});

describe("JsonlSink after a failed write", () => {
  it("cuts the torn fragment of an ENOSPC write off before the batch is retried, in the running process", async () => {
    const dir = tempDir();
    const path = join(dir, "events.jsonl");
    // The disk fills up at the second batch: its write lands half the bytes, then ENOSPC.
    let writes = 0;
    const full = halfThenFull();
    const io = injectedOpen({ write: (real, buffer, offset, length) => (++writes === 2 ? full(real, buffer, offset, length) : real.write(buffer, offset, length)) });
    const sink = new JsonlSink({ id: "out", directory: dir, fileOps: { open: io.open } } as ConstructorParameters<typeof JsonlSink>[0]);
    await sink.write([record(1)]);
    await expect(sink.write([record(2)])).rejects.toThrow(/ENOSPC/);
    // Cut back before any retry: the file ends with the last acknowledged line, nothing torn after it.
    expect(readFileSync(path, "utf8")).toBe(lineOf(record(1)));
    await sink.write([record(2)]);
    await sink.close();
    expect(readFileSync(path, "utf8")).toBe(lineOf(record(1)) + lineOf(record(2)));
    expect(io.opened).toHaveLength(1);
  });

  it("cuts the batch off when the fsync fails, and the retry leaves one copy", async () => {
    const dir = tempDir();
    let failures = 0;
    const io = injectedOpen({
      datasync: async (real) => {
        if (failures++ === 1) throw fsError("EIO", "fdatasync");
        await real.datasync();
      },
    });
    const sink = new JsonlSink({ id: "out", directory: dir, fileOps: { open: io.open } } as ConstructorParameters<typeof JsonlSink>[0]);
    await sink.write([record(1), record(2)]);
    await expect(sink.write([record(3), record(4)])).rejects.toThrow(/EIO/);
    expect(readFileSync(join(dir, "events.jsonl"), "utf8")).toBe(lineOf(record(1)) + lineOf(record(2)));
    await sink.write([record(3), record(4)]);
    await sink.close();
    expect(idsOf(join(dir, "events.jsonl"))).toEqual(["e1", "e2", "e3", "e4"]);
  });

  it("when the cut itself fails, closes the file and cuts it back on reopening", async () => {
    const dir = tempDir();
    const io = injectedOpen({
      write: halfThenFull(),
      truncate: async () => {
        throw fsError("EIO", "ftruncate");
      },
    });
    const sink = new JsonlSink({ id: "out", directory: dir, fileOps: { open: io.open } } as ConstructorParameters<typeof JsonlSink>[0]);
    await expect(sink.write([record(1), record(2)])).rejects.toThrow();
    expect(io.opened).toHaveLength(1);
    await sink.write([record(1), record(2)]);
    await sink.close();
    expect(io.opened).toHaveLength(2);
    expect(readFileSync(join(dir, "events.jsonl"), "utf8")).toBe(lineOf(record(1)) + lineOf(record(2)));
  });
});

describe("JsonlSink under concurrent writes", () => {
  it("appends concurrent batches whole, in call order, never interleaved, even with short writes and a failure among them", async () => {
    const dir = tempDir();
    let calls = 0;
    const io = injectedOpen({
      // Short writes that yield between every few bytes: overlapping appends would interleave.
      write: async (real, buffer, offset, length) => {
        await new Promise((r) => setImmediate(r));
        calls += 1;
        if (calls === 40) throw fsError("EIO", "write");
        return real.write(buffer, offset, Math.min(length, 37));
      },
    });
    const sink = new JsonlSink({ id: "out", directory: dir, fsync: false, fileOps: { open: io.open } } as ConstructorParameters<typeof JsonlSink>[0]);
    const batches = Array.from({ length: 12 }, (_, b) => [record(b * 2), record(b * 2 + 1)]);
    const results = await Promise.allSettled(batches.map((batch) => sink.write(batch)));
    await sink.close();
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toHaveLength(1);
    const expected = batches.filter((_, i) => !failed.includes(i)).flat().map(lineOf).join("");
    expect(readFileSync(join(dir, "events.jsonl"), "utf8")).toBe(expected);
  });
});
