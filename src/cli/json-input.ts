import { readFile } from "node:fs/promises";
import { CliInputError } from "./cli-input-error.js";
import { locateJsonProblem } from "./json-error-position.js";

/** Where a JSON object came from, for messages: a file, stdin, or the --input flag. */
export interface JsonInputSource {
  /** The flag that named it, e.g. `--json-input`. */
  flag: string;
  /** File path, `-` for stdin, or undefined for inline text. */
  path?: string;
  text: string;
}

/** Reads `--json-input FILE` (or `-` for stdin). Unreadable files are input errors: nothing has been sent yet. */
export async function readJsonInputFile(path: string, readStdin: () => Promise<string>): Promise<JsonInputSource> {
  if (path === "-") return { flag: "--json-input", path: "-", text: await readStdin() };
  try {
    return { flag: "--json-input", path, text: await readFile(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new CliInputError(`--json-input ${path} cannot be read: ${reason}.`, "give the path of a JSON file holding the operation's input, or - to read it from stdin.");
  }
}

/** Parses the text as a JSON object; a syntax error names the source and the line and column. */
export function parseJsonObject(source: JsonInputSource): Record<string, unknown> {
  const where = source.path === undefined ? source.flag : source.path === "-" ? `${source.flag} - (stdin)` : `${source.flag} ${source.path}`;
  let value: unknown;
  try {
    value = JSON.parse(source.text);
  } catch (error) {
    throw new CliInputError(`${where} is not valid JSON: ${describeSyntaxError((error as Error).message, source.text)}.`, "fix the JSON at that line and column; nothing was sent to Wiz.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliInputError(`${where} holds ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}, not a JSON object.`, 'give an object of the operation\'s input fields, e.g. {"filterBy": {"status": ["OPEN"]}}.');
  }
  return value as Record<string, unknown>;
}

/** The reason and the line and column of the first error (Node 20's own message often has no position). */
export function describeSyntaxError(message: string, text: string): string {
  if (text.trim() === "") return "the input is empty";
  const problem = locateJsonProblem(text);
  if (!problem) return message;
  const before = text.slice(0, problem.offset);
  const line = before.split("\n").length;
  const column = problem.offset - before.lastIndexOf("\n");
  return `${problem.reason} at line ${line}, column ${column}`;
}
