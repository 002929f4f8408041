import { parseWizTimestamp } from "../../clock.js";
import { ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type IssueChange, type Tenant, type WizRecord } from "../../tenant/types.js";
import type { ListSource, SortKey } from "../connection.js";
import { compileIssueFilter, type IssueFilterInput } from "../filters/issue-filters.js";
import { allOf, canonicalKey, type CompiledFilter } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { notFound, wizError } from "../wiz-graphql-error.js";
import { columnKey, listConnection, type ConnectionArgs } from "./list-connection.js";

interface IssueOrderInput {
  field: "SEVERITY" | "CREATED_AT" | "UPDATED_AT" | "RESOLVED_AT" | "STATUS_CHANGED_AT";
  direction: "ASC" | "DESC";
}

export interface IssuesArgs extends ConnectionArgs {
  filterBy?: IssueFilterInput | null;
  filterScope?: string | null;
  orderBy?: IssueOrderInput | null;
}

export function issueSortKeys(tenant: Tenant, order: IssueOrderInput | null | undefined): SortKey[] | undefined {
  if (!order) return undefined;
  const cols = tenant.issues.cols;
  const column = {
    SEVERITY: cols.severity,
    CREATED_AT: cols.createdAt,
    UPDATED_AT: cols.updatedAt,
    RESOLVED_AT: cols.resolvedAt,
    STATUS_CHANGED_AT: cols.statusChangedAt,
  }[order.field];
  // Severity ties fall back to newest first, as the Wiz portal lists them.
  return order.field === "SEVERITY" ? [columnKey(column, order.direction), columnKey(cols.createdAt, "DESC")] : [columnKey(column, order.direction)];
}

/** The IssueConnection for a compiled filter, with the five severity counters Backstage's IssueCounts selects. */
export function issueConnection(context: SimContext, args: ConnectionArgs & { orderBy?: IssueOrderInput | null }, filter: CompiledFilter, rootField: string) {
  const severity = context.tenant.issues.cols.severity;
  const counter = (level: number) => (source: ListSource) => () =>
    context.lists.count({ ...source, matches: (i) => severity[i] === level && source.matches(i), cacheKey: `${source.cacheKey}|severity:${level}` });
  return listConnection(context, args, {
    rootField,
    collection: context.tenant.issues,
    filter,
    sortKeys: issueSortKeys(context.tenant, args.orderBy),
    orderKey: canonicalKey(args.orderBy),
    extra: (source) => ({
      informationalSeverityCount: counter(0)(source),
      lowSeverityCount: counter(1)(source),
      mediumSeverityCount: counter(2)(source),
      highSeverityCount: counter(3)(source),
      criticalSeverityCount: counter(4)(source),
    }),
  });
}

export function issuesV2(_source: unknown, args: IssuesArgs, context: SimContext) {
  return issueConnection(context, args, compileIssueFilter(context.tenant, args.filterBy, context.clock.now()), "issuesV2");
}

export function issue(_source: unknown, args: { id: string }, context: SimContext) {
  const index = context.tenant.issues.indexOf(args.id);
  if (index === undefined) throw notFound();
  context.nodes += 1;
  return context.tenant.issues.get(index);
}

type GroupBy = "STATUS" | "SEVERITY" | "TYPE" | "PROJECT" | "RESOURCE" | "SUBSCRIPTION" | "SOURCE_RULE" | "CONTAINER_SERVICE" | "KUBERNETES_CLUSTER" | "KUBERNETES_NAMESPACE";

