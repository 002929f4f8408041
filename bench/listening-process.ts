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
 * Starts one of wizbridge's bare `*.main.js` processes (a path relative to `dist/src/`) with the heap cap
 * the wizbridge CLI runs with, and resolves once it prints `listening <url>`.
 */
export async function startListeningProcess(main: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL(`../src/${main}`, import.meta.url));
  const child = spawn(process.execPath, ["--max-old-space-size=1024", "--max-semi-space-size=32", ...childNodeArgs(), script, ...args], { stdio: ["ignore", "pipe", "inherit"], ...(env ? { env } : {}) });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening (\S+)/u.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`${main} exited (${String(code)}) before listening: ${out}`)));
  });
  return { child, url };
}
