import type { z } from "zod";
import { operationId, type OperationDefinition } from "./operation-definition.js";
import { WizInputError } from "../wiz-errors.js";

type Issue = z.core.$ZodIssue;

/**
 * Validates (and defaults) an operation's input. Bad input throws a WizInputError naming the field and
 * what is expected, before anything is sent to Wiz.
 */
export function parseOperationInput<D extends OperationDefinition>(definition: D, raw: unknown): z.output<D["input"]> {
  const result = definition.input.safeParse(raw ?? {}, { reportInput: true });
  if (result.success) return result.data as z.output<D["input"]>;
  const issues = result.error.issues.flatMap((issue) => specificIssues(issue, []));
  const described = issues.map((issue) => describeIssue(issue, definition.inputHints ?? {}));
  const [first] = issues;
  const id = operationId(definition);
  throw new WizInputError(
    {
      what: `Invalid input for ${id}: ${described.join("; ")}.`,
      cause: "the input does not match what Wiz accepts for this operation (field names, enum values, id formats and page caps are checked locally).",
      fix: "correct the field named above; nothing was sent to Wiz.",
    },
    { code: "INVALID_INPUT", operationName: id, path: (first && pathText(issuePath(first))) || undefined, mayHaveExecuted: false },
  );
}

// A union (a detections filter given as a list or as {equals}) reports every branch; the deepest
// path says best what went wrong.
function specificIssues(issue: Issue, prefix: readonly PropertyKey[]): Issue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ ...issue, path }];
  const branches = issue.errors.map((branch) => branch.flatMap((inner) => specificIssues(inner, path)));
  const depth = (branch: Issue[]): number => Math.max(0, ...branch.map((i) => i.path.length));
  const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  return best.length > 0 ? best : [{ ...issue, path }];
}

function issuePath(issue: Issue): PropertyKey[] {
  // An unknown key is reported on its parent; name the key itself.
  return issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...issue.path, issue.keys[0] as string] : [...issue.path];
}

function describeIssue(issue: Issue, hints: Readonly<Record<string, string>>): string {
  const where = pathText(issuePath(issue)) || "input";
  if (issue.code === "unrecognized_keys") {
    const hinted = issue.keys.map((key) => hints[pathText([...issue.path, key])]).filter((hint): hint is string => hint !== undefined);
    if (hinted.length > 0) return `${where}: ${hinted.join("; ")}`;
    return `${where}: unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(", ")}` : ""} (Wiz rejects fields its input type does not define)`;
  }
  const got = "input" in issue && issue.input !== undefined ? ` (got ${preview(issue.input)})` : "";
  return `${where}: ${issue.message}${got}`;
}

/** `filterBy.severity[0]` from ["filterBy", "severity", 0]. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

function preview(value: unknown): string {
  // A URL's query may hold a presigned signature; it never goes into an error.
  const shown = typeof value === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value.split("?")[0] : value;
  const text = JSON.stringify(shown) ?? String(shown);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
