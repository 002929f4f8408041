import { CLOUD_PLATFORMS, type Tenant, type WizRecord } from "../../tenant/types.js";
import { allOf, canonicalKey, dateRange, enumIn, indexesOf, indexIn, refIn, type DateFilterInput, type Predicate } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { notFound, wizError } from "../wiz-graphql-error.js";
import { columnKey, listConnection, type ConnectionArgs } from "./list-connection.js";

type Equals<T = string> = { equals?: readonly T[] | T | null } | null | undefined;

function typeIndexes(tenant: Tenant, names: readonly string[] | null | undefined): Set<number> | undefined {
  if (!names?.length) return undefined;
  // CLOUD_RESOURCE is the graph's umbrella type: every cloud resource matches it.
  if (names.includes("CLOUD_RESOURCE") || names.includes("ANY")) return undefined;
  return new Set(tenant.resourceTypes.flatMap((t, at) => (names.includes(t.type) ? [at] : [])));
}

function resourceIndexesByProviderId(tenant: Tenant, ids: readonly string[] | null | undefined): Set<number> | undefined {
  return indexesOf(ids, (id) => tenant.resourceByProviderId(id));
}

function searchPredicate(tenant: Tenant, search: string | null | undefined): Predicate | undefined {
  if (!search) return undefined;
  const needle = search.toLowerCase();
  return (i) => {
    const r = tenant.cloudResources.get(i);
    const entity = (r.graphEntity ?? {}) as WizRecord;
    return [r.name, r.id, entity.providerUniqueId].some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
  };
}

interface CloudResourceFilterInput {
  id?: readonly string[] | null;
  search?: string | null;
  providerUniqueId?: readonly string[] | null;
  type?: readonly string[] | null;
  cloudPlatform?: readonly string[] | null;
  subscriptionId?: readonly string[] | null;
  subscriptionExternalId?: readonly string[] | null;
  projectId?: readonly string[] | null;
  updatedAt?: DateFilterInput | null;
  firstSeen?: DateFilterInput | null;
  lastSeen?: DateFilterInput | null;
}

export function cloudResources(_source: unknown, args: ConnectionArgs & { filterBy?: CloudResourceFilterInput | null }, context: SimContext) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const cols = tenant.cloudResources.cols;
  const now = context.clock.now();
  const matches = allOf([
    indexIn(indexesOf(f.id, (id) => tenant.cloudResources.indexOf(id))),
    indexIn(resourceIndexesByProviderId(tenant, f.providerUniqueId)),
    refIn(cols.type, typeIndexes(tenant, f.type)),
    enumIn(cols.platform, f.cloudPlatform, CLOUD_PLATFORMS),
    refIn(cols.account, indexesOf(f.subscriptionId, (id) => tenant.cloudAccounts.indexOf(id) ?? accountByExternalId(tenant, id))),
    refIn(cols.account, indexesOf(f.subscriptionExternalId, (id) => accountByExternalId(tenant, id))),
    refIn(cols.project, indexesOf(f.projectId, (id) => tenant.projects.indexOf(id))),
    dateRange(cols.updatedAt, f.updatedAt, now, "updatedAt"),
    dateRange(cols.firstSeen, f.firstSeen, now, "firstSeen"),
    dateRange(cols.lastSeen, f.lastSeen, now, "lastSeen"),
    searchPredicate(tenant, f.search),
  ]);
  return listConnection(context, args, { rootField: "cloudResources", collection: tenant.cloudResources, filter: { matches, key: `cloudResources:${canonicalKey(f)}` } });
}

function accountByExternalId(tenant: Tenant, externalId: string): number | undefined {
  for (let i = 0; i < tenant.cloudAccounts.size(); i += 1) if (tenant.cloudAccounts.get(i).externalId === externalId) return i;
  return undefined;
}

export function cloudResource(_source: unknown, args: { id: string }, context: SimContext) {
  const index = context.tenant.cloudResources.indexOf(args.id);
  if (index === undefined) throw notFound();
  context.nodes += 1;
  return context.tenant.cloudResources.get(index);
}

