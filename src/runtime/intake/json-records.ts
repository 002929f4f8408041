/**
 * Request bodies -> records, safely: JSON (one object or an array of objects) or NDJSON (one per line).
 * JSON.parse never assigns prototypes, but later spreads and copies could, so `__proto__`,
 * `constructor.prototype` and over-deep nesting are refused here, per record, before any adapter
 * sees them. The walk is iterative: a hostile 1 MB `[[[[...` cannot overflow the stack.
 */

export type RecordProblem = { index: number; field: string; error: string };

export interface ParsedRecords {
  /** Good records, in order. */
  records: unknown[];
  /** Records that could not be read, with their index in the request. */
  problems: RecordProblem[];
}

export type BodyFormat = "json" | "ndjson";

/** Checks one parsed record; returns the problem or null. */
export function recordProblemOf(value: unknown, maxDepth: number): { field: string; error: string } | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: "$", depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) return { field: path, error: `nested deeper than ${maxDepth} levels; sensors never send that, so the record is refused` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      const childPath = `${path}.${key}`;
      if (key === "__proto__") return { field: childPath, error: "the key __proto__ is not allowed (prototype pollution guard)" };
      if (key === "constructor" && child !== null && typeof child === "object" && Object.hasOwn(child, "prototype")) {
        return { field: childPath, error: "constructor.prototype is not allowed (prototype pollution guard)" };
      }
      stack.push({ v: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

function jsonErrorText(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\s+/gu, " ").slice(0, 200) : "invalid JSON";
}

function isRecord(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Splits a body into records. A JSON document that is not an object or array of objects, or does not
 * parse at all, throws `BodyFormatError` (the whole request is bad: 400). Bad records inside an array
 * or bad NDJSON lines are problems reported by index; the rest are returned.
 */
export function recordsOfBody(text: string, format: BodyFormat, limits: { maxDepth: number; maxRecords: number }): ParsedRecords {
  const records: unknown[] = [];
  const problems: RecordProblem[] = [];
  const take = (value: unknown, index: number): void => {
    if (!isRecord(value)) {
      problems.push({ index, field: "$", error: `record ${index} is ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}, expected a JSON object` });
      return;
    }
    const problem = recordProblemOf(value, limits.maxDepth);
    if (problem) problems.push({ index, ...problem });
    else records.push(value);
  };
  if (format === "json") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new BodyFormatError(`the body is not valid JSON (${jsonErrorText(error)})`, "Send one JSON object, a JSON array of objects, or NDJSON with Content-Type: application/x-ndjson.");
    }
    if (Array.isArray(doc)) {
      if (doc.length > limits.maxRecords) throw new BodyFormatError(`the array holds ${doc.length} records, more than the limit of ${limits.maxRecords}`, "Split the batch into smaller requests.");
      doc.forEach(take);
    } else if (isRecord(doc)) {
      take(doc, 0);
    } else {
      throw new BodyFormatError(`the body is ${doc === null ? "null" : `a JSON ${typeof doc}`}`, "Send one JSON object or a JSON array of objects.");
    }
    return { records, problems };
  }
  let index = 0;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    if (index >= limits.maxRecords) throw new BodyFormatError(`the body holds more than ${limits.maxRecords} NDJSON lines`, "Split the batch into smaller requests.");
    try {
      take(JSON.parse(line), index);
    } catch (error) {
      problems.push({ index, field: "$", error: `line ${index + 1} is not valid JSON (${jsonErrorText(error)})` });
    }
    index++;
  }
  return { records, problems };
}

/** A request body that cannot be read at all. */
export class BodyFormatError extends Error {
  override readonly name = "BodyFormatError";
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}. ${fix}`);
  }
}
