import type { z } from "zod";
import { CliInputError } from "./cli-input-error.js";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** Objects whose fields are flags by their own names (`--status`, not `--filter-by-status`); other objects' fields carry the object's name. */
const SHORT_NAMED_PARENTS: ReadonlySet<string> = new Set(["filterBy", "patch", "input"]);
type Scalar = string | number | boolean;

/** One CLI flag derived from a field of an operation's zod input. */
export interface OperationFlag {
  /** Flag name without the dashes, kebab-case: `status`, `first`, `patch-note`. */
  name: string;
  /** Where the value goes in the input object: `["filterBy", "status"]`. */
  path: readonly string[];
  kind: "string" | "number" | "integer" | "boolean";
  /** An array field: the flag repeats and takes comma-separated values. */
  multiple: boolean;
  /** Enum values, matched case-insensitively and sent in their canonical spelling. */
  choices?: readonly string[];
  description: string;
}

/** What the flags could not express: fields that only `--input` / `--json-input` can set. */
export interface OperationFlagPlan {
  flags: OperationFlag[];
  jsonOnly: string[];
}

/**
 * Derives flags from the JSON Schema of an operation's input: top-level scalars, enums and scalar arrays
 * become flags, and so do those of top-level objects one level down (`filterBy.status` is `--status`,
 * `orderBy.field` is `--order-by-field`; a name taken already gets the parent's prefix,
 * `--filter-by-region`). Deeper objects stay JSON-only.
 */
export function planOperationFlags(schema: JsonSchema, reserved: ReadonlySet<string>): OperationFlagPlan {
  const root = schema;
  const flags: OperationFlag[] = [];
  const jsonOnly: string[] = [];
  const taken = new Set(reserved);
  const nested: Array<{ parent: string; key: string; node: JsonSchema }> = [];

  for (const [key, raw] of Object.entries(properties(root))) {
    const node = deref(raw, root);
    const field = scalarField(node, root);
    if (field) {
      flags.push(claim(taken, [key], key, field, node, key));
      continue;
    }
    const children = isObjectSchema(node) ? Object.entries(properties(node)) : [];
    if (children.length === 0) {
      jsonOnly.push(key);
      continue;
    }
    for (const [child, childRaw] of children) nested.push({ parent: key, key: child, node: deref(childRaw, root) });
  }
  // Top-level fields claim their names first; nested ones fall back to the parent's prefix.
  for (const { parent, key, node } of nested) {
    const field = scalarField(node, root);
    if (!field) {
      jsonOnly.push(`${parent}.${key}`);
      continue;
    }
    const preferred = SHORT_NAMED_PARENTS.has(parent) ? key : `${parent}-${key}`;
    flags.push(claim(taken, [parent, key], preferred, field, node, `${parent}.${key}`));
  }
  return { flags, jsonOnly };
}

/** Converts one raw flag value (one comma-separated item for arrays) to what the input expects. */
export function parseFlagValue(flag: OperationFlag, raw: string): Scalar {
  const text = raw.trim();
  if (flag.choices) {
    const match = flag.choices.find((choice) => choice.toLowerCase() === text.toLowerCase());
    if (match === undefined) throw new CliInputError(`--${flag.name}: "${text}" is not one of ${flag.choices.join(", ")}.`, `use one of ${flag.choices.join(", ")}.`);
    return match;
  }
  switch (flag.kind) {
    case "integer":
    case "number": {
      const n = Number(text);
      if (text === "" || !Number.isFinite(n) || (flag.kind === "integer" && !Number.isInteger(n))) {
        throw new CliInputError(`--${flag.name}: "${text}" is not ${flag.kind === "integer" ? "a whole number" : "a number"}.`, `give --${flag.name} a ${flag.kind === "integer" ? "whole number" : "number"}.`);
      }
      return n;
    }
    case "boolean": {
      if (/^(true|yes|1)$/i.test(text)) return true;
      if (/^(false|no|0)$/i.test(text)) return false;
      throw new CliInputError(`--${flag.name}: "${text}" is not true or false.`, `write --${flag.name} alone for true, or --${flag.name} false.`);
    }
    default:
      return text;
  }
}

/** Splits and parses the values of one flag occurrence; array flags accept `A,B` as well as repeating the flag. */
export function parseFlagOccurrence(flag: OperationFlag, raw: string | boolean): Scalar[] {
  if (typeof raw === "boolean") return [raw];
  const parts = flag.multiple ? raw.split(",").filter((part) => part.trim() !== "") : [raw];
  return parts.map((part) => parseFlagValue(flag, part));
}

/**
 * Builds the operation input: the JSON object (from --input / --json-input) with the given flags laid
 * over it, so a flag wins over the same field in the file.
 */
