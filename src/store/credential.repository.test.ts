import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialRepository } from "./credential.repository.js";
import { SecretBox, SecretBoxError } from "./secret-box.js";
import { openStore } from "./store-database.js";

const SENTINEL = "sentinel-credential-3b9e71a4";
const box = (fill: number): SecretBox => new SecretBox(Buffer.alloc(32, fill), { source: `key ${fill}` });

async function storeAt(): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-cred-"));
  return { dir, path: join(dir, "wizbridge.db") };
}

describe("CredentialRepository", () => {
  it("stores sealed secrets: set, get, has, fields, replace, deleteOwner", async () => {
    const store = await openStore(":memory:");
    const creds = new CredentialRepository(store.db, box(1));
    await creds.set("connector:demo", "clientSecret", SENTINEL, 1);
    await creds.set("connector:demo", "webhookToken", "w", 1);
    await creds.set("sink:siem", "token", "t", 1);
    expect(await creds.get("connector:demo", "clientSecret")).toBe(SENTINEL);
    expect(await creds.get("connector:demo", "missing")).toBeUndefined();
    expect(await creds.has("connector:demo", "clientSecret")).toBe(true);
    expect(await creds.has("connector:other", "clientSecret")).toBe(false);
    expect(await creds.fields("connector:demo")).toEqual(["clientSecret", "webhookToken"]);
    await creds.set("connector:demo", "clientSecret", "replaced", 2);
    expect(await creds.get("connector:demo", "clientSecret")).toBe("replaced");
    expect(await creds.deleteOwner("connector:demo")).toBe(2);
    expect(await creds.fields("connector:demo")).toEqual([]);
    expect(await creds.get("sink:siem", "token")).toBe("t");
    await store.close();
  });

  it("never writes a secret in clear into the store file (database and WAL bytes)", async () => {
    const { dir, path } = await storeAt();
    const store = await openStore(path);
    const creds = new CredentialRepository(store.db, box(1));
    await creds.set("connector:demo", "clientSecret", SENTINEL, 1);
    expect(await creds.get("connector:demo", "clientSecret")).toBe(SENTINEL);
    await creds.rotate(box(2), 2);
    await store.close();
    const files = readdirSync(dir);
    expect(files).toContain("wizbridge.db");
    for (const file of files) expect(readFileSync(join(dir, file)).includes(Buffer.from(SENTINEL))).toBe(false);
  });

  it("refuses to open a row moved to another owner (AAD binds owner and field)", async () => {
    const store = await openStore(":memory:");
    const creds = new CredentialRepository(store.db, box(1));
    await creds.set("connector:a", "clientSecret", SENTINEL, 1);
    const db = store.db.withTables<{ credentials: { owner: string; field: string; sealed: string } }>();
    const row = await db.selectFrom("credentials").select("sealed").executeTakeFirstOrThrow();
    await creds.set("connector:b", "clientSecret", "other", 1);
    await db.updateTable("credentials").set({ sealed: row.sealed }).where("owner", "=", "connector:b").execute();
    await expect(creds.get("connector:b", "clientSecret")).rejects.toThrow(/altered, or copied from another owner or field/);
    await store.close();
  });

  it("rotates every secret to the new key in one go, after which only the new key opens them", async () => {
    const store = await openStore(":memory:");
    const old = new CredentialRepository(store.db, box(1));
    const values = Array.from({ length: 25 }, (_, i) => [`connector:c${i}`, i % 2 ? "clientSecret" : "token", `${SENTINEL}-${i}`] as const);
    for (const [owner, field, value] of values) await old.set(owner, field, value, 1);
    expect(await old.countByKey()).toEqual({ [box(1).keyId]: 25 });
    expect(await old.rotate(box(2), 5)).toBe(25);
    const rotated = new CredentialRepository(store.db, box(2));
    for (const [owner, field, value] of values) expect(await rotated.get(owner, field)).toBe(value);
    expect(await rotated.countByKey()).toEqual({ [box(2).keyId]: 25 });
    await expect(old.get("connector:c0", "token")).rejects.toBeInstanceOf(SecretBoxError);
    await store.close();
  });

  it("a rotation whose current key does not open every row changes nothing", async () => {
    const store = await openStore(":memory:");
    await new CredentialRepository(store.db, box(1)).set("connector:a", "clientSecret", "a", 1);
    await new CredentialRepository(store.db, box(3)).set("connector:b", "clientSecret", "b", 1);
    const db = store.db.withTables<{ credentials: { owner: string; sealed: string } }>();
    const before = await db.selectFrom("credentials").select(["owner", "sealed"]).orderBy("owner").execute();
    await expect(new CredentialRepository(store.db, box(1)).rotate(box(2), 2)).rejects.toThrow(/sealed under master key/);
    expect(await db.selectFrom("credentials").select(["owner", "sealed"]).orderBy("owner").execute()).toEqual(before);
    await store.close();
  });
});
