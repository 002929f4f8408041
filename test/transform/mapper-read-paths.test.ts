import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { STREAM_NAMES, type StreamName } from "../../src/model/stream-name.js";
import { STREAM_CATALOGUE } from "../../src/sync/streams/stream-catalogue.js";
import { toEcs } from "../../src/transform/ecs/ecs-mapper.js";
import { loadRawSchema } from "../../src/transform/maps/source-paths.js";
import { STREAM_NORMALISERS } from "../../src/transform/normalisers/stream-normaliser.js";
import { toOcsf } from "../../src/transform/ocsf/ocsf-mapper.js";
import { resolveSeverityLadder } from "../../src/transform/severity/severity-ladder.js";
import { recordingReads } from "./raw-read-recorder.js";
import { sampleNodeOf } from "./schema-sample-node.js";

const schema = loadRawSchema();
const context = { portalOrigin: "https://app.wiz.io", ladder: resolveSeverityLadder("wiz") };
const VARIANTS = 12;

/** The stream query's node type and the raw paths it selects (aliases as the raw keys, fragments merged). */
function selectionOf(stream: StreamName): { nodeType: string; selected: Set<string> } {
  const document = parse(STREAM_CATALOGUE[stream].document);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  if (!root || root.kind !== Kind.FIELD || !root.selectionSet) throw new Error(`${stream}: query has no connection field`);
  const connectionType = getNamedType(schema.getQueryType()?.getFields()[root.name.value]?.type);
  const nodesField = isObjectType(connectionType) ? connectionType.getFields().nodes : undefined;
  const nodes = root.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === "nodes");
  if (!nodesField || !nodes || nodes.kind !== Kind.FIELD || !nodes.selectionSet) throw new Error(`${stream}: query selects no nodes`);
  const selected = new Set<string>();
  const walk = (set: SelectionSetNode, prefix: string): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, prefix);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, prefix);
      } else {
        const path = prefix === "" ? (s.alias?.value ?? s.name.value) : `${prefix}.${s.alias?.value ?? s.name.value}`;
        selected.add(path);
        if (s.selectionSet) walk(s.selectionSet, path);
      }
    }
  };
  walk(nodes.selectionSet, "");
  return { nodeType: getNamedType(nodesField.type).name, selected };
}

function fieldType(s: GraphQLSchema, parent: GraphQLNamedType, name: string): GraphQLNamedType | undefined {
  const members = isUnionType(parent) ? parent.getTypes() : isInterfaceType(parent) ? [parent, ...s.getPossibleTypes(parent)] : isObjectType(parent) ? [parent] : [];
  for (const m of members) {
    const field = m.getFields()[name];
    if (field) return getNamedType(field.type);
  }
  return undefined;
}

/**
 * The part of a read path the query must select: the path itself when the schema has it, cut where it enters a
 * JSON scalar (the scalar is selected whole); undefined when the schema has no such field (another shape the
 * mapper also reads, such as a webhook body).
 */
function requiredSelection(nodeType: string, path: string): string | undefined {
  let type: GraphQLNamedType | undefined = schema.getType(nodeType) ?? undefined;
  const segments = path.split(".");
  for (const [i, segment] of segments.entries()) {
    if (!type) return undefined;
    if (isScalarType(type)) return segments.slice(0, i).join(".");
    if (segment === "__typename") return i === segments.length - 1 ? path : undefined;
    type = fieldType(schema, type, segment);
    if (!type) return undefined;
  }
  return path;
}

/** Every raw path the normaliser and the ECS and OCSF mappers read, over schema-complete sample nodes. */
function pathsRead(stream: StreamName, nodeType: string): Set<string> {
  const all = new Set<string>();
  for (let variant = 0; variant < VARIANTS; variant += 1) {
    const { node, paths } = recordingReads(sampleNodeOf(schema, nodeType, variant));
    const record = STREAM_NORMALISERS[stream](node, context);
    toEcs(record, { observedAt: "2026-01-01T00:00:00Z", raw: node });
    // raw_data serialises the whole node: it reads everything, so it gets a plain copy.
    toOcsf(record, { observedAtMs: 0, raw: {} });
    for (const p of paths) all.add(p);
  }
  return all;
}

describe("every raw field a mapper reads is selected by its stream's query", () => {
  for (const stream of STREAM_NAMES) {
    it(stream, () => {
      const { nodeType, selected } = selectionOf(stream);
      const read = pathsRead(stream, nodeType);
      const missing = [...new Set([...read].flatMap((p) => requiredSelection(nodeType, p) ?? []))].filter((p) => p !== "" && !selected.has(p)).sort();
      expect(missing, `${stream}: the normaliser or a mapper reads these fields, but ${STREAM_CATALOGUE[stream].operationName} does not select them`).toEqual([]);
      // The derivation is not vacuous: the mappers read fields the query does select.
      expect([...read].filter((p) => selected.has(p)).length).toBeGreaterThan(3);
    });
  }

  it("notices an unselected field (the check itself)", () => {
    const { nodeType, selected } = selectionOf("vulnerabilityFindings");
    selected.delete("CVEDescription");
    const read = pathsRead("vulnerabilityFindings", nodeType);
    expect(read.has("CVEDescription")).toBe(true);
    expect(selected.has(requiredSelection(nodeType, "CVEDescription") ?? "")).toBe(false);
  });
});
