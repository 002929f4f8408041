import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// The built CLI, as a user runs it (`npm ci` builds it through the prepare script; `npm test` rebuilds it).
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

function startCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; waitFor: (pattern: RegExp) => Promise<string> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: "warn" } });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const waitFor = async (pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 600; i += 1) {
      const match = pattern.exec(out);
      if (match) return match[0];
      if (child.exitCode !== null) throw new Error(`wizbridge exited with ${child.exitCode}: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern} in: ${out}`);
  };
  return { child, output: () => out, waitFor };
}

describe("wizbridge sim (built CLI)", () => {
  let running: ChildProcessWithoutNullStreams | undefined;
  afterEach(async () => {
    if (running && running.exitCode === null) {
      running.kill("SIGTERM");
      await once(running, "exit");
    }
  });

  it("prints the endpoint, token URL and a ready client id/secret; a token and a GraphQL query return data", async () => {
    const cli = startCli(["sim", "--seed", "1", "--size", "tiny", "--port", "0"]);
    running = cli.child;
    await cli.waitFor(/Press Ctrl\+C to stop\./);
    const text = cli.output();
    const graphqlUrl = /GraphQL endpoint\s+(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(text)?.[1];
    const tokenUrl = /Token URL\s+(http:\/\/127\.0\.0\.1:\d+\/oauth\/token)/.exec(text)?.[1];
    const clientId = /Client ID\s+(\S+)/.exec(text)?.[1];
    const clientSecret = /Client secret\s+(\S+)/.exec(text)?.[1];
    expect({ graphqlUrl, tokenUrl, clientId, clientSecret }).toEqual({ graphqlUrl: expect.any(String), tokenUrl: expect.any(String), clientId: expect.any(String), clientSecret: expect.any(String) });
    const token = (await (
      await fetch(String(tokenUrl), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: String(clientId), client_secret: String(clientSecret), audience: "wiz-api" }),
      })
    ).json()) as { access_token: string };
    const response = await fetch(String(graphqlUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ issues: issuesV2(first: 2) { totalCount nodes { id type status severity } } }" }),
    });
    const body = (await response.json()) as { data: { issues: { totalCount: number; nodes: unknown[] } } };
    expect(body.data.issues.totalCount).toBe(300);
    expect(body.data.issues.nodes).toHaveLength(2);
    running.kill("SIGTERM");
    const [code] = (await once(running, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("`start` runs the main job on the embedded default: simulator tenant, SQLite store, JSONL sink", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "wizbridge-start-"));
    try {
      const cli = startCli(["start", "--data-dir", dataDir, "--http-port", "0"]);
      running = cli.child;
      await cli.waitFor(/Press Ctrl\+C to stop/);
      expect(cli.output()).toMatch(/Wiz simulator\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(cli.output()).toContain(join(dataDir, "wizbridge.db"));
      const events = join(dataDir, "events", "events.jsonl");
      for (let i = 0; i < 600 && !(existsSync(events) && readFileSync(events, "utf8").split("\n").length > 100); i += 1) await new Promise((r) => setTimeout(r, 100));
      const first = JSON.parse(readFileSync(events, "utf8").split("\n")[0] ?? "{}") as Record<string, unknown>;
      expect(first).toMatchObject({ source: "wiz", stream: expect.any(String), raw: expect.any(Object) });
      running.kill("SIGTERM");
      const [code] = (await once(running, "exit")) as [number | null];
      expect(code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("explains a bad option and exits non-zero", async () => {
    const cli = startCli(["sim", "--size", "huge"]);
    running = cli.child;
    const [code] = (await once(cli.child, "exit")) as [number | null];
    expect(code).not.toBe(0);
    expect(cli.output()).toMatch(/--size.*huge.*Allowed choices are tiny, small, medium, large, xl/s);
    const fault = startCli(["sim", "--fault", "meteor", "--port", "0"]);
    running = fault.child;
    const [faultCode] = (await once(fault.child, "exit")) as [number | null];
    expect(faultCode).not.toBe(0);
    expect(fault.output()).toMatch(/Unknown fault "meteor"/);
  });

  it("prints a connector snippet that `sync` runs as printed", async () => {
    const cli = startCli(["sim", "--seed", "1", "--size", "tiny", "--port", "0"]);
    running = cli.child;
    await cli.waitFor(/Press Ctrl\+C to stop\./);
    const text = cli.output();
    const snippet = /Point a connector at it \(wizbridge\.yaml\):\n([\s\S]*?)\nthen: WIZ_CLIENT_SECRET=(\S+)/.exec(text);
    expect(snippet).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-snippet-"));
    try {
      const yaml = (snippet?.[1] ?? "").split("\n").map((l) => l.slice(2)).join("\n").replace("./data/events", join(dir, "events"));
      writeFileSync(join(dir, "wizbridge.yaml"), yaml);
      const sync = spawn(process.execPath, [CLI, "sync", "--config", join(dir, "wizbridge.yaml"), "--stream", "projects", "--log-level", "warn"], { env: { ...process.env, WIZ_CLIENT_SECRET: snippet?.[2] ?? "" } });
      let out = "";
      sync.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
      sync.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
      const [code] = (await once(sync, "exit")) as [number | null];
      expect(out).toMatch(/projects\s+\d+ records/);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a port in use says which option picks another instead of a bare EADDRINUSE", async () => {
    const blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const port = (blocker.address() as AddressInfo).port;
    try {
      const cli = startCli(["sim", "--size", "tiny", "--port", String(port)]);
      running = cli.child;
      const [code] = (await once(cli.child, "exit")) as [number | null];
      expect(code).toBe(1);
      expect(cli.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(cli.output()).toMatch(/pass --port <n>/);
    } finally {
      blocker.close();
    }
  });
});
