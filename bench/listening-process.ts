import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Starts one of wizbridge's bare `*.main.js` processes (a path relative to `dist/src/`) with the heap cap
 * the wizbridge CLI runs with, and resolves once it prints `listening <url>`.
 */
export async function startListeningProcess(main: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL(`../src/${main}`, import.meta.url));
  const child = spawn(process.execPath, ["--max-old-space-size=1024", script, ...args], { stdio: ["ignore", "pipe", "inherit"], ...(env ? { env } : {}) });
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
