import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialRepository } from "../store/credential.repository.js";
import { loadMasterKey, writeKeyFileAtomically } from "../store/master-key.js";
import { prepareFileRotation } from "../store/master-key-rotation.js";
import { SecretBox } from "../store/secret-box.js";
import { openStore } from "../store/store-database.js";
import { acquireStoreLock } from "../store/store-lock.js";
import { runKeysRotateCommand, runKeysStatusCommand, type KeysCommandOptions } from "./keys.command.js";
import { saveProfile } from "./profile-file-writer.js";
import { loadConnectionProfile } from "./profile-file.js";

const SENTINEL = "sentinel-rotation-5d7a0e";
const SECRETS = Array.from({ length: 12 }, (_, i) => ({ owner: `connector:c${i % 4}`, field: i % 3 === 0 ? "clientSecret" : `sink${i}`, value: `${SENTINEL}-${i}` }));

interface Layout {
  dataDir: string;
  storePath: string;
  profilePath: string;
  env: NodeJS.ProcessEnv;
}

/** A data dir whose store holds SECRETS, and a profile file (elsewhere, or in the data dir) with two encrypted profiles. */
async function layout(options: { profileInDataDir?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Layout> {
  const root = mkdtempSync(join(tmpdir(), "wizbridge-rotate-"));
  const dataDir = join(root, "data");
  const profileDir = options.profileInDataDir ? dataDir : join(root, "config");
  const env: NodeJS.ProcessEnv = { WIZBRIDGE_CONFIG: join(profileDir, "profiles.yaml"), ...options.env };
  const storePath = join(dataDir, "wizbridge.db");
  const store = await openStore(storePath);
  const creds = new CredentialRepository(store.db, loadMasterKey({ dataDir, env, create: true }));
  for (const s of SECRETS) await creds.set(s.owner, s.field, s.value, 1);
  await store.close();
  const profileBox = loadMasterKey({ dataDir: profileDir, env, create: true });
  saveProfile(env.WIZBRIDGE_CONFIG as string, "default", { clientId: "a", clientSecret: `${SENTINEL}-profile-a`, region: "us17" }, profileBox);
  saveProfile(env.WIZBRIDGE_CONFIG as string, "other", { clientId: "b", clientSecret: `${SENTINEL}-profile-b`, region: "us17" }, profileBox);
  return { dataDir, storePath, profilePath: env.WIZBRIDGE_CONFIG as string, env };
}

async function storedValues(l: Layout, env: NodeJS.ProcessEnv = l.env): Promise<string[]> {
  const store = await openStore(l.storePath);
  try {
    const creds = new CredentialRepository(store.db, loadMasterKey({ dataDir: l.dataDir, env, create: false }));
    const values: string[] = [];
    for (const s of SECRETS) values.push((await creds.get(s.owner, s.field)) as string);
    return values;
  } finally {
    await store.close();
  }
}

function profileValues(l: Layout, env: NodeJS.ProcessEnv = l.env): string[] {
  return ["default", "other"].map((name) => loadConnectionProfile(l.profilePath, name, undefined, { env }).clientSecret as string);
}

async function rotate(l: Layout, env: NodeJS.ProcessEnv = l.env): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const opts: KeysCommandOptions = { dataDir: l.dataDir, json: false };
  const code = await runKeysRotateCommand(opts, { out: { write: (c: string) => (out += c) }, err: { write: (c: string) => (err += c) }, env, now: () => 5 });
  return { code, out, err };
}

/** Every byte of the store files, key files and profile file, to prove a failed rotation changed none. */
function snapshot(l: Layout): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of new Set([l.dataDir, join(l.profilePath, "..")])) {
    for (const name of readdirSync(dir)) if (!name.endsWith("-shm") && !name.endsWith(".lock")) files[join(dir, name)] = readFileSync(join(dir, name)).toString("base64");
  }
  return files;
}

