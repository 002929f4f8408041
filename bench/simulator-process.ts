import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { request } from "undici";

/** What `wizbridge sim --json` prints on its first line. */
export interface SimulatorProcessInfo {
  url: string;
  graphqlUrl: string;
  tokenUrl: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  tenant: Record<string, number>;
}

/**
 * The simulator in its own process, started as a user would (`wizbridge sim ... --port 0 --json`), so the
 * code under measurement never shares its event loop. `args` are the `sim` options.
 */
export async function startSimulatorProcess(args: readonly string[]): Promise<{ info: SimulatorProcessInfo; stop: () => Promise<void> }> {
  const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
  const child = spawn(process.execPath, [cli, "sim", ...args, "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  const info = await new Promise<SimulatorProcessInfo>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line) as SimulatorProcessInfo);
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code} before it was ready`)));
  });
  return {
    info,
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit").catch(() => undefined);
    },
  };
}

/** Calls the simulator's admin API (`/_sim/<path>`). */
export async function simulatorAdmin<T>(info: Pick<SimulatorProcessInfo, "url">, method: "GET" | "DELETE", path: string): Promise<T> {
  const response = await request(`${info.url}/_sim/${path}`, { method });
  return (await response.body.json()) as T;
}
