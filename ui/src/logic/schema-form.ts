/**
 * Forms generated from the JSON Schemas the API publishes (an operation's parameters in GET /api/operations):
 * the schema is turned into a list of fields once, the user's inputs into the parameters object, so the form
 * follows the server's own zod schema instead of a hand-written copy.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
};

export type FieldKind = "text" | "number" | "integer" | "boolean" | "choice" | "choices" | "list" | "json" | "group";

export interface FormField {
  /** Dotted path in the parameters object, e.g. `filterBy.severity`. */
  path: string;
  /** The property's own name, shown as the label. */
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** For choice / choices. */
  options?: string[];
  /** For group: the nested fields. */
  fields?: FormField[];
  format?: string;
  placeholder?: string;
}

const MAX_GROUP_DEPTH = 2;

/** The schema without a null branch (`x | null`), which a form field expresses by staying empty. */
function withoutNull(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const rest = branches.filter((b) => b.type !== "null");
  if (rest.length === 1 && rest[0]) return { ...rest[0], ...(schema.description ? { description: schema.description } : {}) };
  return schema;
}

/** Every string value a schema allows when it is a closed set (enum, or a union of constants), else undefined. */
function closedStrings(schema: JsonSchema): string[] | undefined {
  if (schema.enum && schema.enum.every((v) => typeof v === "string")) return schema.enum as string[];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) {
    const all: string[] = [];
    for (const b of branches) {
      const inner = closedStrings(b) ?? (typeof b.const === "string" ? [b.const] : undefined);
      if (!inner) return undefined;
      all.push(...inner);
    }
    return all;
  }
  if (typeof schema.const === "string") return [schema.const];
  return undefined;
}

function fieldOf(name: string, path: string, raw: JsonSchema, required: boolean, depth: number): FormField {
  const schema = withoutNull(raw);
  const base = { name, path, required, ...(schema.description ? { description: schema.description } : {}) };
  const choices = closedStrings(schema);
  if (choices) return { ...base, kind: "choice", options: choices };
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "string") return { ...base, kind: "text", ...(schema.format ? { format: schema.format } : {}), ...(schema.format === "date-time" ? { placeholder: "2026-01-31T00:00:00Z" } : {}) };
  if (type === "integer") return { ...base, kind: "integer" };
  if (type === "number") return { ...base, kind: "number" };
  if (type === "boolean") return { ...base, kind: "boolean" };
  if (type === "array" && schema.items) {
    const items = withoutNull(schema.items);
    const itemChoices = closedStrings(items);
    if (itemChoices) return { ...base, kind: "choices", options: itemChoices };
    if (items.type === "string") return { ...base, kind: "list", placeholder: "comma-separated" };
  }
  if (type === "object" && schema.properties && depth < MAX_GROUP_DEPTH) {
    return { ...base, kind: "group", fields: fieldsOf(schema, path, depth + 1) };
  }
  return { ...base, kind: "json", placeholder: "JSON" };
}

/** The form fields of an object schema (an operation's parameters). */
export function fieldsOf(schema: JsonSchema, prefix = "", depth = 0): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => fieldOf(name, prefix ? `${prefix}.${name}` : name, property, required.has(name), depth));
}

/** What the user typed or picked, by field path. */
export type FormValues = Record<string, string | boolean | string[] | undefined>;

export interface BuiltParameters {
  parameters: Record<string, unknown>;
  /** Per field path, why its value cannot be used (the form shows it beside the field). */
  problems: Record<string, string>;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next && typeof next === "object" && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1] ?? path] = value;
}

/** Copies `source`'s leaves into `target`, keeping what `target` already has beside them. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (value && typeof value === "object" && !Array.isArray(value) && existing && typeof existing === "object" && !Array.isArray(existing)) mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>);
    else target[key] = value;
  }
}

function collect(fields: readonly FormField[], values: FormValues, out: BuiltParameters): void {
  for (const field of fields) {
    if (field.kind === "group") {
      // A nested object's required fields count only once the object is given at all (or is itself required).
      const inner: BuiltParameters = { parameters: {}, problems: {} };
      collect(field.fields ?? [], values, inner);
      const given = Object.keys(inner.parameters).length > 0;
      if (given) mergeInto(out.parameters, inner.parameters);
      if (given || field.required) Object.assign(out.problems, inner.problems);
      continue;
    }
    const value = values[field.path];
    const empty = value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (field.required && field.kind !== "boolean") out.problems[field.path] = "required";
      continue;
    }
    switch (field.kind) {
      case "boolean":
        setPath(out.parameters, field.path, value === true || value === "true");
        break;
      case "number":
      case "integer": {
        const n = Number(value);
        if (!Number.isFinite(n) || (field.kind === "integer" && !Number.isInteger(n))) out.problems[field.path] = `must be ${field.kind === "integer" ? "a whole number" : "a number"}`;
        else setPath(out.parameters, field.path, n);
        break;
      }
      case "choices":
        setPath(out.parameters, field.path, Array.isArray(value) ? value : [String(value)]);
        break;
      case "list":
        setPath(out.parameters, field.path, String(value).split(",").map((s) => s.trim()).filter(Boolean));
        break;
      case "json":
        try {
          setPath(out.parameters, field.path, JSON.parse(String(value)));
        } catch (error) {
          out.problems[field.path] = `not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
        }
        break;
      default:
        setPath(out.parameters, field.path, String(value));
    }
  }
}

/** The parameters object for the API from the form's values; empty optional fields are left out. */
export function buildParameters(fields: readonly FormField[], values: FormValues): BuiltParameters {
  const out: BuiltParameters = { parameters: {}, problems: {} };
  collect(fields, values, out);
  return out;
}
