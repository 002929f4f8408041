import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Checks OCSF events against the OCSF 1.8.0 schema files themselves (../shared/fixtures/ocsf/schema-1.8.0, the
 * released ocsf-schema tree): each class is resolved through its `extends` chain and category, each object
 * through its own chain, attribute types and enums come from dictionary.json, profiles from `$include`. Nothing
 * here is a hand-listed class or attribute.
 */
export const OCSF_SCHEMA_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "ocsf", "schema-1.8.0");

interface AttributeSpec {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, unknown>;
  profile?: string | null;
}
type Constraints = { at_least_one?: string[]; just_one?: string[] };
interface SchemaEntry {
  name: string;
  extends?: string;
  category?: string;
  uid?: number;
  attributes: Record<string, unknown>;
  constraints?: Constraints;
}
export interface ResolvedEntry {
  name: string;
  classUid?: number;
  categoryUid?: number;
  attributes: Record<string, AttributeSpec>;
  constraints?: Constraints;
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(OCSF_SCHEMA_DIR, ...parts), "utf8")) as T;
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFilesUnder(path) : name.endsWith(".json") ? [path] : [];
  });
}

const dictionary = readJson<{ attributes: Record<string, AttributeSpec>; types: { attributes: Record<string, { type?: string }> } }>("dictionary.json");
const categories = readJson<{ attributes: Record<string, { uid: number }> }>("categories.json");
export const OCSF_SCHEMA_VERSION = readJson<{ version: string }>("version.json").version;

const byName = (files: string[]): Map<string, SchemaEntry> => new Map(files.map((f) => JSON.parse(readFileSync(f, "utf8")) as SchemaEntry).map((e) => [e.name, e]));
const EVENTS = byName(jsonFilesUnder(join(OCSF_SCHEMA_DIR, "events")));
const OBJECTS = byName(jsonFilesUnder(join(OCSF_SCHEMA_DIR, "objects")));

/** Merges attribute definitions: the more specific one's keys win, enums add up (a class adds activity ids to base_event's). */
function mergeAttribute(base: AttributeSpec | undefined, over: AttributeSpec): AttributeSpec {
  const merged: AttributeSpec = { ...base, ...over };
  if (base?.enum || over.enum) merged.enum = { ...base?.enum, ...over.enum };
  return merged;
}

/** An entry's own attributes plus what its `$include`d profiles add (tagged with the profile's name). */
function ownAttributes(entry: SchemaEntry): Record<string, AttributeSpec> {
  const out: Record<string, AttributeSpec> = {};
  const { $include, ...attributes } = entry.attributes as { $include?: string[] } & Record<string, AttributeSpec>;
  for (const include of $include ?? []) {
    const profile = readJson<SchemaEntry>(include);
    for (const [name, spec] of Object.entries(profile.attributes as Record<string, AttributeSpec>)) out[name] = { ...spec, profile: profile.name };
  }
  for (const [name, spec] of Object.entries(attributes)) out[name] = mergeAttribute(out[name], spec);
  return out;
}

function resolveChain(entries: Map<string, SchemaEntry>, name: string): Record<string, AttributeSpec> {
  const entry = entries.get(name);
  if (!entry) throw new Error(`OCSF schema: no ${name} in ${OCSF_SCHEMA_DIR}`);
  const inherited = entry.extends ? resolveChain(entries, entry.extends) : {};
  const out = { ...inherited };
  for (const [attr, spec] of Object.entries(ownAttributes(entry))) out[attr] = mergeAttribute(out[attr], spec);
  return out;
}

/** Each attribute completed from the dictionary (type, is_array, enum), the entry's own settings winning. */
function withDictionary(attributes: Record<string, AttributeSpec>): Record<string, AttributeSpec> {
  const out: Record<string, AttributeSpec> = {};
  for (const [name, spec] of Object.entries(attributes)) out[name] = mergeAttribute(dictionary.attributes[name], spec);
  return out;
}

/** The most specific constraints (at_least_one, just_one) along an entry's chain. */
function constraintsOf(entries: Map<string, SchemaEntry>, name: string): Constraints | undefined {
  const entry = entries.get(name);
  if (!entry) return undefined;
  return entry.constraints ?? (entry.extends ? constraintsOf(entries, entry.extends) : undefined);
}

function categoryOf(name: string): string | undefined {
  const entry = EVENTS.get(name);
  if (!entry) return undefined;
  return entry.category ?? (entry.extends ? categoryOf(entry.extends) : undefined);
}

const resolvedObjects = new Map<string, ResolvedEntry>();
function objectEntry(name: string): ResolvedEntry | undefined {
  if (!OBJECTS.has(name)) return undefined;
  let entry = resolvedObjects.get(name);
  if (!entry) {
    entry = { name, attributes: withDictionary(resolveChain(OBJECTS, name)), constraints: constraintsOf(OBJECTS, name) };
    resolvedObjects.set(name, entry);
  }
  return entry;
}

