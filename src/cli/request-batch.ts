import { CliInputError } from "./cli-input-error.js";
import { describeSyntaxError } from "./json-input.js";

/**
 * The requests of `wizbridge run`'s input, in order, not yet checked: one JSON envelope, a JSON array of
 * them, or NDJSON (one envelope per line). Malformed JSON is refused whole, before anything runs.
 */
export function parseRequestBatch(text: string, source: string): unknown[] {
  if (text.trim() === "") {
    throw new CliInputError(`${source} is empty.`, 'give one request such as {"resource": "issue", "operation": "list", "parameters": {"first": 5}}, a JSON array of them, or one per line.');
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return parseLines(text, source);
  }
  if (Array.isArray(whole)) return whole;
  if (whole !== null && typeof whole === "object") return [whole];
  throw new CliInputError(`${source} holds ${whole === null ? "null" : `a ${typeof whole}`}, not a request.`, "give one request object, a JSON array of them, or one per line (NDJSON).");
}

function parseLines(text: string, source: string): unknown[] {
  const requests: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (const [at, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      requests.push(JSON.parse(line));
    } catch (error) {
      const reason = describeSyntaxError((error as Error).message, line);
      throw new CliInputError(
        `${source} is neither one JSON document nor NDJSON: line ${at + 1} is not valid JSON (${reason}).`,
        "fix that line (each line of NDJSON is one complete request object); nothing was run.",
      );
    }
  }
  return requests;
}
