import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  getNamedType,
  getVariableValues,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import * as fixtures from "./client-documents.test-fixtures.js";
import {
  buildWizSchema,
  findPackageRoot,
  hasRequiredScope,
  loadWizSchemaSource,
  PAGE_SIZE_CAPS,
  ROOT_FIELD_SCOPES,
  wizSchemaPath,
} from "./schema.js";

// ---------------------------------------------------------------------------
// Discovery of every GraphQL document in the codebase
// ---------------------------------------------------------------------------

interface FoundDocument {
  /** path relative to the package root, with forward slashes */
  file: string;
  line: number;
  source: string;
  /** set when the literal cannot be read as a standalone document */
  problem?: string;
}

const ROOT = findPackageRoot();
const SCAN_DIRS = ["src", "bench", "test"];
const SKIP_DIRS = new Set(["node_modules", "dist", "coverage"]);
const SCHEMA_FILE = "schema/wiz.graphql";

// The tag comment is assembled so this file never matches its own scanner.
const TAG = new RegExp(String.raw`/\*\s*` + "Graph" + String.raw`QL\s*\*/\s*` + "`", "g");

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Tagged template literals in a .ts file. Interpolation is not allowed: documents must be self-contained. */
function taggedDocuments(file: string, text: string): FoundDocument[] {
  const found: FoundDocument[] = [];
  for (const match of text.matchAll(TAG)) {
    const start = (match.index ?? 0) + match[0].length;
    let source = "";
    let problem: string | undefined;
    let i = start;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\\") {
        source += text[i + 1] ?? "";
        i++;
        continue;
      }
      if (ch === "`") break;
      if (ch === "$" && text[i + 1] === "{") problem ??= "template interpolation ${...} is not allowed in a GraphQL document";
      source += ch;
    }
    if (i >= text.length) problem = "unterminated template literal";
    const doc: FoundDocument = { file, line: lineAt(text, match.index ?? 0), source };
    if (problem !== undefined) doc.problem = problem;
    found.push(doc);
  }
  return found;
}

function discoverDocuments(): FoundDocument[] {
  const files: string[] = [];
  for (const dir of SCAN_DIRS) walk(join(ROOT, dir), files);
  const docs: FoundDocument[] = [];
  for (const full of files.sort()) {
    const file = relative(ROOT, full).split(sep).join("/");
    if (file === SCHEMA_FILE) continue;
    if (file.endsWith(".graphql")) {
      docs.push({ file, line: 1, source: readFileSync(full, "utf8") });
    } else if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
      docs.push(...taggedDocuments(file, readFileSync(full, "utf8")));
    }
  }
  return docs;
}

/** Validation errors of one document as "file:line: message" strings. */
function checkDocument(schema: GraphQLSchema, doc: FoundDocument): string[] {
  const where = `${doc.file}:${doc.line}`;
  if (doc.problem !== undefined) return [`${where}: ${doc.problem}`];
  let ast: DocumentNode;
  try {
    ast = parse(doc.source);
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
  // A fragment-only document (shared fragments) is valid on its own.
  const hasOperation = ast.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION);
  const rules = hasOperation ? specifiedRules : specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
  return validate(schema, ast, rules).map((error) => {
    const loc = error.locations?.[0];
    const at = loc === undefined ? where : `${doc.file}:${doc.line + loc.line - 1}`;
    return `${at}: ${error.message}`;
  });
}

function operationOf(source: string): OperationDefinitionNode {
  const op = parse(source).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (op === undefined) throw new Error("no operation in document");
  return op;
}

/** Coerce client variables as a server would; returns error messages (empty when accepted). */
function coerce(schema: GraphQLSchema, source: string, variables: Record<string, unknown>) {
  const result = getVariableValues(schema, operationOf(source).variableDefinitions ?? [], variables);
  return result.errors === undefined
    ? { errors: [] as string[], coerced: result.coerced }
    : { errors: result.errors.map((e) => e.message), coerced: undefined };
}

function errorsOf(schema: GraphQLSchema, source: string): string[] {
  return validate(schema, parse(source)).map((e) => e.message);
}

const schema = buildWizSchema();
const documents = discoverDocuments();

// ---------------------------------------------------------------------------
// The schema itself
// ---------------------------------------------------------------------------

