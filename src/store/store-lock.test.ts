import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireStoreLock, StoreLockedError } from "./store-lock.js";

describe("the store lock", () => {
  const storeIn = (): string => join(mkdtempSync(join(tmpdir(), "wizbridge-lock-")), "wizbridge.db");

  it("lets one writer hold a store; a second is refused with the holder's pid and command until the first releases", () => {
    const store = storeIn();
    const first = acquireStoreLock(store, "wizbridge start");
    expect(JSON.parse(readFileSync(`${store}.lock`, "utf8"))).toMatchObject({ pid: process.pid, command: "wizbridge start" });
    let refused: unknown;
    try {
      acquireStoreLock(store, "wizbridge sync");
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StoreLockedError);
    expect((refused as Error).message).toContain(`pid ${process.pid}, \`wizbridge start\``);
    first.release();
    expect(existsSync(`${store}.lock`)).toBe(false);
    acquireStoreLock(store, "wizbridge sync").release();
  });

  it("takes over a lock whose process is gone (kill -9, power loss) and one left half-written", () => {
    const store = storeIn();
    writeFileSync(`${store}.lock`, JSON.stringify({ pid: 999_999_999, command: "wizbridge start", startedAt: "2026-01-01T00:00:00Z" }));
    const lock = acquireStoreLock(store, "wizbridge start", (pid) => pid !== 999_999_999);
    expect(JSON.parse(readFileSync(`${store}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
    writeFileSync(`${store}.lock`, '{"pid": 12');
    acquireStoreLock(store, "wizbridge start").release();
  });
});
