import { once } from "node:events";
import { text } from "node:stream/consumers";

/** A stream the CLI writes to; `isTTY` picks table output and progress lines. */
export interface CliStream {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
  isTTY?: boolean;
}

/** The process edges a command touches, injectable so commands can run inside tests. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  setExitCode(code: number): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: () => text(process.stdin),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** Writes and waits for the stream to drain when it asks to: `--all` output can be far larger than memory allows. */
export async function writeOut(stream: CliStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream as unknown as NodeJS.EventEmitter, "drain");
}
