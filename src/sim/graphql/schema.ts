/**
 * The Wiz GraphQL schema (schema/wiz.graphql): loading, building, and the
 * per-root-field policy the simulator enforces (scopes, page-size caps).
 *
 * No module state: every call reads and builds afresh; callers cache.
 * See schema/NOTES.md for the reasons behind each scope and cap.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";
import { packageRoot } from "../../version.js";

/** Path of the SDL relative to the package root. */
export const WIZ_SCHEMA_RELATIVE_PATH = "schema/wiz.graphql";

/** The package root (where package.json is); kept under this name for the schema tests. */
export function findPackageRoot(): string {
  return packageRoot();
}

/** Absolute path of schema/wiz.graphql. */
export function wizSchemaPath(): string {
  return join(findPackageRoot(), WIZ_SCHEMA_RELATIVE_PATH);
}

/** The SDL text of schema/wiz.graphql. */
export function loadWizSchemaSource(): string {
  return readFileSync(wizSchemaPath(), "utf8");
}

/** A fresh graphql-js schema built from schema/wiz.graphql (not cached). */
export function buildWizSchema(): GraphQLSchema {
  return buildSchema(loadWizSchemaSource());
}

/**
 * Wiz service-account scopes per root field; any ONE of the listed scopes
 * suffices. Umbrella scopes (`read:all`, `update:all`, ...) are handled by
 * {@link hasRequiredScope}, not listed here.
 */
export const ROOT_FIELD_SCOPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // Query
  issuesV2: ["read:issues"],
  issue: ["read:issues"],
  issuesGroupedByValue: ["read:issues"],
  vulnerabilityFindings: ["read:vulnerabilities"],
  configurationFindings: ["read:cloud_configuration"],
  detections: ["read:detections"],
  detection: ["read:detections"],
  cloudResources: ["read:resources"],
  cloudResource: ["read:resources"],
  cloudResourcesV2: ["read:resources"],
  graphSearch: ["read:resources"],
  projects: ["read:projects"],
  project: ["read:projects"],
  versionControlResources: ["read:resources"],
  kubernetesClusters: ["read:resources", "read:kubernetes_clusters"],
  cloudAccounts: ["read:resources", "read:cloud_accounts"],
  auditLogEntries: ["admin:audit"],
  users: ["read:users"],
  systemActivity: ["read:system_activities"],
  requestSecurityScanUpload: ["create:external_data_ingestion"],
  // Mutation
  updateIssue: ["update:issues", "write:issues"],
  createIssueNote: ["update:issues", "write:issues"],
  deleteIssueNote: ["update:issues", "write:issues"],
  copyResourceForensicsToExternalAccount: ["create:forensics"],
});

/**
 * Largest `first` accepted per connection root field. 500 everywhere (EDM, PF,
 * XW, BP), 1000 for detections (architecture doc).
 */
export const PAGE_SIZE_CAPS: Readonly<Record<string, number>> = Object.freeze({
  issuesV2: 500,
  issuesGroupedByValue: 500,
  vulnerabilityFindings: 500,
  configurationFindings: 500,
  detections: 1000,
  cloudResources: 500,
  cloudResourcesV2: 500,
  graphSearch: 500,
  projects: 500,
  versionControlResources: 500,
  kubernetesClusters: 500,
  cloudAccounts: 500,
  auditLogEntries: 500,
  users: 500,
});

/**
 * True when `granted` holds one of the scopes `rootField` needs, or the
 * umbrella scope of the same verb (`read:all` for `read:*`, ...), or
 * `admin:all`. Unknown root fields are never satisfied.
 */
export function hasRequiredScope(rootField: string, granted: readonly string[]): boolean {
  const required = ROOT_FIELD_SCOPES[rootField];
  if (required === undefined) return false;
  const have = new Set(granted);
  if (have.has("admin:all")) return true;
  return required.some((scope) => {
    if (have.has(scope)) return true;
    const verb = scope.split(":", 1)[0];
    return verb !== undefined && have.has(`${verb}:all`);
  });
}
