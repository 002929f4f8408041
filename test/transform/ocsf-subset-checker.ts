import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Checks an OCSF event against the flattened OCSF 1.8.0 subset (test/fixtures/ocsf), not against the code's
 * own constants: every required attribute of the class and of each object present, attribute names, scalar
 * types, enum ids, and type_uid = class_uid * 100 + activity_id.
 */
interface SubsetAttribute {
  type: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, string>;
}
interface SubsetEntry {
  class_uid?: number;
  category_uid?: number;
  attributes: Record<string, SubsetAttribute>;
}
interface Subset {
  ocsf_version: string;
  classes: Record<string, SubsetEntry>;
  objects: Record<string, SubsetEntry>;
}

export const OCSF_SUBSET = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "ocsf", "ocsf-1.8.0-findings-inventory-subset.json"), "utf8")) as Subset;

const STRING_TYPES = new Set(["string_t", "url_t", "hostname_t", "ip_t", "email_t", "uuid_t", "datetime_t", "mac_t", "subnet_t", "file_name_t", "file_path_t", "resource_uid_t", "reg_key_path_t", "username_t", "process_name_t", "file_hash_t", "bytestring_t"]);

function checkScalar(type: string, value: unknown): boolean {
  if (STRING_TYPES.has(type)) return typeof value === "string";
  if (type === "integer_t" || type === "long_t" || type === "timestamp_t" || type === "port_t") return typeof value === "number" && Number.isInteger(value);
  if (type === "float_t") return typeof value === "number" && Number.isFinite(value);
  if (type === "boolean_t") return typeof value === "boolean";
  if (type === "json_t") return true;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function checkEntry(entry: SubsetEntry, value: Record<string, unknown>, path: string, problems: string[]): void {
  for (const [name, attribute] of Object.entries(entry.attributes)) {
    if (attribute.requirement === "required" && (value[name] === undefined || value[name] === null)) problems.push(`${path}${name}: required attribute missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const attribute = entry.attributes[name];
    if (!attribute) {
      problems.push(`${path}${name}: not an attribute of this class/object in OCSF 1.8.0`);
      continue;
    }
    if (v === null || v === undefined) {
      problems.push(`${path}${name}: null (omit absent attributes)`);
      continue;
    }
    const items = attribute.is_array ? v : [v];
    if (attribute.is_array && !Array.isArray(v)) {
      problems.push(`${path}${name}: must be an array`);
      continue;
    }
    for (const [i, item] of (items as unknown[]).entries()) {
      const at = attribute.is_array ? `${path}${name}[${i}]` : `${path}${name}`;
      // `object` is OCSF's free-form object (unmapped, data): anything goes inside.
      if (attribute.type === "object") continue;
      const object = OCSF_SUBSET.objects[attribute.type];
      if (attribute.type.endsWith("_t") || !object) {
        if (attribute.type.endsWith("_t") && !checkScalar(attribute.type, item)) problems.push(`${at}: ${JSON.stringify(item)} is not a ${attribute.type}`);
        else if (!attribute.type.endsWith("_t") && (typeof item !== "object" || item === null)) problems.push(`${at}: must be a ${attribute.type} object`);
        if (attribute.enum && name.endsWith("_id") && !(String(item) in attribute.enum)) problems.push(`${at}: ${String(item)} is not one of ${Object.keys(attribute.enum).join(", ")}`);
        continue;
      }
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        problems.push(`${at}: must be a ${attribute.type} object`);
        continue;
      }
      checkEntry(object, item as Record<string, unknown>, `${at}.`, problems);
    }
  }
}

/** Problems with one OCSF event; empty when it conforms to the subset. */
export function ocsfProblems(event: Record<string, unknown>): string[] {
  const entry = Object.values(OCSF_SUBSET.classes).find((c) => c.class_uid === event.class_uid);
  if (!entry) return [`class_uid ${String(event.class_uid)} is not one of the subset's classes`];
  const problems: string[] = [];
  checkEntry(entry, event, "", problems);
  if (event.type_uid !== (entry.class_uid ?? 0) * 100 + Number(event.activity_id)) problems.push(`type_uid ${String(event.type_uid)} is not class_uid * 100 + activity_id`);
  if (event.category_uid !== entry.category_uid) problems.push(`category_uid ${String(event.category_uid)} is not the class's ${String(entry.category_uid)}`);
  const meta = event.metadata as { version?: unknown } | undefined;
  if (meta?.version !== OCSF_SUBSET.ocsf_version) problems.push(`metadata.version ${String(meta?.version)} is not ${OCSF_SUBSET.ocsf_version}`);
  return problems;
}

/** ECS: what every document needs to land in Elastic's security views. */
export function ecsProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const event = doc.event as Record<string, unknown> | undefined;
  if (typeof doc["@timestamp"] !== "string" || Number.isNaN(Date.parse(doc["@timestamp"]))) problems.push("@timestamp missing or not a date");
  if (typeof (doc.ecs as { version?: unknown } | undefined)?.version !== "string") problems.push("ecs.version missing");
  if (!event) return [...problems, "event missing"];
  if (!["alert", "event", "state", "metric", "enrichment", "pipeline_error", "signal", "asset"].includes(String(event.kind))) problems.push(`event.kind ${String(event.kind)} is not an ECS value`);
  const categories = ["api", "authentication", "configuration", "database", "driver", "email", "file", "host", "iam", "intrusion_detection", "library", "malware", "network", "package", "process", "registry", "session", "threat", "vulnerability", "web"];
  const types = ["access", "admin", "allowed", "change", "connection", "creation", "deletion", "denied", "device", "end", "error", "group", "indicator", "info", "installation", "protocol", "start", "user"];
  if (!Array.isArray(event.category) || event.category.length === 0 || !event.category.every((c) => categories.includes(String(c)))) problems.push(`event.category ${JSON.stringify(event.category)} is not ECS`);
  if (!Array.isArray(event.type) || event.type.length === 0 || !event.type.every((t) => types.includes(String(t)))) problems.push(`event.type ${JSON.stringify(event.type)} is not ECS`);
  if (event.severity !== undefined && typeof event.severity !== "number") problems.push("event.severity must be a number");
  if (event.category && (event.category as string[]).includes("vulnerability")) {
    const v = doc.vulnerability as Record<string, unknown> | undefined;
    if (typeof v?.id !== "string") problems.push("vulnerability.id missing");
  }
  return problems;
}