/** The entity an issue is grouped under, as an id; undefined when the issue has none of that kind. */
function groupIdOf(tenant: Tenant, groupBy: GroupBy, i: number): string | undefined {
  const cols = tenant.issues.cols;
  const resource = cols.resource[i] as number;
  const res = tenant.cloudResources.cols;
  switch (groupBy) {
    // The group's id is the enum value itself (OPEN, CRITICAL, THREAT_DETECTION...).
    case "STATUS":
      return ISSUE_STATUSES[cols.status[i] as number];
    case "SEVERITY":
      return SEVERITIES[cols.severity[i] as number];
    case "TYPE":
      return ISSUE_TYPES[cols.type[i] as number];
    case "PROJECT":
      return (cols.project[i] as number) >= 0 ? tenant.projects.idAt(cols.project[i] as number) : undefined;
    case "RESOURCE":
      return resource >= 0 ? tenant.cloudResources.idAt(resource) : undefined;
    case "SUBSCRIPTION":
      return resource >= 0 ? tenant.cloudAccounts.idAt(res.account[resource] as number) : undefined;
    case "SOURCE_RULE":
      return tenant.rules[cols.rule[i] as number]?.id;
    case "CONTAINER_SERVICE":
    case "KUBERNETES_CLUSTER":
      return resource >= 0 && (res.cluster[resource] as number) >= 0 ? tenant.kubernetesClusters.idAt(res.cluster[resource] as number) : undefined;
    case "KUBERNETES_NAMESPACE": {
      const snapshot = tenant.issues.get(i).entitySnapshot as WizRecord | null | undefined;
      const ns = snapshot?.kubernetesNamespaceName;
      return typeof ns === "string" && ns && snapshot?.kubernetesClusterId ? `${String(snapshot.kubernetesClusterId)}/${ns}` : undefined;
    }
  }
}

interface GroupedArgs extends ConnectionArgs {
  groupBy: GroupBy;
  filterBy?: IssueFilterInput | null;
  orderBy?: { field: "SEVERITY"; direction: "ASC" | "DESC" } | null;
}

/** issuesGroupedByValue: one node per distinct value, each with its own issues(...) connection. */
export function issuesGroupedByValue(_source: unknown, args: GroupedArgs, context: SimContext) {
  const tenant = context.tenant;
  const outer = compileIssueFilter(tenant, args.filterBy, context.clock.now());
  const groups = new Map<string, { members: Set<number>; maxSeverity: number; first: number }>();
  const size = tenant.issues.size();
  for (let i = 0; i < size; i += 1) {
    if (!outer.matches(i)) continue;
    const id = groupIdOf(tenant, args.groupBy, i);
    if (id === undefined) continue;
    let group = groups.get(id);
    if (!group) {
      group = { members: new Set(), maxSeverity: 0, first: i };
      groups.set(id, group);
    }
    group.members.add(i);
    group.maxSeverity = Math.max(group.maxSeverity, tenant.issues.cols.severity[i] as number);
  }
  const ordered = [...groups.entries()];
  if (args.orderBy) {
    const dir = args.orderBy.direction === "DESC" ? -1 : 1;
    ordered.sort((a, b) => (a[1].maxSeverity - b[1].maxSeverity) * dir || a[1].first - b[1].first);
  }
  const first = args.first ?? 50;
  const cap = context.pageCaps.issuesGroupedByValue ?? 500;
  if (first > cap || first < 0) throw wizError("BAD_USER_INPUT", `first must be between 0 and ${cap} for issuesGroupedByValue (got ${first}).`);
  const offset = args.after ? decodeOffset(args.after) : 0;
  const slice = ordered.slice(offset, offset + first);
  const nodes = slice.map(([id, group]) => ({ id, __members: group.members, __key: `${outer.key}|group:${args.groupBy}:${id}` }));
  const endOffset = offset + slice.length;
  return {
    nodes,
    edges: nodes.map((node, p) => ({ cursor: encodeOffset(offset + p + 1), node })),
    pageInfo: { hasNextPage: endOffset < ordered.length, endCursor: slice.length > 0 ? encodeOffset(endOffset) : (args.after ?? null) },
    totalCount: ordered.length,
  };
}

/** IssuesGroupedByValue.issues: the group's issues, further filtered and ordered by the field's own arguments. */
export function groupIssues(source: { __members: ReadonlySet<number>; __key: string }, inner: IssuesArgs, context: SimContext) {
  const innerFilter = compileIssueFilter(context.tenant, inner.filterBy, context.clock.now());
  const filter: CompiledFilter = { matches: allOf([(i) => source.__members.has(i), innerFilter.matches]), key: `${source.__key}|${innerFilter.key}` };
  return issueConnection(context, inner, filter, "issuesGroupedByValue.issues");
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64");
}