export function inputFromFlags(flags: readonly OperationFlag[], values: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const flag of flags) {
    const value = values[optionKey(flag.name)];
    if (value === undefined) continue;
    const occurrences = Array.isArray(value) ? value : [value];
    const parsed = occurrences.flatMap((occurrence: unknown) => {
      if (typeof occurrence === "string" || typeof occurrence === "boolean") return parseFlagOccurrence(flag, occurrence);
      if (typeof occurrence === "number") return [occurrence];
      return [];
    });
    if (parsed.length === 0) continue;
    setAt(input, flag.path, flag.multiple ? parsed : parsed[parsed.length - 1]);
  }
  return input;
}

/** The key commander stores a flag under: `--patch-note` -> `patchNote`. */
export function optionKey(flagName: string): string {
  return flagName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase -> kebab-case: `filterBy` -> `filter-by`, `projectID` -> `project-id`, `listIDs` -> `list-ids`. */
export function kebabCase(name: string): string {
  return name
    .replace(/IDs(?=[A-Z]|$)/g, "Ids")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .toLowerCase();
}

function claim(taken: Set<string>, path: string[], key: string, field: Omit<OperationFlag, "name" | "path" | "description">, node: JsonSchema, label: string): OperationFlag {
  let name = kebabCase(key);
  if (taken.has(name)) name = kebabCase(path.join("-"));
  for (let i = 2; taken.has(name); i += 1) name = `${kebabCase(path.join("-"))}-${i}`;
  taken.add(name);
  return { name, path, ...field, description: describeField(node, field, label) };
}

function describeField(node: JsonSchema, field: Omit<OperationFlag, "name" | "path" | "description">, label: string): string {
  const parts = [typeof node.description === "string" && node.description ? node.description : label];
  if (field.multiple) parts.push("(repeatable or comma-separated)");
  if (node.default !== undefined) parts.push(`(default ${JSON.stringify(node.default)})`);
  return parts.join(" ");
}

/** A flag-able field: a scalar, an enum, or an array of those (also `T | T[]` and nullable forms). */
function scalarField(node: JsonSchema, root: JsonSchema): Omit<OperationFlag, "name" | "path" | "description"> | undefined {
  const variants = (node.anyOf ?? node.oneOf ?? [node]).map((v) => withoutNull(deref(v, root))).filter((v) => v.type !== "null");
  let single: ReturnType<typeof scalarOf>;
  let multiple: ReturnType<typeof scalarOf>;
  for (const variant of variants) {
    if (variant.type === "array") {
      const items = variant.items;
      const scalar = items && typeof items === "object" && !Array.isArray(items) ? scalarOf(deref(items, root)) : undefined;
      if (!scalar) return undefined;
      multiple = scalar;
    } else {
      const scalar = scalarOf(variant);
      if (!scalar) return undefined;
      single = scalar;
    }
  }
  const chosen = multiple ?? single;
  if (!chosen) return undefined;
  return { ...chosen, multiple: multiple !== undefined };
}

function scalarOf(node: JsonSchema): { kind: OperationFlag["kind"]; choices?: readonly string[] } | undefined {
  const values = node.enum ?? (node.const !== undefined ? [node.const] : undefined);
  if (values) {
    if (!values.every((v): v is string => typeof v === "string")) return undefined;
    return { kind: "string", choices: values };
  }
  if (node.type === "string" || node.type === "number" || node.type === "integer" || node.type === "boolean") return { kind: node.type };
  return undefined;
}

/** `type: ["string", "null"]` (a nullable scalar) as plain `type: "string"`: a flag cannot send null. */
function withoutNull(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.type)) return node;
  const types = node.type.filter((t) => t !== "null");
  return types.length === 1 ? { ...node, type: types[0] } : node;
}

function isObjectSchema(node: JsonSchema): boolean {
  return node.type === "object" || (node.type === undefined && node.properties !== undefined);
}

function properties(node: JsonSchema): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(node.properties ?? {})) if (typeof value === "object") out[key] = value;
  return out;
}

/** Follows a local `$ref` (`#/$defs/X`, which zod emits for reused or recursive schemas). */
function deref(node: JsonSchema | boolean, root: JsonSchema): JsonSchema {
  if (typeof node === "boolean") return {};
  const ref = node.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = target && typeof target === "object" ? (target as Record<string, unknown>)[part] : undefined;
  return target && typeof target === "object" ? (target as JsonSchema) : {};
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cursor = target;
  for (const key of path.slice(0, -1)) {
    const next = cursor[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) cursor[key] = {};
    cursor = cursor[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) cursor[last] = value;
}
