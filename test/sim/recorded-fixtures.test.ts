import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  execute,
  getNamedType,
  isAbstractType,
  isObjectType,
  parse,
  validate,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { buildWizSchema } from "../../src/sim/graphql/schema.js";

// Copied from the shared fixtures (provenance in test/fixtures/runtime/SOURCES.md) so a fresh clone has them.
const FIXTURES = join(import.meta.dirname, "../fixtures/runtime");
const RESPONSE_FIXTURES = ["wiz-request-security-scan-upload-response-example.json", "wiz-systemactivity-upload-status-example.json"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The concrete type of an abstract field's value: the one whose fields cover every key the record has. */
function concreteType(schema: GraphQLSchema, type: GraphQLCompositeType, value: Record<string, Json>): GraphQLObjectType {
  if (isObjectType(type)) return type;
  if (!isAbstractType(type)) throw new Error(`not a composite type: ${String(type)}`);
  const candidates = schema.getPossibleTypes(type).filter((t) => Object.keys(value).every((k) => k === "__typename" || k in t.getFields()));
  if (candidates.length === 0) throw new Error(`no member of ${type.name} has the fields ${Object.keys(value).join(", ")}`);
  return candidates[0] as GraphQLObjectType;
}

/** Builds the selection set a client would send to get exactly this recorded value, typing unions by their keys. */
function selectionFor(schema: GraphQLSchema, type: GraphQLCompositeType, value: Json, typed: Map<object, string>): string {
  const record = (Array.isArray(value) ? value[0] : value) as Record<string, Json> | undefined;
  if (!record) return "__typename";
  const object = concreteType(schema, type, record);
  typed.set(record, object.name);
  const fields = Object.entries(record).map(([key, child]) => {
    const field = object.getFields()[key];
    if (!field) throw new Error(`${object.name} has no field ${key} (the recorded payload names it)`);
    const named = getNamedType(field.type);
    if (child === null || (!isObjectType(named) && !isAbstractType(named))) return key;
    return `${key} { ${selectionFor(schema, named as GraphQLCompositeType, child, typed)} }`;
  });
  return object === type ? fields.join(" ") : `... on ${object.name} { ${fields.join(" ")} }`;
}

function withTypenames(value: Json, typed: Map<object, string>): Json {
  if (Array.isArray(value)) return value.map((v) => withTypenames(v, typed));
  if (value && typeof value === "object") {
    const copy: Record<string, Json> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTypenames(v, typed)]));
    const name = typed.get(value);
    if (name) copy.__typename = name;
    return copy;
  }
  return value;
}

describe("recorded Wiz responses in shared/fixtures parse under schema/wiz.graphql", () => {
  const schema = buildWizSchema();
  for (const file of RESPONSE_FIXTURES) {
    it(file, async () => {
      const recorded = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as { data: Record<string, Json> };
      const [root, value] = Object.entries(recorded.data)[0] as [string, Json];
      const field = schema.getQueryType()?.getFields()[root];
      expect(field, `Query.${root}`).toBeDefined();
      const typed = new Map<object, string>();
      const args = field?.args.filter((a) => String(a.type).endsWith("!")).map((a) => `${a.name}: "x"`) ?? [];
      const document = parse(`query { ${root}${args.length ? `(${args.join(", ")})` : ""} { ${selectionFor(schema, getNamedType(field?.type) as GraphQLCompositeType, value, typed)} } }`);
      expect(validate(schema, document)).toEqual([]);
      // Executing against the recorded value re-serialises it through every type, enum and scalar of the schema.
      const result = await execute({ schema, document, rootValue: { [root]: withTypenames(value, typed) } });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual(recorded.data);
    });
  }
});
