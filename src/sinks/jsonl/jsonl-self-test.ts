import { mkdir, open, readFile, stat, statfs, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { SinkTestStep } from "../sink.js";
import { sinkTestRecord } from "../sink-settings.js";
import type { JsonlFileNames } from "./jsonl-file-names.js";
import { errorText, fsAdviceFor } from "./jsonl-fs-advice.js";

export interface JsonlSelfTestInput {
  sinkId: string;
  directory: string;
  names: JsonlFileNames;
  maxFileBytes: number;
  now: () => number;
}

/**
 * `wizbridge sink test` for a JSONL sink: the directory exists (or is created), a file can be created
 * and removed in it, the free space is reported, and a marked test event is written, fsynced, read back
 * and removed, in `<base>.sink-test.jsonl` (never the file the sink writes). It stops at the first
 * failure that makes the next steps pointless.
 */
export async function runJsonlSelfTest(input: JsonlSelfTestInput): Promise<SinkTestStep[]> {
  const { directory, names } = input;
  const steps: SinkTestStep[] = [];
  const failed = (step: string, doing: string, error: unknown): SinkTestStep => {
    const advice = fsAdviceFor(error, directory);
    return { step, ok: false, detail: `${doing} failed (${advice.code}: ${errorText(error)}): ${advice.cause}`, fix: advice.fix };
  };

  try {
    const created = await mkdir(directory, { recursive: true, mode: 0o700 });
    if (!(await stat(directory)).isDirectory()) throw Object.assign(new Error(`${directory} is not a directory`), { code: "ENOTDIR" });
    steps.push({ step: "directory", ok: true, detail: created === undefined ? `${directory} exists` : `created ${directory}` });
  } catch (error) {
    steps.push(failed("directory", `creating ${directory}`, error));
    return steps;
  }

  const probe = join(directory, `.wizbridge-write-check-${process.pid}-${input.now()}`);
  try {
    const handle = await open(probe, "wx", 0o600);
    try {
      await handle.write("ok\n");
    } finally {
      await handle.close();
    }
    await unlink(probe);
    steps.push({ step: "writable", ok: true, detail: `created and removed a file in ${directory}` });
  } catch (error) {
    await unlink(probe).catch(() => undefined);
    steps.push(failed("writable", `creating a file in ${directory}`, error));
    return steps;
  }

  try {
    const fs = await statfs(directory);
    const free = fs.bavail * fs.bsize;
    const total = fs.blocks * fs.bsize;
    const detail = `${formatBytes(free)} free of ${formatBytes(total)} on the volume holding ${directory}`;
    // Below one file's worth the next rotation may not fit: writes would fail with ENOSPC and wait in the outbox.
    if (free < input.maxFileBytes)
      steps.push({ step: "free space", ok: false, detail: `${detail}, less than maxFileBytes (${formatBytes(input.maxFileBytes)})`, fix: "free space on that volume, set maxFiles / maxAgeDays so old rotated files are deleted, or pick a directory on a larger volume" });
    else steps.push({ step: "free space", ok: true, detail });
  } catch (error) {
    steps.push(failed("free space", `statfs on ${directory}`, error));
  }

  const testFile = join(directory, names.selfTest);
  const test = sinkTestRecord(input.sinkId, input.now());
  try {
    const handle = await open(testFile, "w", 0o600);
    try {
      await handle.write(`${test.payload}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const back = JSON.parse((await readFile(testFile, "utf8")).trim()) as { id?: unknown };
    if (back.id !== test.eventId) throw new Error(`read back ${String(back.id)} instead of ${test.eventId}`);
    await unlink(testFile);
    steps.push({ step: "test event", ok: true, detail: `wrote, fsynced and read back test event ${test.eventId} in ${testFile}, then removed it` });
  } catch (error) {
    await unlink(testFile).catch(() => undefined);
    steps.push(failed("test event", `writing a test event to ${testFile}`, error));
  }
  return steps;
}

function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
