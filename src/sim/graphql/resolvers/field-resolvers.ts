import { GraphQLError, GraphQLObjectType, GraphQLScalarType, Kind, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { parseWizTimestamp, toWizTimestamp } from "../../clock.js";
import { ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type WizRecord } from "../../tenant/types.js";
import { compileIssueFilter, type IssueFilterInput } from "../filters/issue-filters.js";
import { allOf, type CompiledFilter } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { wizError } from "../wiz-graphql-error.js";
import { groupIssues, issueConnection } from "./issue.resolvers.js";

type FieldResolver = GraphQLFieldResolver<WizRecord, SimContext, Record<string, unknown>>;

/** A connection over an in-record list (triggering events, event groups, exposures), honouring `first`. */
function arrayConnection(items: readonly unknown[], args: Record<string, unknown>, field: string, cap = 500): Record<string, unknown> {
  const first = typeof args.first === "number" ? args.first : items.length;
  if (first < 0 || first > cap) throw wizError("BAD_USER_INPUT", `first must be between 0 and ${cap} for ${field} (got ${first}).`);
  const offset = typeof args.after === "string" ? Number(Buffer.from(args.after, "base64").toString("utf8").replace(/^o:/, "")) || 0 : 0;
  const nodes = items.slice(offset, offset + first);
  const cursor = (p: number) => Buffer.from(`o:${offset + p + 1}`).toString("base64");
  return {
    nodes,
    edges: nodes.map((node, p) => ({ cursor: cursor(p), node })),
    pageInfo: { hasNextPage: offset + nodes.length < items.length, endCursor: nodes.length > 0 ? cursor(nodes.length - 1) : null },
    totalCount: items.length,
    totalCountV2: items.length,
  };
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object" && Array.isArray((value as WizRecord).nodes)) return (value as { nodes: unknown[] }).nodes;
  return [];
}

function resourceIssues(source: WizRecord, args: Record<string, unknown>, context: SimContext, field: string) {
  const resource = context.tenant.cloudResources.indexOf(String(source.id));
  const members = new Set(resource === undefined ? [] : context.relations.issuesOfResource(resource));
  const inner = compileIssueFilter(context.tenant, args.filterBy as IssueFilterInput | undefined, context.clock.now());
  const filter: CompiledFilter = { matches: allOf([(i) => members.has(i), inner.matches]), key: `${field}:${String(source.id)}|${inner.key}` };
  return issueConnection(context, args, filter, field);
}

function severityCounts(indexes: readonly number[], context: SimContext, keep: (i: number) => boolean): Record<string, number> {
  const counts = [0, 0, 0, 0, 0];
  const severity = context.tenant.issues.cols.severity;
  let total = 0;
  for (const i of indexes) {
    if (!keep(i)) continue;
    total += 1;
    counts[severity[i] as number] = (counts[severity[i] as number] ?? 0) + 1;
  }
  return {
    issueCount: total,
    informationalSeverityCount: counts[0] ?? 0,
    lowSeverityCount: counts[1] ?? 0,
    mediumSeverityCount: counts[2] ?? 0,
    highSeverityCount: counts[3] ?? 0,
    criticalSeverityCount: counts[4] ?? 0,
  };
}

const FIELD_RESOLVERS: Record<string, Record<string, FieldResolver>> = {
  Detection: {
    triggeringEvents: (source, args) => arrayConnection(listOf(source.triggeringEvents), args, "triggeringEvents"),
  },
  Issue: {
    // Carries the issue id down so ThreatDetectionIssueDetails.detections can find the issue's detections.
    threatDetectionDetails: (source) => (source.threatDetectionDetails ? { ...(source.threatDetectionDetails as WizRecord), __issueId: source.id } : null),
  },
  ThreatDetectionIssueDetails: {
    detections: (source, args, context) => {
      const issue = context.tenant.issues.indexOf(String(source.__issueId));
      const indexes = issue === undefined ? [] : context.relations.detectionsOfIssue(issue);
      const first = typeof args.first === "number" ? args.first : 500;
      const connection = arrayConnection(indexes, { ...args, first }, "threatDetectionDetails.detections");
      const page = connection.nodes as number[];
      context.nodes += page.length;
      const nodes = page.map((i) => context.tenant.detections.get(i));
      return { ...connection, nodes, edges: nodes.map((node, p) => ({ cursor: (connection.edges as Array<{ cursor: string }>)[p]?.cursor, node })) };
    },
    cloudEventGroups: (source, args) => arrayConnection(listOf(source.cloudEventGroups), args, "cloudEventGroups"),
  },
  GraphEntity: {
    issues: (source, args, context) => resourceIssues(source, args, context, "GraphEntity.issues"),
    publicExposures: (source, args) => arrayConnection(listOf(source.publicExposures), args, "publicExposures"),
    otherSubscriptionExposures: (source, args) => arrayConnection(listOf(source.otherSubscriptionExposures), args, "otherSubscriptionExposures"),
    otherVnetExposures: (source, args) => arrayConnection(listOf(source.otherVnetExposures), args, "otherVnetExposures"),
    lateralMovementPaths: (source, args) => arrayConnection(listOf(source.lateralMovementPaths), args, "lateralMovementPaths"),
    kubernetesPaths: (source, args) => arrayConnection(listOf(source.kubernetesPaths), args, "kubernetesPaths"),
  },
  Project: {
    issueAnalytics: (source, args, context) => {
      const project = context.tenant.projects.indexOf(String(source.id));
      if (project === undefined) return null;
      const selection = (args.selection ?? {}) as { status?: string[]; severity?: string[]; type?: string[] };
      const cols = context.tenant.issues.cols;
      // Without a status selection, count what is still to do (OPEN and IN_PROGRESS), as the portal's project view does.
      const statuses = selection.status?.length ? selection.status.map((s) => ISSUE_STATUSES.indexOf(s as never)) : [0, 1];
      const severities = selection.severity?.map((s) => SEVERITIES.indexOf(s as never));
      const types = selection.type?.map((t) => ISSUE_TYPES.indexOf(t as never));
      const keep = (i: number) =>
        statuses.includes(cols.status[i] as number) && (!severities || severities.includes(cols.severity[i] as number)) && (!types || types.includes(cols.type[i] as number));
      let scopeSize = 0;
      const resources = context.tenant.cloudResources;
      for (let r = 0; r < resources.size(); r += 1) if (resources.cols.project[r] === project) scopeSize += 1;
      return { ...severityCounts(context.relations.issuesOfProject(project), context, keep), scopeSize };
    },
  },
  IssuesGroupedByValue: {
    issues: (source, args, context) => groupIssues(source as unknown as Parameters<typeof groupIssues>[0], args, context),
  },
};

/** Attaches the resolvers of fields that take arguments or need the tenant, and the DateTime scalar. */
export function attachFieldResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(FIELD_RESOLVERS)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`schema/wiz.graphql has no object type ${typeName} for the simulator's field resolvers.`);
    const defined = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName];
      if (!field) throw new Error(`schema/wiz.graphql has no field ${typeName}.${fieldName} for the simulator's field resolvers.`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  const dateTime = schema.getType("DateTime");
  if (dateTime instanceof GraphQLScalarType) {
    dateTime.serialize = (value: unknown) => (typeof value === "number" ? toWizTimestamp(value) : value);
    dateTime.parseValue = (value: unknown) => checkDateTime(value);
    dateTime.parseLiteral = (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`DateTime must be an RFC3339 string such as "2026-01-01T00:00:00Z".`);
      return checkDateTime(node.value);
    };
  }
  return schema;
}

function checkDateTime(value: unknown): string {
  if (typeof value !== "string" || Number.isNaN(parseWizTimestamp(value))) {
    throw new GraphQLError(`DateTime must be an RFC3339 string such as "2026-01-01T00:00:00Z", got ${JSON.stringify(value)}.`);
  }
  return value;
}
