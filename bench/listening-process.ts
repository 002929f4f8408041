import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Extra Node flags for the processes a bench starts (the code under measurement), from BENCH_CHILD_NODE_ARGS,
 * e.g. `BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to profile them (NODE_OPTIONS refuses
 * --cpu-prof).
 */
export function childNodeArgs(): string[] {
  return (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(/\s+/u).filter(Boolean);
}

/**
 * Starts a Node script (a bench fake, a bare server) and resolves once it prints `listening <url> ...`:
 * the url and the rest of that line (a fake may print its token there).
 */
export async function startListeningScript(
  script: string,
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<{ child: ChildProcess; url: string; rest: string }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? ["--max-old-space-size=1024"]), ...childNodeArgs(), script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    ...(options.env ? { env: options.env } : {}),
  });
  let out = "";
  const [url, rest] = await new Promise<[string, string]>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening (\S+)([^\n]*)\n?/u.exec(out);
      if (m?.[1]) resolve([m[1], (m[2] ?? "").trim()]);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited (${String(code)}) before listening: ${out}`)));
  });
  return { child, url, rest };
}

/**
 * Starts one of wizbridge's bare `*.main.js` processes (a path relative to `dist/src/`) with the heap flags
 * the wizbridge CLI runs with, and resolves once it prints `listening <url>`.
 */
export async function startListeningProcess(main: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL(`../src/${main}`, import.meta.url));
  const { child, url } = await startListeningScript(script, args, { nodeArgs: ["--max-old-space-size=1024", "--max-semi-space-size=32"], ...(env ? { env } : {}) });
  return { child, url };
}

/** SIGTERM, and resolves once the process has exited (at once when it already has). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}
