import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import type { z } from "zod";
import { CANONICAL_RECORD_SCHEMAS, type CanonicalRecordType } from "../../model/canonical/index.js";
import { packageRoot } from "../../version.js";

/** What a source path yields, as far as the schemas tell. */
export type ValueKind = { kind: "string" | "number" | "boolean" | "object" | "unknown" } | { kind: "array"; element: ValueKind };

const UNKNOWN: ValueKind = { kind: "unknown" };

/** The GraphQL type each canonical kind's raw node has (schema/wiz.graphql). */
export const RAW_TYPE_OF_RECORD: Readonly<Record<CanonicalRecordType, string>> = {
  issue: "Issue",
  threat: "Issue",
  vulnerabilityFinding: "VulnerabilityFinding",
  configurationFinding: "ConfigurationFinding",
  asset: "CloudResourceV2",
  detection: "Detection",
  project: "Project",
  repository: "VersionControlResource",
  auditLogEntry: "AuditLogEntry",
};

export function loadRawSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(packageRoot(), "schema", "wiz.graphql"), "utf8"));
}

export function splitPath(path: string): string[] {
  return path.split(".").filter((s) => s !== "");
}

function isIndex(segment: string): boolean {
  return /^\d+$/.test(segment);
}

type ZodDef = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[] };

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

function zodKind(schema: z.ZodType, segments: readonly string[]): ValueKind | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case "nullable":
    case "optional":
    case "default":
    case "readonly":
      return def.innerType ? zodKind(def.innerType, segments) : UNKNOWN;
    case "object": {
      if (segments.length === 0) return { kind: "object" };
      const [head, ...rest] = segments as [string, ...string[]];
      const field = def.shape?.[head];
      return field ? zodKind(field, rest) : undefined;
    }
    case "array": {
      if (!def.element) return UNKNOWN;
      if (segments.length === 0) {
        const element = zodKind(def.element, []);
        return element ? { kind: "array", element } : undefined;
      }
      const [head, ...rest] = segments as [string, ...string[]];
      if (isIndex(head)) return zodKind(def.element, rest);
      const inner = zodKind(def.element, segments);
      return inner ? { kind: "array", element: inner } : undefined;
    }
    case "record":
      if (segments.length === 0) return { kind: "object" };
      return def.valueType ? zodKind(def.valueType, segments.slice(1)) : UNKNOWN;
    case "union": {
      for (const option of def.options ?? []) {
        const kind = zodKind(option, segments);
        if (kind) return kind;
      }
      return undefined;
    }
    case "string":
    case "enum":
      return segments.length === 0 ? { kind: "string" } : undefined;
    case "literal":
      return segments.length === 0 ? { kind: "string" } : undefined;
    case "number":
    case "int":
      return segments.length === 0 ? { kind: "number" } : undefined;
    case "boolean":
      return segments.length === 0 ? { kind: "boolean" } : undefined;
    default:
      return UNKNOWN;
  }
}

/** The kind of a canonical path for one record kind; undefined when the path does not exist there. */
export function canonicalPathKind(recordType: CanonicalRecordType, segments: readonly string[]): ValueKind | undefined {
  return zodKind(CANONICAL_RECORD_SCHEMAS[recordType], segments);
}

function graphqlKind(type: GraphQLOutputType, segments: readonly string[], schema: GraphQLSchema): ValueKind | undefined {
  const t = getNullableType(type);
  if (isListType(t)) {
    const element = t.ofType as GraphQLOutputType;
    if (segments.length === 0) {
      const inner = graphqlKind(element, [], schema);
      return inner ? { kind: "array", element: inner } : undefined;
    }
    const [head, ...rest] = segments as [string, ...string[]];
    if (isIndex(head)) return graphqlKind(element, rest, schema);
    const inner = graphqlKind(element, segments, schema);
    return inner ? { kind: "array", element: inner } : undefined;
  }
  if (isScalarType(t)) {
    if (t.name === "JSON") return UNKNOWN;
    if (segments.length > 0) return undefined;
    if (t.name === "Int" || t.name === "Float") return { kind: "number" };
    if (t.name === "Boolean") return { kind: "boolean" };
    return { kind: "string" };
  }
  if (isEnumType(t)) return segments.length === 0 ? { kind: "string" } : undefined;
  if (segments.length === 0) return { kind: "object" };
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === "__typename") return rest.length === 0 ? { kind: "string" } : undefined;
  const candidates = isUnionType(t) ? t.getTypes() : isObjectType(t) || isInterfaceType(t) ? [t] : [];
  for (const candidate of candidates) {
    const field = candidate.getFields()[head];
    if (field) {
      const kind = graphqlKind(field.type, rest, schema);
      if (kind) return kind;
    }
  }
  // An interface's implementations may add fields (a union member's operatingSystem...).
  if (isInterfaceType(t)) {
    for (const impl of schema.getPossibleTypes(t)) {
      const field = impl.getFields()[head];
      if (field) return graphqlKind(field.type, rest, schema);
    }
  }
  return undefined;
}

/** The kind of a raw Wiz path (after `raw.`) for one record kind, from schema/wiz.graphql. */
export function rawPathKind(schema: GraphQLSchema, recordType: CanonicalRecordType, segments: readonly string[]): ValueKind | undefined {
  const type = schema.getType(RAW_TYPE_OF_RECORD[recordType]);
  if (!type || !isObjectType(type)) return UNKNOWN;
  return graphqlKind(type, segments, schema);
}
