import { isIP } from "node:net";
import { EcsFlat } from "@elastic/ecs";
import { ELASTIC_WIZ_EXTENSION_FIELDS } from "../../src/transform/ecs/elastic-extension-fields.js";

/**
 * Checks an ECS document against the field definitions the `@elastic/ecs` package ships (EcsFlat), not against
 * our own constants: every field outside `wiz.*` is an ECS field (or one of Elastic's Wiz extension fields),
 * of its type, with an allowed value where ECS lists them, an array where ECS normalises it to one, and event
 * types that ECS expects for the event's categories.
 */
interface FieldDefinition {
  type: string;
  normalize?: string[];
  allowed_values?: Array<{ name: string; expected_event_types?: string[] }>;
}

const FIELDS = EcsFlat as unknown as Record<string, FieldDefinition>;
const STRING_TYPES = new Set(["keyword", "constant_keyword", "wildcard", "text", "match_only_text"]);
const INTEGER_TYPES = new Set(["long", "integer", "short", "byte", "unsigned_long"]);
const NUMBER_TYPES = new Set(["float", "half_float", "scaled_float", "double"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalarProblem(type: string, value: unknown): string | undefined {
  if (STRING_TYPES.has(type)) return typeof value === "string" ? undefined : "not a string";
  if (INTEGER_TYPES.has(type)) return typeof value === "number" && Number.isInteger(value) ? undefined : "not an integer";
  if (NUMBER_TYPES.has(type)) return typeof value === "number" && Number.isFinite(value) ? undefined : "not a number";
  if (type === "boolean") return typeof value === "boolean" ? undefined : "not a boolean";
  if (type === "ip") return typeof value === "string" && isIP(value) !== 0 ? undefined : "not an IP address";
  if (type === "date") return typeof value === "string" && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "not an ISO 8601 date";
  if (type === "object" || type === "flattened") return plainObject(value) ? undefined : "not an object";
  if (type === "geo_point") return plainObject(value) && typeof value.lat === "number" && typeof value.lon === "number" ? undefined : "not a geo_point";
  return undefined;
}

function checkField(path: string, definition: FieldDefinition, value: unknown, problems: string[]): void {
  const isArray = Array.isArray(value);
  if (definition.normalize?.includes("array") && !isArray) problems.push(`${path}: ECS normalises it to an array; got ${JSON.stringify(value)}`);
  const items = isArray ? (value as unknown[]) : [value];
  if (isArray && items.length === 0) problems.push(`${path}: empty array (omit the field)`);
  for (const item of items) {
    const problem = scalarProblem(definition.type, item);
    if (problem) problems.push(`${path}: ${JSON.stringify(item)} is ${problem} (ECS type ${definition.type})`);
    const allowed = definition.allowed_values?.map((a) => a.name);
    if (allowed && !allowed.includes(String(item))) problems.push(`${path}: ${JSON.stringify(item)} is not one of ${allowed.join(", ")}`);
  }
}

function walk(value: Record<string, unknown>, prefix: string, problems: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (path === "wiz") continue;
    if (v === null || v === undefined) {
      problems.push(`${path}: null (omit absent fields)`);
      continue;
    }
    const definition = FIELDS[path] ?? (ELASTIC_WIZ_EXTENSION_FIELDS[path] ? { type: ELASTIC_WIZ_EXTENSION_FIELDS[path] } : undefined);
    if (definition) checkField(path, definition, v, problems);
    else if (plainObject(v)) walk(v, path, problems);
    else problems.push(`${path}: neither an ECS field (EcsFlat) nor one of Elastic's Wiz extension fields`);
  }
}

/** Problems with one ECS document; empty when it conforms to EcsFlat. */
export function ecsProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  walk(doc, "", problems);
  for (const required of ["@timestamp", "ecs.version", "event.kind"]) {
    const value = required.split(".").reduce<unknown>((o, k) => (plainObject(o) ? o[k] : undefined), doc);
    if (value === undefined) problems.push(`${required}: missing`);
  }
  const event = plainObject(doc.event) ? doc.event : {};
  const categories = FIELDS["event.category"]?.allowed_values ?? [];
  const expected = new Set(categories.filter((c) => Array.isArray(event.category) && event.category.includes(c.name)).flatMap((c) => c.expected_event_types ?? []));
  if (Array.isArray(event.type) && Array.isArray(event.category)) {
    for (const t of event.type) if (!expected.has(String(t))) problems.push(`event.type ${String(t)} is not expected for event.category ${JSON.stringify(event.category)}`);
  }
  return problems;
}