describe("schema/wiz.graphql", () => {
  it("is found from the package root and builds", () => {
    expect(wizSchemaPath()).toBe(join(ROOT, "schema", "wiz.graphql"));
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name?: string };
    expect(pkg.name).toBe("wizbridge");
    expect(loadWizSchemaSource()).toContain("type Query");
    expect(schema.getQueryType()?.name).toBe("Query");
    expect(schema.getMutationType()?.name).toBe("Mutation");
    expect(buildWizSchema() === schema).toBe(false); // no module-level cache (identity only: deep equality on a schema is huge)
  });

  it("has the root fields clients use; requestSecurityScanUpload is a query", () => {
    const query = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutation = Object.keys(schema.getMutationType()?.getFields() ?? {});
    for (const name of [
      "issuesV2", "issuesGroupedByValue", "vulnerabilityFindings", "configurationFindings", "detections",
      "cloudResources", "cloudResourcesV2", "graphSearch", "projects", "versionControlResources",
      "kubernetesClusters", "cloudAccounts", "auditLogEntries", "users", "systemActivity",
      "requestSecurityScanUpload", "issue", "cloudResource", "project", "detection",
    ]) {
      expect(query).toContain(name);
    }
    expect(mutation.sort()).toEqual(
      ["copyResourceForensicsToExternalAccount", "createIssueNote", "deleteIssueNote", "updateIssue"].sort(),
    );
  });

  it("declares scopes for every root field and nothing else", () => {
    const roots = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ].sort();
    expect(Object.keys(ROOT_FIELD_SCOPES).sort()).toEqual(roots);
    for (const scopes of Object.values(ROOT_FIELD_SCOPES)) expect(scopes.length).toBeGreaterThan(0);
    expect(ROOT_FIELD_SCOPES["issuesV2"]).toEqual(["read:issues"]);
    expect(ROOT_FIELD_SCOPES["detections"]).toEqual(["read:detections"]);
    expect(ROOT_FIELD_SCOPES["requestSecurityScanUpload"]).toEqual(["create:external_data_ingestion"]);
    expect(ROOT_FIELD_SCOPES["systemActivity"]).toEqual(["read:system_activities"]);
  });

  it("caps page size on exactly the connection root fields (500; detections 1000)", () => {
    const connectionRoots = Object.values(schema.getQueryType()?.getFields() ?? {})
      .filter((field) => getNamedType(field.type).name.endsWith("Connection"))
      .map((field) => field.name)
      .sort();
    expect(Object.keys(PAGE_SIZE_CAPS).sort()).toEqual(connectionRoots);
    for (const [name, cap] of Object.entries(PAGE_SIZE_CAPS)) expect(cap).toBe(name === "detections" ? 1000 : 500);
  });

  it("checks scopes, honouring umbrella scopes", () => {
    expect(hasRequiredScope("issuesV2", ["read:issues"])).toBe(true);
    expect(hasRequiredScope("issuesV2", ["read:vulnerabilities"])).toBe(false);
    expect(hasRequiredScope("issuesV2", ["read:all"])).toBe(true);
    expect(hasRequiredScope("updateIssue", ["read:all"])).toBe(false);
    expect(hasRequiredScope("updateIssue", ["update:issues"])).toBe(true);
    expect(hasRequiredScope("kubernetesClusters", ["read:kubernetes_clusters"])).toBe(true);
    expect(hasRequiredScope("auditLogEntries", ["admin:all"])).toBe(true);
    expect(hasRequiredScope("noSuchField", ["admin:all"])).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Every GraphQL document in the codebase validates
// ---------------------------------------------------------------------------

describe("every GraphQL document in the codebase validates against the schema", () => {
  it("finds the documents, including every client fixture", () => {
    const fixtureCount = Object.keys(fixtures).length;
    const fromFixtures = documents.filter((d) => d.file.endsWith("client-documents.test-fixtures.ts"));
    expect(fromFixtures.length).toBe(fixtureCount);
    expect(fixtureCount).toBeGreaterThanOrEqual(30);
  });

  it.each(documents.map((doc) => [`${doc.file}:${doc.line}`, doc] as const))("%s", (_name, doc) => {
    expect(checkDocument(schema, doc)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Rejections: unknown fields, strict inputs, wrong filter conventions
// ---------------------------------------------------------------------------

describe("invalid documents fail with the standard messages", () => {
  it("rejects an unknown field", () => {
    expect(errorsOf(schema, `query { issuesV2 { nodes { x } } }`)).toEqual(['Cannot query field "x" on type "Issue".']);
    expect(errorsOf(schema, `query { cloudResourcesV2 { totalCount } }`)).toEqual([
      'Cannot query field "totalCount" on type "CloudResourceV2Connection".',
    ]);
    const [businessImpact] = errorsOf(schema, `query { projects { nodes { businessImpact } } }`);
    expect(businessImpact).toMatch(/^Cannot query field "businessImpact" on type "Project"\./);
  });

  it("rejects requestSecurityScanUpload as a mutation", () => {
    expect(errorsOf(schema, `mutation { requestSecurityScanUpload(filename: "f.json") { upload { id } } }`)).toEqual([
      'Cannot query field "requestSecurityScanUpload" on type "Mutation".',
    ]);
  });

  it("rejects unknown input fields and the other roots' filter conventions", () => {
    expect(errorsOf(schema, `{ issuesV2(filterBy: {foo: 1}) { totalCount } }`)).toEqual([
      'Field "foo" is not defined by type "IssueFilters".',
    ]);
    // issues take bare lists, not {equals}
    expect(errorsOf(schema, `{ issuesV2(filterBy: {status: {equals: [OPEN]}}) { totalCount } }`)).toHaveLength(1);
    // detections take {equals}, not bare lists
    expect(errorsOf(schema, `{ detections(filterBy: {type: [GENERATED_THREAT]}) { totalCount } }`)).toHaveLength(1);
    // graphSearch requires projectId
    expect(errorsOf(schema, `{ graphSearch(first: 1) { totalCount } }`)).toEqual([
      'Field "graphSearch" argument "projectId" of type "String!" is required, but it was not provided.',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Client variables coerce (list input coercion, wrappers, nulls)
// ---------------------------------------------------------------------------

describe("client variables coerce like a server would", () => {
  it("XW get_issue sends a scalar id; a list-typed filter accepts it", () => {
    const { errors, coerced } = coerce(schema, fixtures.XW_ISSUES_QUERY, {
      first: 5,
      filterBy: { id: "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f" },
    });
    expect(errors).toEqual([]);
    expect(coerced?.["filterBy"]).toEqual({ id: ["6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f"] });
  });

  it("XW fetch and relatedEntity variants", () => {
    expect(
      coerce(schema, fixtures.XW_ISSUES_QUERY, {
        first: 500,
        filterBy: { status: ["OPEN", "IN_PROGRESS"], createdAt: { after: "2024-05-01T10:00:00.123Z" }, relatedEntity: {} },
        orderBy: { field: "SEVERITY", direction: "DESC" },
      }).errors,
    ).toEqual([]);
    expect(
      coerce(schema, fixtures.XW_ISSUES_QUERY, {
        filterBy: { status: ["OPEN"], relatedEntity: { id: "graph-id" }, severity: ["CRITICAL", "HIGH"], type: ["THREAT_DETECTION"] },
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.XW_ISSUES_QUERY, { filterBy: { relatedEntity: { type: ["VIRTUAL_MACHINE"] } } }).errors).toEqual([]);
  });

  it("XD threats: scalar project, bare arrays, inLast days, eventOrigin {equals}", () => {
    const { errors } = coerce(schema, fixtures.XD_THREATS_QUERY, {
      first: 250,
      filterBy: {
        type: ["THREAT_DETECTION"],
        createdAt: { inLast: { amount: 5, unit: "DurationFilterValueUnitDays" } },
        relatedEntity: { cloudPlatform: ["AWS", "Azure", "vSphere"] },
        cloudAccountOrCloudOrganizationId: ["0d9a7c2e-0000-4000-8000-000000000001"],
        threatResource: { ids: ["r-1"] },
        severity: ["CRITICAL", "HIGH"],
        status: ["OPEN", "IN_PROGRESS"],
        eventOrigin: { equals: ["WIZ_SENSOR", "AWS_CLOUDTRAIL"] },
        project: "project-1",
      },
      filterScope: "ALL_ISSUE_DETECTIONS",
      fetchCloudAccountsAndCloudOrganizations: true,
      orderBy: { field: "CREATED_AT", direction: "DESC" },
    });
    expect(errors).toEqual([]);
  });

  it("XD detections: {equals} wrappers, scalar issueId/projectId, matchedRule, inLast minutes", () => {
    const { errors, coerced } = coerce(schema, fixtures.XD_DETECTIONS_QUERY, {
      first: 250,
      orderBy: { field: "CREATED_AT", direction: "ASC" },
      filterBy: {
        createdAt: { inLast: { amount: 10, unit: "DurationFilterValueUnitMinutes" } },
        id: { equals: ["d-1"] },
        issueId: "i-1",
        type: { equals: ["GENERATED_THREAT"] },
        cloudPlatform: { equals: ["AWS"] },
        origin: { equals: ["WIZ_SENSOR"] },
        cloudAccountOrCloudOrganizationId: { equals: ["a-1"] },
        resource: { id: { equals: ["r-1"] } },
        severity: { equals: ["HIGH", "CRITICAL"] },
        matchedRule: { id: "rule-uuid" },
        matchedRuleName: { equals: ["Rule name"] },
        projectId: "p-1",
      },
    });
    expect(errors).toEqual([]);
    expect((coerced?.["filterBy"] as Record<string, unknown>)["issueId"]).toEqual(["i-1"]);
  });

  it("ED: updatedAt cursor plus both detection types", () => {
    expect(
      coerce(schema, fixtures.ED_DETECTIONS_QUERY, {
        first: 500,
        after: null,
        filterBy: { updatedAt: { after: "2024-05-01T10:00:00.123456Z" }, type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] } },
      }).errors,
    ).toEqual([]);
  });

  it("Elastic incremental filters", () => {
    expect(coerce(schema, fixtures.EI_ISSUES_QUERY, { first: 100, filterBy: { statusChangedAt: { after: "2024-05-01T00:00:00Z" } } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.EV_VULNERABILITY_FINDINGS_QUERY, { first: 100, filterBy: { updatedAt: { after: "2024-05-01T00:00:00Z" } } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.EA_AUDIT_LOG_QUERY, { first: 100, filterBy: { timestamp: { after: "2024-05-01T00:00:00Z" } } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.EC_CONFIGURATION_FINDINGS_QUERY, { first: 100, filterBy: { updatedAt: { after: "2024-05-01T00:00:00Z" } } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.ECF_CONFIGURATION_FINDINGS_FULL_QUERY, { first: 100, filterBy: { includeDeleted: false, status: ["OPEN", "RESOLVED"] } }).errors).toEqual([]);
  });

  it("BP issue, vulnerability, grouped and resource filters", () => {
    expect(
      coerce(schema, fixtures.BP_ISSUES_SEVERITY_COUNTS_QUERY, {
        filterBy: { status: ["OPEN", "IN_PROGRESS"], project: ["p-1"], relatedEntity: { ids: ["e-1"] }, search: "bucket" },
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.BP_ISSUES_GROUPED_COUNT_QUERY, { groupBy: "RESOURCE", filterBy: { status: ["OPEN"] } }).errors).toEqual([]);
    expect(
      coerce(schema, fixtures.BP_VULNERABILITY_FINDINGS_QUERY, {
        first: 20,
        filterBy: { status: ["OPEN"], projectId: "p-1", assetId: ["a-1", "a-2"], vulnerabilityExternalId: "CVE-2024-1", assetTags: { containsAny: [{ key: "env", value: "prod" }] } },
        orderBy: { direction: "DESC", field: "RELATED_ISSUE_SEVERITY" },
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.BP_CLOUD_RESOURCES_QUERY, { first: 500, filterBy: { providerUniqueId: ["arn:aws:s3:::b"] } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.BP_VERSION_CONTROL_RESOURCES_QUERY, { first: 500, filterBy: { search: "repo" } }).errors).toEqual([]);
  });

  it("graphSearch takes a free-form where with upper-case operators", () => {
    expect(
      coerce(schema, fixtures.XW_PULL_RESOURCES_QUERY, {
        first: 50,
        projectId: "*",
        fetchTotalCount: true,
        quick: true,
        query: { type: ["CLOUD_RESOURCE"], select: true, where: { providerUniqueId: { EQUALS: ["i-0abc"] } } },
      }).errors,
    ).toEqual([]);
    expect(
      coerce(schema, fixtures.BP_GRAPH_SEARCH_QUERY, {
        projectId: "*",
        first: 500,
        query: {
          type: ["KUBERNETES_RESOURCE"],
          select: true,
          where: { _and: [{ annotations: { CONTAINS: ['"team":"x"'] } }] },
          relationships: [
            {
              type: [{ type: "CONTAINS" }],
              with: { type: ["CONTAINER"], select: true, relationships: [{ type: [{ type: "INSTANCE_OF" }], with: { type: ["CONTAINER_IMAGE"], select: true } }] },
            },
          ],
        },
      }).errors,
    ).toEqual([]);
  });

  it("cloudResourcesV2 wrappers and order", () => {
    expect(
      coerce(schema, fixtures.WD_CLOUD_RESOURCES_V2_FULL_QUERY, {
        first: 5,
        filterBy: {
          type: { equals: ["BUCKET"] },
          cloudPlatform: { equals: ["AWS"] },
          hasAdminPrivileges: { equals: true },
          hasSensitiveData: { equals: true },
          isAccessibleFromInternet: { equals: true },
          project: { idV2: { equals: ["p-1"] } },
        },
        orderBy: { field: "FIRST_SEEN", direction: "DESC" },
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.WD_CLOUD_RESOURCES_V2_QUERY, { first: 1, filterBy: { type: ["BUCKET"] } }).errors).toHaveLength(1);
  });

  it("updateIssue patch and override (override may null a field)", () => {
    expect(
      coerce(schema, fixtures.XW_UPDATE_ISSUE_MUTATION, {
        issueId: "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f",
        patch: { status: "REJECTED", note: "n", resolutionReason: "WONT_FIX" },
      }).errors,
    ).toEqual([]);
    expect(
      coerce(schema, fixtures.XW_UPDATE_ISSUE_MUTATION, {
        issueId: "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f",
        patch: { status: "RESOLVED", resolutionReason: "MALICIOUS_THREAT", resolutionNote: "confirmed" },
      }).errors,
    ).toEqual([]);
    const { errors, coerced } = coerce(schema, fixtures.XW_UPDATE_ISSUE_MUTATION, {
      issueId: "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f",
      override: { dueAt: null },
    });
    expect(errors).toEqual([]);
    expect(coerced?.["override"]).toEqual({ dueAt: null });
  });

  it("notes, forensics, projects, upload", () => {
    expect(coerce(schema, fixtures.XW_CREATE_ISSUE_NOTE_MUTATION, { input: { issueId: "i-1", text: "hello" } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.XW_DELETE_ISSUE_NOTE_MUTATION, { input: { id: "n-1" } }).errors).toEqual([]);
    expect(coerce(schema, fixtures.XW_COPY_FORENSICS_MUTATION, { input: { id: "r-1" } }).errors).toEqual([]);
    expect(
      coerce(schema, fixtures.XW_PROJECTS_QUERY, {
        first: 20,
        filterBy: { search: "payments" },
        orderBy: { field: "SECURITY_SCORE", direction: "ASC" },
        analyticsSelection: {},
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.SG_REQUEST_SECURITY_SCAN_UPLOAD_QUERY, { filename: "wiz_findings.json" }).errors).toEqual([]);
    expect(coerce(schema, fixtures.SG_SYSTEM_ACTIVITY_QUERY, { id: "7eb8dac6-efa2-5095-9eaf-20776b213777" }).errors).toEqual([]);
    expect(coerce(schema, fixtures.SG_VERSION_CONTROL_RESOURCES_QUERY, { first: 500, filterBy: { type: ["REPOSITORY_BRANCH"] } }).errors).toEqual([]);
  });

  it("TF kubernetesClusters, cloudAccounts, users filters", () => {
    expect(coerce(schema, fixtures.TF_KUBERNETES_CLUSTERS_QUERY, { first: 50, filterBy: { search: "prod", kind: ["EKS"], cloudAccount: ["a-1"] } }).errors).toEqual([]);
    expect(
      coerce(schema, fixtures.TF_CLOUD_ACCOUNTS_QUERY, {
        first: 500,
        filterBy: { search: ["acme"], cloudProvider: ["AWS", "Azure"], status: ["CONNECTED"], assignedToProject: true },
      }).errors,
    ).toEqual([]);
    expect(coerce(schema, fixtures.TF_USERS_QUERY, { first: 500, filterBy: { search: "a", role: ["GLOBAL_ADMIN"], source: "MODERN" } }).errors).toEqual([]);
  });

  it("rejects bad variable shapes with the standard messages", () => {
    const unknownField = coerce(schema, fixtures.XW_ISSUES_QUERY, { filterBy: { statusIn: ["OPEN"] } }).errors;
    expect(unknownField).toHaveLength(1);
    expect(unknownField[0]).toContain('Field "statusIn" is not defined by type "IssueFilters".');
    expect(coerce(schema, fixtures.XD_DETECTIONS_QUERY, { filterBy: { type: ["GENERATED_THREAT"] } }).errors).toHaveLength(1);
    expect(coerce(schema, fixtures.XD_THREATS_QUERY, { filterBy: { status: ["OPEN"] }, filterScope: "EVERYTHING" }).errors).toHaveLength(1);
    expect(coerce(schema, fixtures.XW_ISSUES_QUERY, { filterBy: { createdAt: { inLast: { amount: 5, unit: "DAYS" } } } }).errors).toHaveLength(1);
    expect(coerce(schema, fixtures.SG_REQUEST_SECURITY_SCAN_UPLOAD_QUERY, {}).errors).toHaveLength(1);
  });
});