interface CloudResourceV2FilterInput {
  id?: Equals;
  type?: Equals;
  cloudPlatform?: Equals;
  externalId?: Equals;
  providerUniqueId?: Equals;
  name?: Equals;
  search?: string | null;
  region?: Equals;
  status?: Equals;
  cloudAccount?: Equals;
  project?: { idV2?: Equals } | null;
  updatedAt?: DateFilterInput | null;
  firstSeen?: DateFilterInput | null;
  lastSeen?: DateFilterInput | null;
  [flag: string]: unknown;
}

const V2_FLAGS = ["hasAdminPrivileges", "hasHighPrivileges", "hasSensitiveData", "hasAccessToSensitiveData", "isAccessibleFromInternet", "isOpenToAllInternet"] as const;

function list<T>(wrapper: Equals<T>): readonly T[] | undefined {
  const value = wrapper?.equals;
  if (value === null || value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

export function cloudResourcesV2(
  _source: unknown,
  args: ConnectionArgs & { filterBy?: CloudResourceV2FilterInput | null; orderBy?: { field: "FIRST_SEEN" | "LAST_SEEN" | "UPDATED_AT" | "NAME"; direction: "ASC" | "DESC" } | null },
  context: SimContext,
) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const cols = tenant.cloudResources.cols;
  const now = context.clock.now();
  const slow: Array<(r: WizRecord) => boolean> = [];
  const externalIds = list(f.externalId);
  if (externalIds) slow.push((r) => externalIds.includes(String(r.externalId)));
  const names = list(f.name);
  if (names) slow.push((r) => names.includes(String(r.name)));
  const regions = list(f.region);
  if (regions) slow.push((r) => regions.includes(String(r.region)));
  const statuses = list(f.status);
  if (statuses) slow.push((r) => statuses.includes(String(r.status)));
  for (const flag of V2_FLAGS) {
    const want = list(f[flag] as Equals<boolean>)?.[0];
    if (typeof want === "boolean") slow.push((r) => Boolean(r[flag]) === want);
  }
  const fast = allOf([
    indexIn(indexesOf(list(f.id), (id) => tenant.cloudResources.indexOf(id))),
    indexIn(resourceIndexesByProviderId(tenant, list(f.providerUniqueId))),
    refIn(cols.type, typeIndexes(tenant, list(f.type))),
    enumIn(cols.platform, list(f.cloudPlatform), CLOUD_PLATFORMS),
    refIn(cols.account, indexesOf(list(f.cloudAccount), (id) => tenant.cloudAccounts.indexOf(id) ?? accountByExternalId(tenant, id))),
    refIn(cols.project, indexesOf(list(f.project?.idV2), (id) => tenant.projects.indexOf(id))),
    dateRange(cols.updatedAt, f.updatedAt, now, "updatedAt"),
    dateRange(cols.firstSeen, f.firstSeen, now, "firstSeen"),
    dateRange(cols.lastSeen, f.lastSeen, now, "lastSeen"),
    searchPredicate(tenant, f.search),
  ]);
  const matches: Predicate = slow.length === 0 ? fast : (i) => fast(i) && slow.every((p) => p(tenant.cloudResources.get(i)));
  const order = args.orderBy;
  const column = order && order.field !== "NAME" ? { FIRST_SEEN: cols.firstSeen, LAST_SEEN: cols.lastSeen, UPDATED_AT: cols.updatedAt }[order.field] : undefined;
  if (order?.field === "NAME") throw wizError("BAD_USER_INPUT", "orderBy NAME is not supported by the simulator for cloudResourcesV2; order by FIRST_SEEN, LAST_SEEN or UPDATED_AT.");
  const connection = listConnection(context, args, {
    rootField: "cloudResourcesV2",
    collection: tenant.cloudResources,
    filter: { matches, key: `cloudResourcesV2:${canonicalKey(f)}` },
    sortKeys: column && order ? [columnKey(column, order.direction)] : undefined,
    orderKey: canonicalKey(order),
  });
  Object.defineProperty(connection, "totalServiceUsageResourceCount", { get: () => connection.totalCount, enumerable: true });
  return connection;
}

// ---- graphSearch ----

interface GraphQueryInput {
  type: readonly string[];
  select?: boolean | null;
  where?: unknown;
  relationships?: readonly unknown[] | null;
  aggregate?: boolean | null;
}

const GRAPH_OPERATORS = ["EQUALS", "CONTAINS", "STARTS_WITH", "ENDS_WITH", "IN", "NOT_EQUALS"] as const;

/** A `where` condition over one entity field, with Wiz's upper-case operators. */
function wherePredicate(where: unknown): (entity: WizRecord) => boolean {
  if (where === null || where === undefined) return () => true;
  if (typeof where !== "object" || Array.isArray(where)) throw wizError("BAD_USER_INPUT", "graphSearch query.where must be an object such as {providerUniqueId: {EQUALS: [\"arn:...\"]}}.");
  const clauses = Object.entries(where as Record<string, unknown>).map(([field, condition]) => {
    if (field === "_and" || field === "_or") {
      const parts = (Array.isArray(condition) ? condition : [condition]).map(wherePredicate);
      return field === "_and" ? (e: WizRecord) => parts.every((p) => p(e)) : (e: WizRecord) => parts.some((p) => p(e));
    }
    if (typeof condition !== "object" || condition === null) throw wizError("BAD_USER_INPUT", `graphSearch where.${field} must be an object like {EQUALS: [...]}.`);
    const ops = Object.entries(condition as Record<string, unknown>);
    return (entity: WizRecord) => {
      const props = (entity.properties ?? {}) as WizRecord;
      const value = field in entity ? entity[field] : props[field];
      const text = value === null || value === undefined ? "" : String(value);
      return ops.every(([op, operand]) => {
        const operands = (Array.isArray(operand) ? operand : [operand]).map(String);
        switch (op) {
          case "EQUALS":
          case "IN":
            return operands.includes(text);
          case "NOT_EQUALS":
            return !operands.includes(text);
          case "CONTAINS":
            return operands.some((o) => text.toLowerCase().includes(o.toLowerCase()));
          case "STARTS_WITH":
            return operands.some((o) => text.startsWith(o));
          case "ENDS_WITH":
            return operands.some((o) => text.endsWith(o));
          default:
            throw wizError("BAD_USER_INPUT", `graphSearch where.${field}: unknown operator ${op}; use one of ${GRAPH_OPERATORS.join(", ")}.`);
        }
      });
    };
  });
  return (entity) => clauses.every((c) => c(entity));
}

export function graphSearch(_source: unknown, args: ConnectionArgs & { query?: GraphQueryInput | null; projectId: string; quick?: boolean | null }, context: SimContext) {
  const { tenant } = context;
  const query = args.query;
  if (!query) throw wizError("BAD_USER_INPUT", "graphSearch needs a query, e.g. {type: [CLOUD_RESOURCE], select: true, where: {providerUniqueId: {EQUALS: [\"...\"]}}}.");
  // The simulator's graph has resources but no edges: relationship blocks are accepted, not evaluated,
  // and each selected block among them answers null (as an optional block that matched nothing).
  const relatedSelected = countSelected(query.relationships ?? []);
  const where = query.where as Record<string, { EQUALS?: unknown }> | undefined;
  const byProviderId = where?.providerUniqueId?.EQUALS;
  const candidates = byProviderId !== undefined ? resourceIndexesByProviderId(tenant, (Array.isArray(byProviderId) ? byProviderId : [byProviderId]).map(String)) : undefined;
  const types = typeIndexes(tenant, query.type);
  const predicate = wherePredicate(query.where);
  const projectIndex = args.projectId && args.projectId !== "*" ? tenant.projects.indexOf(args.projectId) : undefined;
  if (args.projectId && args.projectId !== "*" && projectIndex === undefined) throw wizError("BAD_USER_INPUT", `graphSearch projectId ${JSON.stringify(args.projectId)} is not a project of this tenant; use "*" for all projects.`);
  const cols = tenant.cloudResources.cols;
  const matches: Predicate = (i) =>
    (!candidates || candidates.has(i)) &&
    (!types || types.has(cols.type[i] as number)) &&
    (projectIndex === undefined || cols.project[i] === projectIndex) &&
    predicate(graphEntityOf(tenant.cloudResources.get(i)));
  const connection = listConnection(context, args, {
    rootField: "graphSearch",
    collection: {
      size: () => tenant.cloudResources.size(),
      get: (i: number) => ({ entities: [graphEntityOf(tenant.cloudResources.get(i)), ...Array.from({ length: relatedSelected }, () => null)], aggregateCount: null }),
    },
    filter: { matches, key: `graphSearch:${canonicalKey(query)}:${args.projectId}` },
  });
  Object.defineProperty(connection, "maxCountReached", { get: () => false, enumerable: true });
  return connection;
}

function countSelected(relationships: readonly unknown[]): number {
  let count = 0;
  for (const relationship of relationships) {
    const block = (relationship as { with?: GraphQueryInput & { relationships?: readonly unknown[] | null } }).with;
    if (!block) continue;
    if (block.select) count += 1;
    count += countSelected(block.relationships ?? []);
  }
  return count;
}

export function graphEntityOf(record: WizRecord): WizRecord {
  const entity = (record.graphEntity ?? {}) as WizRecord;
  return { id: record.id, name: record.name, type: record.type, ...entity };
}

// ---- version control, kubernetes, accounts ----

function textMatch(search: string | null | undefined, ...values: unknown[]): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return values.some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
}