/** Every event class with a uid, by class_uid (category uid * 1000 + class uid). */
const CLASSES = new Map<number, ResolvedEntry>();
for (const entry of EVENTS.values()) {
  const category = categoryOf(entry.name);
  const categoryUid = category ? categories.attributes[category]?.uid : undefined;
  if (entry.uid === undefined || categoryUid === undefined) continue;
  const classUid = categoryUid * 1000 + entry.uid;
  CLASSES.set(classUid, { name: entry.name, classUid, categoryUid, attributes: withDictionary(resolveChain(EVENTS, entry.name)), constraints: constraintsOf(EVENTS, entry.name) });
}

/** The resolved class for a class_uid (for tests that ask what the schema requires). */
export function ocsfClass(classUid: number): ResolvedEntry | undefined {
  return CLASSES.get(classUid);
}

/** A dictionary scalar type down to its base (`port_t` -> `integer_t`, `timestamp_t` -> `long_t`). */
function baseType(type: string): string {
  const parent = dictionary.types.attributes[type]?.type;
  return parent && parent !== type ? baseType(parent) : type;
}

function scalarProblem(type: string, value: unknown): string | undefined {
  const base = baseType(type);
  if (base === "string_t") return typeof value === "string" ? undefined : `not a ${type}`;
  if (base === "integer_t" || base === "long_t") return typeof value === "number" && Number.isInteger(value) ? undefined : `not a ${type}`;
  if (base === "float_t") return typeof value === "number" && Number.isFinite(value) ? undefined : `not a ${type}`;
  if (base === "boolean_t") return typeof value === "boolean" ? undefined : `not a ${type}`;
  return undefined;
}

function checkEntry(entry: ResolvedEntry, value: Record<string, unknown>, path: string, profiles: readonly string[], problems: string[]): void {
  for (const [name, spec] of Object.entries(entry.attributes)) {
    const applies = !spec.profile || profiles.includes(spec.profile);
    if (applies && spec.requirement === "required" && (value[name] === undefined || value[name] === null)) problems.push(`${path}${name}: required attribute missing`);
  }
  const present = (name: string): boolean => value[name] !== undefined && value[name] !== null;
  const atLeastOne = entry.constraints?.at_least_one;
  if (atLeastOne && !atLeastOne.some(present)) problems.push(`${path || "event"}: needs at least one of ${atLeastOne.join(", ")} (${entry.name} constraint)`);
  const justOne = entry.constraints?.just_one;
  if (justOne && justOne.filter(present).length !== 1) problems.push(`${path || "event"}: needs exactly one of ${justOne.join(", ")} (${entry.name} constraint)`);
  for (const [name, v] of Object.entries(value)) {
    const spec = entry.attributes[name];
    if (!spec?.type) {
      problems.push(`${path}${name}: not an attribute of ${entry.name} in OCSF ${OCSF_SCHEMA_VERSION}`);
      continue;
    }
    if (v === null || v === undefined) {
      problems.push(`${path}${name}: null (omit absent attributes)`);
      continue;
    }
    if (spec.is_array && !Array.isArray(v)) {
      problems.push(`${path}${name}: must be an array`);
      continue;
    }
    if (!spec.is_array && Array.isArray(v)) {
      problems.push(`${path}${name}: must not be an array`);
      continue;
    }
    const items = spec.is_array ? (v as unknown[]) : [v];
    for (const [i, item] of items.entries()) {
      const at = spec.is_array ? `${path}${name}[${i}]` : `${path}${name}`;
      if (spec.type === "object" || spec.type === "json_t") continue;
      const object = objectEntry(spec.type);
      if (object) {
        if (typeof item !== "object" || item === null || Array.isArray(item)) problems.push(`${at}: must be a ${spec.type} object`);
        else checkEntry(object, item as Record<string, unknown>, `${at}.`, profiles, problems);
        continue;
      }
      const problem = scalarProblem(spec.type, item);
      if (problem) problems.push(`${at}: ${JSON.stringify(item)} is ${problem}`);
      if (spec.enum && name.endsWith("_id") && !(String(item) in spec.enum)) problems.push(`${at}: ${String(item)} is not one of ${Object.keys(spec.enum).join(", ")}`);
    }
  }
}

/** Problems with one OCSF event against the 1.8.0 schema files; empty when it conforms. */
export function ocsfProblems(event: Record<string, unknown>): string[] {
  const entry = CLASSES.get(Number(event.class_uid));
  if (!entry) return [`class_uid ${String(event.class_uid)} is not an OCSF ${OCSF_SCHEMA_VERSION} class`];
  const metadata = (event.metadata ?? {}) as { version?: unknown; profiles?: unknown };
  const profiles = Array.isArray(metadata.profiles) ? metadata.profiles.map(String) : [];
  const problems: string[] = [];
  checkEntry(entry, event, "", profiles, problems);
  if (event.type_uid !== (entry.classUid ?? 0) * 100 + Number(event.activity_id)) problems.push(`type_uid ${String(event.type_uid)} is not class_uid * 100 + activity_id`);
  if (event.category_uid !== entry.categoryUid) problems.push(`category_uid ${String(event.category_uid)} is not the class's ${String(entry.categoryUid)}`);
  if (metadata.version !== OCSF_SCHEMA_VERSION) problems.push(`metadata.version ${String(metadata.version)} is not ${OCSF_SCHEMA_VERSION}`);
  return problems;
}
