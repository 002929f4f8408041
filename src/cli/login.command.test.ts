import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConnectionInput } from "./connection-options.js";
import { runLoginCommand, type LoginFlags, type LoginIo } from "./login.command.js";
import { loadConnectionProfile } from "./profile-file.js";

const SENTINEL = "sentinel-login-secret-91c4e2";

function setup(): { dir: string; path: string; env: NodeJS.ProcessEnv } {
  const dir = join(mkdtempSync(join(tmpdir(), "wizbridge-login-")), "wizbridge");
  const path = join(dir, "profiles.yaml");
  return { dir, path, env: { WIZBRIDGE_CONFIG: path } };
}

async function login(flags: LoginFlags, env: NodeJS.ProcessEnv, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: LoginIo = {
    stdout: { write: (chunk: string) => ((out += chunk), true), once: () => undefined },
    stderr: { write: (chunk: string) => ((err += chunk), true), once: () => undefined },
    env,
    readStdin: async () => stdin,
  };
  const code = await runLoginCommand(flags, io);
  return { code, out, err };
}

describe("wizbridge login and encrypted profiles", () => {
  it("writes the profile with its secret encrypted under a master key beside it, both files 0600", async () => {
    const { dir, path, env } = setup();
    const result = await login({ clientId: "cid", region: "us17", clientSecretStdin: true }, env, `${SENTINEL}\n`);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/Saved profile "default" .*clientSecret encrypted with master key [0-9a-f]{8}/);
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(SENTINEL);
    expect(text).toMatch(/clientSecret:\n\s+encrypted: wb1:/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "master.key")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(result.out + result.err).not.toContain(SENTINEL);
    expect(resolveConnectionInput({}, env)).toMatchObject({ clientId: "cid", clientSecret: SENTINEL, region: "us17" });
  });

  it("re-run on a plain-text profile encrypts its secret and keeps its other settings, the other profiles and the comments", async () => {
    const { dir, path, env } = setup();
    const original = `# my tenants\nsim:\n  clientId: sim-id\n  clientSecret: ${SENTINEL}\n  endpoint: http://127.0.0.1:1/graphql # the simulator\n  allowNonWizHosts: true\nprod:\n  clientId: prod-id\n  clientSecret: prod-plain\n  region: us17\n`;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, original, { mode: 0o600 });
    const hints: string[] = [];
    expect(resolveConnectionInput({ profile: "sim" }, env, undefined, (line) => hints.push(line)).clientSecret).toBe(SENTINEL);
    expect(hints).toEqual([`note: profile "sim" in ${path} keeps clientSecret in plain text; run \`wizbridge login --profile sim\` to store it encrypted.`]);
    // A secret given by env var is used instead: no hint about the profile's.
    resolveConnectionInput({ profile: "sim" }, { ...env, WIZ_CLIENT_SECRET: "other" }, undefined, (line) => hints.push(line));
    expect(hints).toHaveLength(1);

    expect((await login({ profile: "sim" }, env)).code).toBe(0);
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(SENTINEL);
    expect(text).toContain("# my tenants");
    expect(text).toContain("# the simulator");
    expect(text).toContain("clientSecret: prod-plain");
    const after: string[] = [];
    expect(resolveConnectionInput({ profile: "sim" }, env, undefined, (line) => after.push(line))).toMatchObject({ clientId: "sim-id", clientSecret: SENTINEL, endpoint: "http://127.0.0.1:1/graphql", allowNonWizHosts: true });
    expect(after).toEqual([]);
    expect(loadConnectionProfile(path, "prod")).toMatchObject({ clientSecret: "prod-plain", region: "us17" });
  });

  it("an encrypted profile without its key, or with another key, is a clear error, never garbage", async () => {
    const { dir, env } = setup();
    expect((await login({ clientId: "cid", region: "us17" }, { ...env, WIZ_CLIENT_SECRET: SENTINEL })).code).toBe(0);
    rmSync(join(dir, "master.key"));
    expect(() => resolveConnectionInput({}, env)).toThrow(/clientSecret of profile "default" .* cannot be decrypted: no master key: WIZBRIDGE_MASTER_KEY is not set and .*master\.key does not exist/);
    const other = Buffer.alloc(32, 5).toString("base64");
    expect(() => resolveConnectionInput({}, { ...env, WIZBRIDGE_MASTER_KEY: other })).toThrow(/sealed under master key [0-9a-f]{8}, but the master key from WIZBRIDGE_MASTER_KEY is/);
    // A flag or env var secret needs no key at all.
    expect(resolveConnectionInput({ clientSecret: "flag" }, env).clientSecret).toBe("flag");
  });

  it("--plaintext keeps the secret in clear; login with no secret anywhere says how to give one", async () => {
    const { path, env } = setup();
    expect((await login({ clientId: "cid", region: "us17", plaintext: true }, { ...env, WIZ_CLIENT_SECRET: SENTINEL })).code).toBe(0);
    expect(readFileSync(path, "utf8")).toContain(`clientSecret: ${SENTINEL}`);
    const missing = await login({ profile: "new", clientId: "x" }, env);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/No client secret for profile "new"[\s\S]*--client-secret-stdin/);
    const noId = await login({ profile: "new" }, { ...env, WIZ_CLIENT_SECRET: SENTINEL });
    expect(noId.code).toBe(2);
    expect(noId.err).toMatch(/No client id/);
    expect(noId.err).not.toContain(SENTINEL);
  });

  it("uses WIZBRIDGE_MASTER_KEY when set, and writes no key file", async () => {
    const { dir, env } = setup();
    const key = Buffer.alloc(32, 9).toString("hex");
    const result = await login({ clientId: "cid", region: "us17" }, { ...env, WIZ_CLIENT_SECRET: SENTINEL, WIZBRIDGE_MASTER_KEY: key });
    expect(result.out).toContain("(WIZBRIDGE_MASTER_KEY)");
    expect(() => statSync(join(dir, "master.key"))).toThrow();
    expect(resolveConnectionInput({}, { ...env, WIZBRIDGE_MASTER_KEY: key }).clientSecret).toBe(SENTINEL);
  });
});