export function versionControlResources(
  _source: unknown,
  args: ConnectionArgs & { filterBy?: { id?: readonly string[] | null; search?: string | null; type?: readonly string[] | null; cloudPlatform?: readonly string[] | null } | null },
  context: SimContext,
) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const ids = indexesOf(f.id, (id) => tenant.versionControlResources.indexOf(id));
  const matches: Predicate = (i) => {
    if (ids && !ids.has(i)) return false;
    if (!f.search && !f.type?.length && !f.cloudPlatform?.length) return true;
    const r = tenant.versionControlResources.get(i);
    const repo = (r.repository ?? {}) as WizRecord;
    return textMatch(f.search, r.name, r.providerID, repo.name) && (!f.type?.length || f.type.includes(String(r.type))) && (!f.cloudPlatform?.length || f.cloudPlatform.includes(String(r.cloudPlatform)));
  };
  return listConnection(context, args, { rootField: "versionControlResources", collection: tenant.versionControlResources, filter: { matches, key: `vcs:${canonicalKey(f)}` } });
}

export function kubernetesClusters(
  _source: unknown,
  args: ConnectionArgs & { filterBy?: { search?: string | null; kind?: readonly string[] | null; cloudAccount?: readonly string[] | null; projectId?: readonly string[] | null } | null },
  context: SimContext,
) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const matches: Predicate = (i) => {
    const r = tenant.kubernetesClusters.get(i);
    const account = (r.cloudAccount ?? {}) as WizRecord;
    const projects = (Array.isArray(r.projects) ? r.projects : []) as WizRecord[];
    return (
      textMatch(f.search, r.name, r.externalId) &&
      (!f.kind?.length || f.kind.includes(String(r.kind))) &&
      (!f.cloudAccount?.length || f.cloudAccount.includes(String(account.id)) || f.cloudAccount.includes(String(account.externalId))) &&
      (!f.projectId?.length || projects.some((p) => f.projectId?.includes(String(p.id))))
    );
  };
  return listConnection(context, args, { rootField: "kubernetesClusters", collection: tenant.kubernetesClusters, filter: { matches, key: `k8s:${canonicalKey(f)}` } });
}

