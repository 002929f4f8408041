import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store-database.js";

// The built receiver (npm test builds first; run `npx tsc -p tsconfig.build.json` before this file alone).
const SERVER = fileURLToPath(new URL("../../dist/src/runtime/intake/ingest-server.main.js", import.meta.url));
const TOKEN = "crash-test-token-0123456789";
const falco = readFileSync(new URL("../fixtures/runtime/falco-json-output-read-sensitive-file-k8s.json", import.meta.url), "utf8").trim();

async function startServer(store: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [SERVER, "--store", store, "--token", TOKEN], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      output += c;
      const m = /listening (\S+)/u.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the receiver exited (${String(code)}) before listening: ${output}`)));
  });
  return { child, url };
}

describe("crash: kill -9 the intake receiver while senders post", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("every alert acknowledged with a 2xx before the kill is in the store after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wizbridge-intake-crash-"));
    const storePath = join(dir, "wizbridge.db");
    const server = await startServer(storePath);
    child = server.child;
    const acked: string[] = [];
    let stop = false;
    const body = [falco, falco, falco, falco, falco].join("\n");
    const sender = async (): Promise<void> => {
      while (!stop) {
        try {
          const res = await request(`${server.url}/ingest/falco`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-ndjson" }, body });
          const json = (await res.body.json()) as { ids?: string[] };
          if (res.statusCode === 202 && json.ids) acked.push(...json.ids);
        } catch {
          // the receiver was killed under this request: its alerts may or may not be stored, never acknowledged
          return;
        }
      }
    };
    const senders = Array.from({ length: 16 }, () => sender());
    while (acked.length < 2_000) await new Promise((r) => setTimeout(r, 10));
    server.child.kill("SIGKILL");
    stop = true;
    await Promise.all(senders);
    await new Promise<void>((resolve) => (server.child.exitCode !== null || server.child.signalCode !== null ? resolve() : server.child.once("exit", () => resolve())));
    expect(acked.length).toBeGreaterThanOrEqual(2_000);

    const store = await openStore(storePath);
    try {
      const rows = await store.db.selectFrom("runtime_alerts").select(["id", "state"]).execute();
      const stored = new Set(rows.map((r) => r.id));
      const missing = acked.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // Alerts committed whose answer the kill cut off are kept too (at-least-once): never fewer rows than acks.
      expect(rows.length).toBeGreaterThanOrEqual(acked.length);
      expect(rows.every((r) => r.state === "received")).toBe(true);
    } finally {
      await store.close();
    }

    // A restarted receiver opens the same store and keeps accepting.
    const again = await startServer(storePath);
    child = again.child;
    const res = await request(`${again.url}/ingest/falco`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: falco });
    expect(res.statusCode).toBe(202);
    await res.body.dump();
    again.child.kill("SIGTERM");
  });
});
