import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { childNodeArgs } from "./listening-process.js";

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
 * The simulator in its own process, started as a user would (`wizbridge sim ... --port 0 --json`, with the
 * bin's heap flag), so the code under measurement never shares its event loop. `args` are the `sim` options.
 */
export async function startSimulatorProcess(
  args: readonly string[],
): Promise<{ info: SimulatorProcessInfo; stop: () => Promise<void>; cpuMicros: () => number | undefined }> {
  const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
  const child = spawn(process.execPath, ["--max-old-space-size=1024", ...childNodeArgs(), cli, "sim", ...args, "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
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
    cpuMicros: () => processCpuMicros(child.pid),
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit").catch(() => undefined);
    },
  };
}

/** User + system CPU a child process has used so far, from /proc (Linux); undefined where there is none. */
function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Calls the simulator's admin API (`/_sim/<path>`). */
export async function simulatorAdmin<T>(info: Pick<SimulatorProcessInfo, "url">, method: "GET" | "DELETE", path: string): Promise<T> {
  const response = await request(`${info.url}/_sim/${path}`, { method });
  return (await response.body.json()) as T;
}
