import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMasterKey, masterKeySource, MASTER_KEY_ENV, writeKeyFileAtomically } from "./master-key.js";
import { SecretBox, SecretBoxError } from "./secret-box.js";

function dataDir(): string {
  return join(mkdtempSync(join(tmpdir(), "wizbridge-key-")), "data");
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("loadMasterKey", () => {
  it("creates <dataDir>/master.key with mode 0600 (directory 0700) and reads the same key back", () => {
    const dir = dataDir();
    const created = loadMasterKey({ dataDir: dir, env: {}, create: true });
    const path = join(dir, "master.key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(created.source).toBe(path);
    const again = loadMasterKey({ dataDir: dir, env: {}, create: false });
    expect(again.keyId).toBe(created.keyId);
    expect(again.open(created.seal("x", "a"), "a")).toBe("x");
    expect(masterKeySource({ dataDir: dir, env: {} })).toEqual({ kind: "file", path, exists: true });
  });

  it("without a key and without create, says where it looked and what to set", () => {
    const dir = dataDir();
    const error = errorOf(() => loadMasterKey({ dataDir: dir, env: {}, create: false }));
    expect(error).toBeInstanceOf(SecretBoxError);
    expect(error.message).toContain(MASTER_KEY_ENV);
    expect(error.message).toContain(join(dir, "master.key"));
    expect(existsSync(join(dir, "master.key"))).toBe(false);
  });

  it("refuses a key file readable by group or others, with the chmod that fixes it", () => {
    const dir = dataDir();
    loadMasterKey({ dataDir: dir, env: {}, create: true });
    const path = join(dir, "master.key");
    chmodSync(path, 0o644);
    const error = errorOf(() => loadMasterKey({ dataDir: dir, env: {}, create: false }));
    expect(error.message).toContain(`chmod 600 ${path}`);
    expect(error.message).toContain("0644");
  });

  it("takes WIZBRIDGE_MASTER_KEY as base64, base64url or hex before any key file, and creates no file", () => {
    const key = Buffer.alloc(32, 7);
    const expected = new SecretBox(key).keyId;
    for (const value of [key.toString("base64"), key.toString("base64url"), key.toString("hex"), ` ${key.toString("hex").toUpperCase()}\n`]) {
      const dir = dataDir();
      const box = loadMasterKey({ dataDir: dir, env: { [MASTER_KEY_ENV]: value }, create: true });
      expect(box.keyId).toBe(expected);
      expect(box.source).toBe(MASTER_KEY_ENV);
      expect(existsSync(join(dir, "master.key"))).toBe(false);
    }
  });

  it("refuses a WIZBRIDGE_MASTER_KEY of the wrong length or alphabet without echoing it", () => {
    const short = Buffer.alloc(16, 9).toString("base64");
    const error = errorOf(() => loadMasterKey({ dataDir: dataDir(), env: { [MASTER_KEY_ENV]: short }, create: true }));
    expect(error.message).toMatch(/WIZBRIDGE_MASTER_KEY: expected a 32-byte master key .* decodes to 16 bytes/);
    expect(error.message).not.toContain(short);
    const junk = "not a key at all!";
    const other = errorOf(() => loadMasterKey({ dataDir: dataDir(), env: { [MASTER_KEY_ENV]: junk }, create: true }));
    expect(other.message).toMatch(/neither hex nor base64/);
    expect(other.message).not.toContain(junk);
  });

  it("writes key files atomically and 0600, replacing the old one", () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-key-"));
    const path = join(dir, "master.key");
    writeFileSync(path, "old\n", { mode: 0o600 });
    writeKeyFileAtomically(path, Buffer.alloc(32, 1));
    expect(readFileSync(path, "utf8").trim()).toBe(Buffer.alloc(32, 1).toString("base64"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