describe("wizbridge keys rotate", () => {
  it("re-encrypts every stored and profile secret under new keys; each reads back, the old keys open nothing", async () => {
    const l = await layout();
    const oldStoreKey = loadMasterKey({ dataDir: l.dataDir, env: l.env, create: false });
    const result = await rotate(l);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/re-encrypted 12 stored secret\(s\) and 0 profile secret\(s\)/);
    expect(result.out).toMatch(/re-encrypted 0 stored secret\(s\) and 2 profile secret\(s\)/);
    expect(result.out + result.err).not.toContain(SENTINEL);
    const newStoreKey = loadMasterKey({ dataDir: l.dataDir, env: l.env, create: false });
    expect(newStoreKey.keyId).not.toBe(oldStoreKey.keyId);
    expect(await storedValues(l)).toEqual(SECRETS.map((s) => s.value));
    expect(profileValues(l)).toEqual([`${SENTINEL}-profile-a`, `${SENTINEL}-profile-b`]);
    expect(readdirSync(l.dataDir).filter((f) => f.startsWith("master.key"))).toEqual(["master.key"]);
    const store = await openStore(l.storePath);
    await expect(new CredentialRepository(store.db, oldStoreKey).get(SECRETS[0]!.owner, SECRETS[0]!.field)).rejects.toThrow(/sealed under master key/);
    await store.close();
  });

  it("rotates one shared key when the profile file sits in the data directory", async () => {
    const l = await layout({ profileInDataDir: true });
    const result = await rotate(l);
    expect(result.code).toBe(0);
    expect(result.out.trim().split("\n")).toHaveLength(1);
    expect(result.out).toMatch(/re-encrypted 12 stored secret\(s\) and 2 profile secret\(s\)/);
    expect(await storedValues(l)).toEqual(SECRETS.map((s) => s.value));
    expect(profileValues(l)).toEqual([`${SENTINEL}-profile-a`, `${SENTINEL}-profile-b`]);
  });

  it("with a wrong current key: a clear error, and nothing changed (store, profile file, key files)", async () => {
    const l = await layout({ profileInDataDir: true });
    writeKeyFileAtomically(join(l.dataDir, "master.key"), Buffer.alloc(32, 42));
    const before = snapshot(l);
    const result = await rotate(l);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/does not open: the stored secret for .* was sealed under master key [0-9a-f]{8}, but the master key from .*master\.key is/);
    expect(result.err).not.toContain(SENTINEL);
    expect(snapshot(l)).toEqual(before);
  });

  it("a rotation interrupted after the store was re-sealed is finished by running it again", async () => {
    const l = await layout();
    // What a crash leaves after the store's transaction and before the key swap.
    const prepared = prepareFileRotation(l.dataDir);
    const store = await openStore(l.storePath);
    await new CredentialRepository(store.db, prepared.opener).rotate(prepared.next, 3);
    await store.close();
    await expect(storedValues(l)).rejects.toThrow(/`wizbridge keys rotate` was interrupted: run it again/);
    let status = "";
    await runKeysStatusCommand({ dataDir: l.dataDir, json: false }, { out: { write: (c: string) => (status += c) }, err: { write: () => true }, env: l.env });
    expect(status).toMatch(/master\.key\.new, .*master\.key\.old left by an interrupted `wizbridge keys rotate`: run it again/);
    expect(status).toMatch(/12 under [0-9a-f]{8}: not the current key/);
    expect((await rotate(l)).code).toBe(0);
    expect(await storedValues(l)).toEqual(SECRETS.map((s) => s.value));
    expect(readdirSync(l.dataDir).filter((f) => f.startsWith("master.key"))).toEqual(["master.key"]);
  });

  it("with WIZBRIDGE_MASTER_KEY set, takes the new key from WIZBRIDGE_NEW_MASTER_KEY and says to update the env var", async () => {
    const oldKey = Buffer.alloc(32, 1).toString("base64");
    const newKey = Buffer.alloc(32, 2).toString("base64");
    const l = await layout({ env: { WIZBRIDGE_MASTER_KEY: oldKey } });
    expect(existsSync(join(l.dataDir, "master.key"))).toBe(false);
    const missing = await rotate(l);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/WIZBRIDGE_NEW_MASTER_KEY, which is not set/);
    const result = await rotate(l, { ...l.env, WIZBRIDGE_NEW_MASTER_KEY: newKey });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/re-encrypted 12 stored secret\(s\) and 2 profile secret\(s\)/);
    expect(result.out).toContain("Now set WIZBRIDGE_MASTER_KEY to the value of WIZBRIDGE_NEW_MASTER_KEY");
    expect(result.out).not.toContain(newKey);
    const updated = { ...l.env, WIZBRIDGE_MASTER_KEY: newKey };
    expect(await storedValues(l, updated)).toEqual(SECRETS.map((s) => s.value));
    expect(profileValues(l, updated)).toEqual([`${SENTINEL}-profile-a`, `${SENTINEL}-profile-b`]);
    await expect(storedValues(l)).rejects.toThrow(/sealed under master key/);
    // Run twice before the env var is updated: harmless.
    expect((await rotate(l, { ...l.env, WIZBRIDGE_NEW_MASTER_KEY: newKey })).code).toBe(0);
    expect(await storedValues(l, updated)).toEqual(SECRETS.map((s) => s.value));
  });

  it("refuses while another process holds the store, naming it, and changes nothing", async () => {
    const l = await layout();
    const lock = acquireStoreLock(l.storePath, "wizbridge start");
    try {
      const before = snapshot(l);
      const result = await rotate(l);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`pid ${process.pid}, \`wizbridge start\``);
      expect(result.err).toMatch(/stop `wizbridge start`, rotate, then start it again/);
      expect(snapshot(l)).toEqual(before);
    } finally {
      lock.release();
    }
  });

  it("says there is nothing to rotate where there is no store and no profile file", async () => {
    const root = mkdtempSync(join(tmpdir(), "wizbridge-rotate-"));
    mkdirSync(join(root, "data"));
    writeFileSync(join(root, "unrelated"), "");
    const result = await rotate({ dataDir: join(root, "data"), storePath: join(root, "data", "wizbridge.db"), profilePath: join(root, "p.yaml"), env: { WIZBRIDGE_CONFIG: join(root, "p.yaml") } });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Nothing to rotate: there is no store at .* and no profile file at/);
    expect(existsSync(join(root, "data", "master.key"))).toBe(false);
  });

  it("keys status names each key's source and id, never the key, and the secrets it seals", async () => {
    const l = await layout();
    let out = "";
    expect(await runKeysStatusCommand({ dataDir: l.dataDir, json: true }, { out: { write: (c: string) => (out += c) }, err: { write: () => true }, env: l.env })).toBe(0);
    const status = JSON.parse(out) as { store: { key: { source: string; keyId: string }; secretsByKey: Record<string, number> }; profiles: { encrypted: number } };
    const key = loadMasterKey({ dataDir: l.dataDir, env: l.env, create: false });
    expect(status.store.key).toMatchObject({ source: join(l.dataDir, "master.key"), keyId: key.keyId });
    expect(status.store.secretsByKey).toEqual({ [key.keyId]: 12 });
    expect(status.profiles.encrypted).toBe(2);
    expect(out).not.toContain(key.exportKey());
    expect(out).not.toContain(readFileSync(join(l.dataDir, "master.key"), "utf8").trim());
    expect(new SecretBox(Buffer.alloc(32)).keyId).toMatch(/^[0-9a-f]{8}$/);
  });
});
