import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CredentialRepository } from "../../src/store/credential.repository.js";
import { loadMasterKey, writeKeyFileAtomically } from "../../src/store/master-key.js";
import { openStore } from "../../src/store/store-database.js";

// The built CLI, as a user runs it (`npm test` builds it first).
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
const SENTINEL = "sentinel-keys-e2e-0c61f3";
const STORED = [
  { owner: "connector:prod", field: "clientSecret", value: `${SENTINEL}-client` },
  { owner: "sink:siem", field: "token", value: `${SENTINEL}-hec` },
  { owner: "sink:bus", field: "password", value: `${SENTINEL}-bus` },
];

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, stdin = ""): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

async function readStored(dataDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const store = await openStore(join(dataDir, "wizbridge.db"));
  try {
    const creds = new CredentialRepository(store.db, loadMasterKey({ dataDir, env, create: false }));
    return await Promise.all(STORED.map(async (s) => (await creds.get(s.owner, s.field)) as string));
  } finally {
    await store.close();
  }
}

describe("wizbridge keys and login (built CLI)", () => {
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "wizbridge-keys-e2e-"));
    dataDir = join(root, "state");
    env = { HOME: root, WIZBRIDGE_CONFIG: join(root, "config", "profiles.yaml") };
    // Secrets as the API stores them: sealed under the data dir's master key.
    const store = await openStore(join(dataDir, "wizbridge.db"));
    const creds = new CredentialRepository(store.db, loadMasterKey({ dataDir, env, create: true }));
    for (const s of STORED) await creds.set(s.owner, s.field, s.value, 1);
    await store.close();
  });

  it("login stores the profile's secret encrypted; status, rotate and the profile keep working; no secret or key is printed", async () => {
    const login = await cli(["login", "--profile", "prod", "--client-id", "cid", "--region", "us17", "--client-secret-stdin"], env, `${SENTINEL}-profile\n`);
    expect(login).toMatchObject({ code: 0 });
    expect(login.stdout).toMatch(/Saved profile "prod" to .*profiles\.yaml: clientSecret encrypted with master key [0-9a-f]{8}/);
    const profileText = readFileSync(env.WIZBRIDGE_CONFIG as string, "utf8");
    expect(profileText).not.toContain(SENTINEL);
    expect(statSync(env.WIZBRIDGE_CONFIG as string).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, "config", "master.key")).mode & 0o777).toBe(0o600);

    const status = await cli(["keys", "status", "--data-dir", dataDir], env);
    expect(status.code).toBe(0);
    const storeKey = loadMasterKey({ dataDir, env, create: false });
    expect(status.stdout).toContain(`${join(dataDir, "master.key")} (key id ${storeKey.keyId})`);
    expect(status.stdout).toContain(`3 sealed under ${storeKey.keyId}`);
    expect(status.stdout).toMatch(/Profile file .*profiles\.yaml\n {2}master key {3}.*master\.key \(key id [0-9a-f]{8}\)\n {2}secrets {6}1 sealed under/);

    const rotate = await cli(["keys", "rotate", "--data-dir", dataDir], env);
    expect(rotate).toMatchObject({ code: 0, stderr: "" });
    expect(rotate.stdout).toMatch(new RegExp(`Rotated ${join(dataDir, "master.key")}: key ${storeKey.keyId} -> [0-9a-f]{8}; re-encrypted 3 stored secret\\(s\\) and 0 profile secret\\(s\\)`));
    expect(rotate.stdout).toMatch(/re-encrypted 0 stored secret\(s\) and 1 profile secret\(s\)/);
    expect(await readStored(dataDir, env)).toEqual(STORED.map((s) => s.value));
    expect(readdirSync(dataDir).filter((f) => f.startsWith("master.key"))).toEqual(["master.key"]);
    expect(loadMasterKey({ dataDir, env, create: false }).keyId).not.toBe(storeKey.keyId);

    // The rotated profile still resolves: a connection command gets past settings to the (unreachable) network.
    const used = await cli(["test-connection", "--profile", "prod", "--endpoint", "http://127.0.0.1:9/graphql", "--token-url", "http://127.0.0.1:9/oauth/token", "--allow-non-wiz-hosts", "--feature", "issues"], env);
    expect(used.stderr + used.stdout).not.toMatch(/cannot be decrypted|No Wiz client secret/);
    expect(used.code).toBe(6);

    for (const run of [login, status, rotate, used]) {
      expect(run.stdout + run.stderr).not.toContain(SENTINEL);
      expect(run.stdout + run.stderr).not.toContain(loadMasterKey({ dataDir, env, create: false }).exportKey());
    }
  });

  it("a wrong master key is a clear error (exit 2) and changes nothing; --config finds the data directory", async () => {
    const configPath = join(root, "wizbridge.yaml");
    writeFileSync(
      configPath,
      ["dataDir: ./state", "connectors:", "  - id: prod", "    connection: {clientId: cid, clientSecret: literal, region: us17}", "    sinks: [archive]", "    streams: {issues: {schedule: 5m}}", "sinks:", "  archive: {type: jsonl, directory: ./events}"].join("\n"),
    );
    const good = readFileSync(join(dataDir, "master.key"));
    writeKeyFileAtomically(join(dataDir, "master.key"), Buffer.alloc(32, 3));
    const before = readFileSync(join(dataDir, "wizbridge.db"));
    const wrong = await cli(["keys", "rotate", "--config", configPath], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/was sealed under master key [0-9a-f]{8}, but the master key from .*state\/master\.key is [0-9a-f]{8}/);
    expect(wrong.stderr + wrong.stdout).not.toContain(SENTINEL);
    expect(readFileSync(join(dataDir, "wizbridge.db")).equals(before)).toBe(true);
    expect(readdirSync(dataDir).filter((f) => f.startsWith("master.key"))).toEqual(["master.key"]);

    writeFileSync(join(dataDir, "master.key"), good, { mode: 0o600 });
    const status = await cli(["keys", "status", "--config", configPath, "--json"], env);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { store: { path: string } }).store.path).toBe(join(dataDir, "wizbridge.db"));
    expect((await cli(["keys", "rotate", "--config", configPath], env)).code).toBe(0);
    expect(await readStored(dataDir, env)).toEqual(STORED.map((s) => s.value));
  });
});
