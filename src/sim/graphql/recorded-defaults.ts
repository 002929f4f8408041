/**
 * Defaults for fields a replayed record's nested objects do not carry. A recorded export holds only
 * what its client selected, so a nested object (a CloudEvent's subjectResource, a detection's actor)
 * often lacks a list or JSON field that schema/wiz.graphql declares non-null. Absent (undefined) lists
 * answer [] and absent JSON objects {}; a value the record does carry, null included, is served as it
 * is. Likewise a recorded union or interface value carries `__typename` only if its client selected it:
 * without one, the member is the first whose fields cover every key the value has. Only replayed
 * tenants get these resolvers: generated records always carry every field and every `__typename`.
 */
import {
  getNullableType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLAbstractType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";

type Source = Record<string, unknown> | null | undefined;

function defaulting(fallback: () => unknown): GraphQLFieldResolver<Source, unknown> {
  return (source, _args, _context, info) => {
    const value = source?.[info.fieldName];
    return value === undefined ? fallback() : value;
  };
}

function memberByKeys(schema: GraphQLSchema, type: GraphQLAbstractType): GraphQLTypeResolver<unknown, unknown> {
  const members = schema.getPossibleTypes(type);
  return (value) => {
    const record = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
    if (typeof record.__typename === "string") return record.__typename;
    const keys = Object.keys(record);
    return members.find((member) => keys.every((key) => key in member.getFields()))?.name;
  };
}

/** Sets the defaulting resolver on every non-null list or JSON field that has no resolver of its own, and key-based union typing. */
export function attachRecordedDefaults(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) if (isAbstractType(type) && !type.resolveType) type.resolveType = memberByKeys(schema, type);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__") || type === schema.getQueryType() || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve || !isNonNullType(field.type)) continue;
      const inner = getNullableType(field.type);
      if (isListType(inner)) field.resolve = defaulting(() => []) as GraphQLFieldResolver<unknown, unknown>;
      else if (isScalarType(inner) && inner.name === "JSON") field.resolve = defaulting(() => ({})) as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