interface CloudAccountFilterInput {
  id?: readonly string[] | null;
  search?: readonly string[] | null;
  projectId?: string | null;
  cloudProvider?: readonly string[] | null;
  status?: readonly string[] | null;
  assignedToProject?: boolean | null;
  [other: string]: unknown;
}

export function cloudAccounts(_source: unknown, args: ConnectionArgs & { filterBy?: CloudAccountFilterInput | null }, context: SimContext) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const ids = indexesOf(f.id, (id) => tenant.cloudAccounts.indexOf(id));
  const matches: Predicate = (i) => {
    if (ids && !ids.has(i)) return false;
    const r = tenant.cloudAccounts.get(i);
    const projects = (Array.isArray(r.linkedProjects) ? r.linkedProjects : []) as WizRecord[];
    return (
      (!f.search?.length || f.search.some((s) => textMatch(s, r.name, r.externalId))) &&
      (!f.projectId || projects.some((p) => p.id === f.projectId)) &&
      (!f.cloudProvider?.length || f.cloudProvider.includes(String(r.cloudProvider))) &&
      (!f.status?.length || f.status.includes(String(r.status))) &&
      (typeof f.assignedToProject !== "boolean" || projects.length > 0 === f.assignedToProject)
    );
  };
  return listConnection(context, args, { rootField: "cloudAccounts", collection: tenant.cloudAccounts, filter: { matches, key: `accounts:${canonicalKey(f)}` } });
}
