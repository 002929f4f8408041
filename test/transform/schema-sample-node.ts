import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";

/**
 * A node with every field its GraphQL type has, filled from the schema (schema/wiz.graphql): one element per
 * list, every member's fields for unions and interfaces, enums taking their `variant`-th value so that several
 * variants reach the mappers' branches (VIRTUAL_MACHINE, CONTAINER, PASS, FAIL...). Depth-limited: the
 * graph's cycles (issue -> project -> ...) stop at `maxDepth`.
 */
export function sampleNodeOf(schema: GraphQLSchema, typeName: string, variant: number, maxDepth = 5): Record<string, unknown> {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) throw new Error(`schema/wiz.graphql has no object type ${typeName}`);
  return objectValue(schema, [type], variant, maxDepth);
}

function fieldsOf(types: readonly GraphQLObjectType[]): Map<string, GraphQLField<unknown, unknown>> {
  const out = new Map<string, GraphQLField<unknown, unknown>>();
  for (const t of types) for (const [name, field] of Object.entries(t.getFields())) if (!out.has(name)) out.set(name, field);
  return out;
}

function objectValue(schema: GraphQLSchema, types: readonly GraphQLObjectType[], variant: number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { __typename: types[variant % types.length]?.name };
  for (const [name, field] of fieldsOf(types)) {
    const value = valueOf(schema, field.type, name, variant, depth - 1);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function valueOf(schema: GraphQLSchema, type: GraphQLOutputType, name: string, variant: number, depth: number): unknown {
  const t = getNullableType(type);
  if (isListType(t)) {
    const item = valueOf(schema, t.ofType as GraphQLOutputType, name, variant, depth);
    return item === undefined ? undefined : [item];
  }
  if (isScalarType(t)) {
    if (t.name === "Int") return 3;
    if (t.name === "Float") return 1.5;
    if (t.name === "Boolean") return true;
    if (t.name === "DateTime") return "2026-01-02T03:04:05.678901Z";
    if (t.name === "JSON") return { key: "value" };
    if (/ip/i.test(name)) return "192.0.2.10";
    return `${name}-${variant}`;
  }
  if (isEnumType(t)) {
    const values = t.getValues();
    return values[variant % values.length]?.name;
  }
  if (depth <= 0) return undefined;
  const named = getNamedType(t);
  const members = isUnionType(named) ? named.getTypes() : isInterfaceType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
  return members.length > 0 ? objectValue(schema, members, variant, depth) : undefined;
}
