import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WalCheckpointer } from "./wal-checkpointer.js";

describe("the WAL checkpoint thread", () => {
  it("reports once when it cannot run, so the store can fall back to SQLite's own checkpoints", async () => {
    const failures: unknown[] = [];
    let reported!: () => void;
    const failed = new Promise<void>((resolve) => (reported = resolve));
    // The directory does not exist: the thread's connection cannot open.
    const missing = join(mkdtempSync(join(tmpdir(), "wizbridge-ckpt-")), "no-such-dir", "store.db");
    const checkpointer = WalCheckpointer.start(missing, {
      onFailure: (error) => {
        failures.push(error);
        reported();
      },
    });
    await failed;
    await checkpointer.stop();
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/directory does not exist|unable to open|SQLITE_CANTOPEN|exited/i);
  });
});
