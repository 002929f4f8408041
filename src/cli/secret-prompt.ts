import type { ReadStream } from "node:tty";

/**
 * Asks for a secret on a terminal without echoing it: raw mode, one line, Ctrl+C aborts. Undefined when
 * stdin is not a terminal (the caller then says which flag or env var to use instead).
 */
export function promptSecret(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string | undefined> {
  const tty = input as ReadStream;
  if (!tty.isTTY || typeof tty.setRawMode !== "function") return Promise.resolve(undefined);
  output.write(question);
  tty.setRawMode(true);
  tty.resume();
  tty.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (result: string | undefined, error?: Error): void => {
      tty.off("data", onData);
      tty.setRawMode(false);
      tty.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(result);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(value);
        if (char === "\u0003") return finish(undefined, new Error("cancelled (Ctrl+C)"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    tty.on("data", onData);
  });
}