function decodeOffset(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { o?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // reported below
  }
  throw wizError("BAD_USER_INPUT", "Invalid cursor for issuesGroupedByValue: pass the previous page's pageInfo.endCursor unchanged.");
}

interface UpdateIssuePatchInput {
  status?: string | null;
  note?: string | null;
  resolutionReason?: string | null;
  resolutionNote?: string | null;
  dueAt?: string | null;
}

/** updateIssue: `patch` sets the fields it gives and cannot null one; `override` replaces, so `{dueAt: null}` clears. */
export function updateIssue(_source: unknown, args: { input: { id: string; patch?: UpdateIssuePatchInput | null; override?: UpdateIssuePatchInput | null } }, context: SimContext) {
  const { tenant } = context;
  const index = tenant.issues.indexOf(args.input.id);
  if (index === undefined) throw notFound();
  const { patch, override } = args.input;
  if (!patch && !override) throw wizError("BAD_USER_INPUT", "updateIssue needs a patch or an override, e.g. {patch: {status: IN_PROGRESS}}.");
  const by = context.account;
  const now = context.clock.now();
  const wasStatus = String(tenant.issues.get(index).status);
  for (const [change, isOverride] of [
    [patch, false],
    [override, true],
  ] as const) {
    if (!change) continue;
    const converted = toIssueChange(change, isOverride);
    if (converted.status === "RESOLVED" && tenant.issues.get(index).type !== "THREAT_DETECTION") {
      throw wizError(
        "BAD_USER_INPUT",
        "Only THREAT_DETECTION issues can be resolved by hand; other issues resolve when Wiz sees the cause fixed. Use status REJECTED with a resolutionReason instead.",
        { field: "status" },
      );
    }
    tenant.updateIssue(index, converted, isOverride, by, now);
  }
  const after = tenant.issues.get(index);
  context.onIssueChanged(index, after.status === "RESOLVED" && wasStatus !== "RESOLVED" ? "issue.resolved" : "issue.updated");
  context.nodes += 1;
  return { issue: after };
}

function toIssueChange(input: UpdateIssuePatchInput, override: boolean): IssueChange {
  const change: IssueChange = {};
  // GraphQL gives a field sent as null as a present key with null; only override may null a field.
  const take = <K extends keyof UpdateIssuePatchInput>(key: K): boolean => key in input && (override || input[key] !== null);
  if (take("status") && input.status) change.status = input.status;
  if (take("resolutionReason")) change.resolutionReason = input.resolutionReason ?? null;
  if (take("resolutionNote")) change.resolutionNote = input.resolutionNote ?? null;
  if (take("note") && input.note) change.note = input.note;
  if (take("dueAt")) change.dueAt = input.dueAt === null || input.dueAt === undefined ? null : dueAtMillis(input.dueAt);
  return change;
}

function dueAtMillis(value: string): number {
  const ms = parseWizTimestamp(value);
  if (Number.isNaN(ms)) throw wizError("BAD_USER_INPUT", `dueAt ${JSON.stringify(value)} is not a date-time; send e.g. "2026-02-01T00:00:00.000Z".`, { field: "dueAt" });
  return ms;
}

export function createIssueNote(_source: unknown, args: { input: { issueId: string; text: string } }, context: SimContext) {
  const index = context.tenant.issues.indexOf(args.input.issueId);
  if (index === undefined) throw notFound();
  if (!args.input.text.trim()) throw wizError("BAD_USER_INPUT", "A note needs text.", { field: "text" });
  const issueNote = context.tenant.addIssueNote(index, { text: args.input.text, serviceAccount: context.account }, context.clock.now());
  context.onIssueChanged(index, "issue.updated");
  return { issueNote };
}

export function deleteIssueNote(_source: unknown, args: { input: { id: string } }, context: SimContext) {
  if (!context.tenant.deleteIssueNote(args.input.id, context.clock.now())) throw notFound();
  return { _stub: null };
}

