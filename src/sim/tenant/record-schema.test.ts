import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { generateTenant } from "./generate-tenant.js";
import type { Collection, WizRecord } from "./types.js";

const SCHEMA_PATH = fileURLToPath(new URL("../../../schema/wiz.graphql", import.meta.url));
const NOW = Date.parse("2026-01-01T00:00:00.000Z");

/** Problems of a record against a schema type: missing or null non-null fields, bad enum values, untyped union members. */
function problemsOf(schema: GraphQLSchema, value: unknown, type: GraphQLOutputType, path: string, out: Set<string>, depth = 0): void {
  if (depth > 8) return;
  let t = type;
  if (isNonNullType(t)) {
    if (value === null || value === undefined) {
      out.add(`null non-null ${path}`);
      return;
    }
    t = t.ofType;
  }
  if (value === null || value === undefined) return;
  if (isListType(t)) {
    if (!Array.isArray(value)) out.add(`not a list ${path}`);
    else for (const item of value.slice(0, 3)) problemsOf(schema, item, t.ofType as GraphQLOutputType, `${path}[]`, out, depth);
    return;
  }
  let named = t as GraphQLNamedType;
  if (isScalarType(named)) {
    if (named.name === "DateTime" && typeof value !== "string") out.add(`non-string DateTime ${path}`);
    if (named.name !== "JSON" && typeof value === "object") out.add(`object for ${named.name} ${path}`);
    return;
  }
  if (isEnumType(named)) {
    if (!named.getValues().some((v) => v.name === value)) out.add(`bad ${named.name} value ${String(value)} at ${path}`);
    return;
  }
  if (isAbstractType(named)) {
    const typename = (value as WizRecord).__typename;
    const member = typeof typename === "string" ? schema.getType(typename) : undefined;
    if (!member) {
      out.add(`no valid __typename for ${named.name} at ${path}`);
      return;
    }
    named = member;
  }
  if (!isObjectType(named)) return;
  const record = value as WizRecord;
  for (const [name, field] of Object.entries(named.getFields())) {
    // Fields with arguments (connections, analytics) are the GraphQL layer's to resolve.
    if (field.args.length > 0) continue;
    if (!(name in record)) out.add(`missing ${named.name}.${name}`);
    else problemsOf(schema, record[name], field.type, `${named.name}.${name}`, out, depth + 1);
  }
}

describe.skipIf(!existsSync(SCHEMA_PATH))("records against schema/wiz.graphql", () => {
  it("have every field of their GraphQL type, with valid enums and typed union members", () => {
    const schema = buildSchema(readFileSync(SCHEMA_PATH, "utf8"));
    const tenant = generateTenant({ seed: 2, size: "tiny", now: NOW });
    tenant.simulateActivity(NOW + 10 * 3_600_000, NOW, 30);
    tenant.raiseThreatIssue({ resourceIndex: 40, severity: "HIGH", name: "Uploaded event", origin: "WIZ_CUSTOM_INTEGRATION", details: { eventId: "1" } }, NOW + 11 * 3_600_000);
    const types: Array<[string, Collection<WizRecord, unknown>]> = [
      ["Issue", tenant.issues],
      ["VulnerabilityFinding", tenant.vulnerabilityFindings],
      ["ConfigurationFinding", tenant.configurationFindings],
      ["Detection", tenant.detections],
      ["CloudResource", tenant.cloudResources],
      ["CloudResourceV2", tenant.cloudResources],
      ["Project", tenant.projects],
      ["CloudAccount", tenant.cloudAccounts],
      ["KubernetesCluster", tenant.kubernetesClusters],
      ["AuditLogEntry", tenant.auditLogEntries],
      ["VersionControlResource", tenant.versionControlResources],
      ["User", tenant.users],
    ];
    const problems = new Set<string>();
    for (const [typeName, collection] of types) {
      const type = schema.getType(typeName) as GraphQLOutputType | undefined;
      expect(type, typeName).toBeDefined();
      const size = collection.size();
      // The first records, and the last ones (created by activity and raiseThreatIssue).
      for (const i of new Set([...Array.from({ length: Math.min(size, 150) }, (_, k) => k), ...Array.from({ length: Math.min(size, 20) }, (_, k) => size - 1 - k)])) {
        problemsOf(schema, collection.get(i), type as GraphQLOutputType, typeName, problems);
      }
    }
    expect([...problems]).toEqual([]);
  });
});
