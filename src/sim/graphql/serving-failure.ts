/**
 * Why a field could not be served (a replayed record carrying a value schema/wiz.graphql does not allow,
 * or lacking a non-null field), said the way a GraphQL server in development mode says it: the path,
 * the GraphQL type and the value, plus what to do. A user replaying their own export must learn which
 * record and field to fix, not read "Internal server error".
 */
import { isObjectType, type GraphQLError, type GraphQLSchema } from "graphql";

export interface ServingFailure {
  message: string;
  /** `path` (dotted), `type` (the GraphQL type that refused), `value` (the offending value; null for a missing one). */
  extensions: { path?: string; type?: string; value?: unknown; field?: string };
}

const ENUM_VALUE = /^Enum "(\w+)" cannot represent value: (.*)$/s;
const SCALAR_VALUE = /^(\w+) cannot represent (?:[\w-]+ )*value: (.*)$/s;
const NULL_FIELD = /^Cannot return null for non-nullable field (\w+)\.(\w+)\.?$/;

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fieldType(schema: GraphQLSchema | undefined, typeName: string, fieldName: string): string | undefined {
  const type = schema?.getType(typeName);
  const field = type && isObjectType(type) ? type.getFields()[fieldName] : undefined;
  return field ? String(field.type) : undefined;
}

/** The cause of a resolver or serialisation failure, or undefined when the error carries no serving detail. */
export function servingFailure(error: GraphQLError, schema?: GraphQLSchema): ServingFailure | undefined {
  const path = error.path?.join(".");
  const where = path ? `${path}: ` : "";
  const original = error.originalError?.message ?? error.message;
  const fix = "the record (replayed from --tenant-dir, or generated) carries a value schema/wiz.graphql does not allow; fix the value in the recorded file, or add it to the schema if real Wiz sends it";
  const enumValue = ENUM_VALUE.exec(original);
  if (enumValue) {
    const [, type = "", raw = ""] = enumValue;
    const value = parseValue(raw);
    return { message: `${where}enum ${type} cannot represent value ${raw}; ${fix}.`, extensions: { path, type, value } };
  }
  const nullField = NULL_FIELD.exec(original);
  if (nullField) {
    const [, parent = "", name = ""] = nullField;
    const type = fieldType(schema, parent, name) ?? "non-null";
    const missing = "the record lacks this non-null field (or has null); add it to the recorded file, or make the field nullable in schema/wiz.graphql if real Wiz omits it";
    return { message: `${where}${parent}.${name} (${type}) got null; ${missing}.`, extensions: { path, type, value: null, field: `${parent}.${name}` } };
  }
  const scalarValue = SCALAR_VALUE.exec(original);
  if (scalarValue) {
    const [, type = "", raw = ""] = scalarValue;
    return { message: `${where}${type} cannot represent value ${raw}; ${fix}.`, extensions: { path, type, value: parseValue(raw) } };
  }
  if (!path) return undefined;
  return { message: `${where}${original}`, extensions: { path } };
}

