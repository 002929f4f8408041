import { createHash } from "node:crypto";

/** Which engine the sink talks to: the same `_bulk` API, a few different mapping types. */
export type SearchFlavor = "elasticsearch" | "opensearch";
/** `raw` (the record as Wiz returned it): searchable as one flattened field, or kept in `_source` only. */
export type StoreRaw = "indexed" | "stored-only";
/** `record`: typed from ECS (for connectors with `profile: ecs`) or left to dynamic mapping. */
export type RecordMappings = "ecs" | "dynamic";

export const TEMPLATE_PRIORITY = 200;

export interface IndexTemplateOptions {
  flavor: SearchFlavor;
  /** "wiz-*": the names the sink writes. */
  indexPattern: string;
  dataStream: boolean;
  storeRaw: StoreRaw;
  recordMappings: RecordMappings;
  sinkId: string;
}

export interface IndexTemplate {
  /** The `PUT _index_template/<name>` body. */
  body: Record<string, unknown>;
  /** Hash of the body (kept in its `_meta`): equal hashes mean the installed template is up to date. */
  hash: string;
  /** Mapped fields (objects and multi-fields included), as the cluster counts them against its field limit. */
  fieldCount: number;
}

type Mapping = Record<string, unknown>;

/** One field of `@elastic/ecs`'s EcsFlat (the parts a mapping needs). */
interface EcsFieldDefinition {
  flat_name: string;
  type: string;
  ignore_above?: number;
  scaling_factor?: number;
  index?: boolean;
  doc_values?: boolean;
  multi_fields?: Array<{ name: string; type: string }>;
}

/** The index template name for a sink: its id, lower case, behind a prefix that says who manages it. */
export function indexTemplateName(sinkId: string): string {
  return `wizbridge-${sinkId.toLowerCase()}`;
}

/**
 * The composable index template for the sink's indices (or data streams): the WizEvent envelope typed,
 * `raw` flattened or stored only, `record` ECS-typed or dynamic.
 */
export async function buildIndexTemplate(options: IndexTemplateOptions): Promise<IndexTemplate> {
  const record: Mapping =
    options.recordMappings === "ecs" ? { type: "object", dynamic: true, properties: ecsProperties(await loadEcsFields(), options.flavor) } : { type: "object", dynamic: true };
  const raw: Mapping =
    options.storeRaw === "stored-only"
      ? { type: "object", enabled: false }
      : options.flavor === "opensearch"
        ? { type: "flat_object" }
        : // Wiz records nest deeper than flattened's default limit of 20; long values would exceed Lucene's term size.
          { type: "flattened", depth_limit: 50, ignore_above: 8191 };
  const keyword = { type: "keyword", ignore_above: 1024 };
  const mappings = {
    dynamic: true,
    properties: {
      "@timestamp": { type: "date" },
      id: keyword,
      source: keyword,
      kind: keyword,
      connector: keyword,
      stream: keyword,
      observedAt: { type: "date" },
      profile: keyword,
      record,
      raw,
    },
  };
  const fieldCount = countFields(mappings.properties);
  // Room for the dynamic fields of `record` beyond what is mapped here (the cluster's default limit is 1000).
  const settings = fieldCount > 500 ? { index: { mapping: { total_fields: { limit: Math.ceil((fieldCount + 1000) / 1000) * 1000 } } } } : undefined;
  const body: Mapping = {
    index_patterns: [options.indexPattern],
    priority: TEMPLATE_PRIORITY,
    template: { ...(settings ? { settings } : {}), mappings },
    ...(options.dataStream ? { data_stream: {} } : {}),
  };
  const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 16);
  body._meta = { managed_by: "wizbridge", sink: options.sinkId, wizbridge_hash: hash };
  return { body, hash, fieldCount };
}

/** EcsFlat from the installed `@elastic/ecs`, loaded only for `setup` (it is a 1.5 MB module). */
export async function loadEcsFields(): Promise<EcsFieldDefinition[]> {
  const { EcsFlat } = await import("@elastic/ecs");
  const fields = Object.values(EcsFlat as unknown as Record<string, unknown>).filter(
    (f): f is EcsFieldDefinition => typeof f === "object" && f !== null && typeof (f as EcsFieldDefinition).flat_name === "string" && typeof (f as EcsFieldDefinition).type === "string",
  );
  if (fields.length < 100) throw new Error(`@elastic/ecs exports ${fields.length} field definitions in EcsFlat; expected the ECS field set (is the package intact?).`);
  return fields;
}

/** ECS flat field definitions as nested mapping properties ("host.ip" -> host: {properties: {ip: {type: ip}}}). */
export function ecsProperties(fields: readonly EcsFieldDefinition[], flavor: SearchFlavor): Record<string, Mapping> {
  const root: Record<string, Mapping> = {};
  // Parents sort before their children ("process.io" < "process.io.bytes_skipped").
  for (const field of [...fields].sort((a, b) => (a.flat_name < b.flat_name ? -1 : a.flat_name > b.flat_name ? 1 : 0))) {
    const path = field.flat_name.split(".");
    let properties = root;
    let blocked = false;
    for (const part of path.slice(0, -1)) {
      const parent: Mapping = (properties[part] ??= { properties: {} });
      const type = parent.type;
      if (type !== undefined && type !== "object" && type !== "nested") {
        blocked = true; // a leaf cannot have children; ECS has none such, a future version might
        break;
      }
      properties = (parent.properties ??= {}) as Record<string, Mapping>;
    }
    if (blocked) continue;
    const name = path[path.length - 1] as string;
    const existing = properties[name];
    properties[name] = { ...fieldMapping(field, flavor), ...(existing?.properties ? { properties: existing.properties } : {}) };
  }
  return root;
}

function fieldMapping(field: EcsFieldDefinition, flavor: SearchFlavor): Mapping {
  const type = flavorType(field.type, flavor);
  const mapping: Mapping = { type };
  if (field.ignore_above !== undefined && (type === "keyword" || (flavor === "elasticsearch" && (type === "wildcard" || type === "flattened")))) mapping.ignore_above = field.ignore_above;
  if (field.scaling_factor !== undefined && type === "scaled_float") mapping.scaling_factor = field.scaling_factor;
  if (field.index === false) mapping.index = false;
  if (field.doc_values === false) mapping.doc_values = false;
  if (field.multi_fields?.length) mapping.fields = Object.fromEntries(field.multi_fields.map((m) => [m.name, { type: flavorType(m.type, flavor) }]));
  return mapping;
}

/**
 * The type to map an ECS field as. constant_keyword becomes keyword on both engines (one index holds
 * records of many datasets: a constant would refuse all but the first value); OpenSearch lacks a few
 * Elasticsearch types (or has them only in recent versions), so it gets the nearest one it has.
 */
function flavorType(type: string, flavor: SearchFlavor): string {
  if (type === "constant_keyword") return "keyword";
  if (flavor === "elasticsearch") return type;
  switch (type) {
    case "flattened":
      return "flat_object";
    case "match_only_text":
      return "text";
    case "wildcard":
      return "keyword";
    default:
      return type;
  }
}

function countFields(properties: Record<string, Mapping>): number {
  let count = 0;
  for (const mapping of Object.values(properties)) {
    count += 1;
    if (mapping.fields) count += Object.keys(mapping.fields as object).length;
    if (mapping.properties) count += countFields(mapping.properties as Record<string, Mapping>);
  }
  return count;
}
