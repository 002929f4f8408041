import type { StreamName } from "../../model/stream-name.js";

/**
 * A typed column of an entity table, filled from the record's canonical form: `k` in the SQL is
 * `jsonb_to_record(canonical)` with the fields the table's columns read (one call per row, no subquery).
 */
export interface TypedColumn {
  name: string;
  /** PostgreSQL type of the column. */
  type: "text" | "text[]";
  /** SQL expression over `k` giving the value. */
  expression: string;
  /** The canonical fields it reads, as `jsonb_to_record` column definitions. */
  reads: readonly CanonicalField[];
}

/** Canonical record fields the typed columns read, with the type `jsonb_to_record` gives them. */
export const CANONICAL_FIELDS = {
  severity: "text",
  status: "text",
  projectIds: "text[]",
  resource: "jsonb",
  createdAt: "text",
  updatedAt: "text",
  result: "text",
  resourceType: "text",
  action: "text",
} as const;

export type CanonicalField = keyof typeof CANONICAL_FIELDS;

/** One Wiz stream's current-state table. */
export interface EntityTable {
  stream: StreamName;
  table: string;
  /**
   * The raw field whose timestamp orders the record's versions: the stream's cursor field (the event id is
   * derived from it, see src/sync/page-events.ts). Null for streams whose version is a content hash
   * (projects, repositories): the time wizbridge read the record (observedAt) orders those.
   */
  versionField: "updatedAt" | "timestamp" | null;
  /** Entries never change once written (the audit log): a redelivery or a second version is ignored. */
  appendOnly: boolean;
  typed: readonly TypedColumn[];
  /** Index definitions after `ON <table>`: the dashboard queries this table answers. */
  indexes: ReadonlyArray<{ suffix: string; definition: string }>;
}

const severity: TypedColumn = {
  name: "severity",
  type: "text",
  expression: `CASE WHEN k.severity IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL') THEN k.severity END`,
  reads: ["severity"],
};
const status: TypedColumn = { name: "status", type: "text", expression: "k.status", reads: ["status"] };
const projectIds: TypedColumn = { name: "project_ids", type: "text[]", expression: `coalesce(k."projectIds", '{}')`, reads: ["projectIds"] };
const resourceId: TypedColumn = { name: "resource_id", type: "text", expression: "k.resource->>'id'", reads: ["resource"] };
const resourceType: TypedColumn = { name: "resource_type", type: "text", expression: "k.resource->>'type'", reads: ["resource"] };

const OPEN_ISSUE = "status IN ('OPEN', 'IN_PROGRESS') AND removed_at IS NULL";

function issueLike(stream: "issues" | "threats", table: string): EntityTable {
  return {
    stream,
    table,
    versionField: "updatedAt",
    appendOnly: false,
    typed: [severity, status, projectIds, resourceId, resourceType],
    indexes: [
      { suffix: "open_severity", definition: `(severity) WHERE ${OPEN_ISSUE}` },
      { suffix: "project_ids", definition: "USING gin (project_ids)" },
      { suffix: "resource", definition: "(resource_id)" },
    ],
  };
}

function findingLike(stream: "vulnerabilityFindings" | "configurationFindings", table: string, extra: TypedColumn[] = []): EntityTable {
  return {
    stream,
    table,
    versionField: "updatedAt",
    appendOnly: false,
    typed: [severity, status, projectIds, resourceId, resourceType, ...extra],
    indexes: [
      { suffix: "severity_status", definition: "(severity, status) WHERE removed_at IS NULL" },
      { suffix: "project_ids", definition: "USING gin (project_ids)" },
      { suffix: "resource", definition: "(resource_id)" },
    ],
  };
}

/**
 * Per stream: its table, what orders its versions and the typed columns dashboards filter on. Typed columns
 * come from the canonical record (the sink computes it from `raw` for events of another output profile), so
 * they mean the same whatever profile the connector uses.
 */
export const ENTITY_TABLES: Readonly<Record<StreamName, EntityTable>> = {
  issues: issueLike("issues", "issues"),
  threats: issueLike("threats", "threats"),
  vulnerabilityFindings: findingLike("vulnerabilityFindings", "vulnerability_findings"),
  configurationFindings: findingLike("configurationFindings", "configuration_findings", [{ name: "result", type: "text", expression: "k.result", reads: ["result"] }]),
  cloudResources: {
    stream: "cloudResources",
    table: "assets",
    versionField: "updatedAt",
    appendOnly: false,
    typed: [status, resourceType, projectIds, { name: "cloud_platform", type: "text", expression: "k.resource->>'cloudPlatform'", reads: ["resource"] }],
    indexes: [
      { suffix: "type", definition: "(resource_type) WHERE removed_at IS NULL" },
      { suffix: "project_ids", definition: "USING gin (project_ids)" },
    ],
  },
  detections: {
    stream: "detections",
    table: "detections",
    versionField: "updatedAt",
    appendOnly: false,
    typed: [severity, status, resourceId, resourceType],
    indexes: [
      { suffix: "severity_status", definition: "(severity, status)" },
      { suffix: "resource", definition: "(resource_id)" },
      { suffix: "created", definition: "(created_at)" },
    ],
  },
  projects: { stream: "projects", table: "projects", versionField: null, appendOnly: false, typed: [status], indexes: [] },
  versionControlResources: {
    stream: "versionControlResources",
    table: "repositories",
    versionField: null,
    appendOnly: false,
    typed: [{ name: "resource_type", type: "text", expression: `k."resourceType"`, reads: ["resourceType"] }],
    indexes: [],
  },
  auditLogEntries: {
    stream: "auditLogEntries",
    table: "audit_log",
    versionField: "timestamp",
    appendOnly: true,
    typed: [status, { name: "action", type: "text", expression: "k.action", reads: ["action"] }],
    indexes: [{ suffix: "created", definition: "(created_at)" }],
  },
};

export const ENTITY_TABLE_LIST: readonly EntityTable[] = Object.values(ENTITY_TABLES);

/** The canonical fields the typed columns read: what the sink keeps of a canonical record it computes itself. */
export const CANONICAL_FIELDS_READ = Object.keys(CANONICAL_FIELDS) as CanonicalField[];

/** A PostgreSQL identifier, quoted. Names are checked by the settings schema; quoting keeps mixed case exact. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
