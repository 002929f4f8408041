import { spawn } from "node:child_process";
import type { ActionConfig } from "./action-config.js";
import type { ActionInput, ActionOutcome, ResponseAction } from "./response-action.js";

const OUTPUT_TAIL = 2000;

/** Keeps the last `limit` characters of a stream. */
function tail(limit: number): { push(chunk: string): void; text(): string } {
  let kept = "";
  return {
    push(chunk) {
      kept = (kept + chunk).slice(-limit);
    },
    text: () => kept.trim(),
  };
}

/**
 * Runs a program (no shell) with the detection JSON on stdin. Exit 0 is success; another exit, a signal
 * or the timeout is a failure naming it with the end of stderr. The child sees only PATH, HOME, LANG,
 * the action's own `env` and WIZBRIDGE_* facts about the detection: wizbridge's credentials stay out.
 */
export function commandAction(name: string, config: Extract<ActionConfig, { type: "command" }>, baseEnv: NodeJS.ProcessEnv = process.env): ResponseAction {
  const [program, ...args] = config.command as [string, ...string[]];
  return {
    name,
    type: "command",
    describe: `command ${config.command.join(" ")}`,
    run: (input: ActionInput) =>
      new Promise<ActionOutcome>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = {
          ...(baseEnv.PATH ? { PATH: baseEnv.PATH } : {}),
          ...(baseEnv.HOME ? { HOME: baseEnv.HOME } : {}),
          ...(baseEnv.LANG ? { LANG: baseEnv.LANG } : {}),
          ...config.env,
          WIZBRIDGE_DETECTION_ID: input.detection.id,
          WIZBRIDGE_CLOUD_PLATFORM: input.platform,
          WIZBRIDGE_ROUTE: input.route,
        };
        const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"], ...(config.cwd ? { cwd: config.cwd } : {}) });
        const stdout = tail(OUTPUT_TAIL);
        const stderr = tail(OUTPUT_TAIL);
        child.stdout.setEncoding("utf8").on("data", stdout.push);
        child.stderr.setEncoding("utf8").on("data", stderr.push);
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        }, config.timeoutSeconds * 1000);
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(new Error(`action ${name}: cannot run ${program} (${(error as NodeJS.ErrnoException).code ?? error.message}); check the command path and that it is executable.`, { cause: error }));
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          const errText = stderr.text();
          if (timedOut) reject(new Error(`action ${name}: ${program} did not finish within ${config.timeoutSeconds} s and was stopped; raise timeoutSeconds or make the action return sooner.${errText ? ` stderr: ${errText}` : ""}`));
          else if (code === 0) resolve({ result: "exit 0", ...(stdout.text() ? { output: stdout.text() } : {}) });
          else reject(new Error(`action ${name}: ${program} ${signal ? `was killed by ${signal}` : `exited with ${code}`}${errText ? `; stderr: ${errText}` : ""}.`));
        });
        // A program that does not read stdin closes it early: that is not the action's failure.
        child.stdin.on("error", () => undefined);
        child.stdin.end(`${JSON.stringify({ ...input.detection, wizbridge: { platform: input.platform, route: input.route, action: name } })}\n`);
      }),
  };
}
