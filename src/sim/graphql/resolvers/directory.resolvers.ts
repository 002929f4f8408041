import type { WizRecord } from "../../tenant/types.js";
import { allOf, canonicalKey, dateRange, indexesOf, type DateFilterInput, type Predicate } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { notFound, wizError } from "../wiz-graphql-error.js";
import { columnKey, listConnection, type ConnectionArgs } from "./list-connection.js";

function includesText(search: string | null | undefined, ...values: unknown[]): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return values.some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
}

interface ProjectsArgs extends ConnectionArgs {
  filterBy?: { id?: readonly string[] | null; search?: string | null; archived?: boolean | null; includeArchived?: boolean | null; isFolder?: boolean | null } | null;
  orderBy?: { field: "SECURITY_SCORE" | "NAME" | "CREATED_AT"; direction: "ASC" | "DESC" } | null;
}

export function projects(_source: unknown, args: ProjectsArgs, context: SimContext) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const ids = indexesOf(f.id, (id) => tenant.projects.indexOf(id));
  const matches: Predicate = (i) => {
    if (ids && !ids.has(i)) return false;
    if (!f.search && typeof f.archived !== "boolean" && f.includeArchived !== false && typeof f.isFolder !== "boolean") return true;
    const p = tenant.projects.get(i);
    return (
      includesText(f.search, p.name, p.slug, p.description) &&
      (typeof f.archived !== "boolean" || Boolean(p.archived) === f.archived) &&
      (f.includeArchived !== false || !p.archived) &&
      (typeof f.isFolder !== "boolean" || Boolean(p.isFolder) === f.isFolder)
    );
  };
  const order = args.orderBy;
  // Projects are few: rank them by the record field once per request.
  const sortKeys = order
    ? [
        order.field === "CREATED_AT"
          ? columnKey(tenant.projects.cols.createdAt, order.direction)
          : columnKey(rankBy(tenant.projects.size(), (i) => tenant.projects.get(i), order.field === "NAME" ? "name" : "securityScore"), order.direction),
      ]
    : undefined;
  return listConnection(context, args, { rootField: "projects", collection: tenant.projects, filter: { matches, key: `projects:${canonicalKey(f)}` }, sortKeys, orderKey: canonicalKey(order) });
}

/** Rank of each record by a field (strings compared by locale order), as a numeric column for sorting. */
function rankBy(size: number, get: (i: number) => WizRecord, field: string): Float64Array {
  const entries = Array.from({ length: size }, (_, i) => ({ i, v: get(i)[field] }));
  entries.sort((a, b) => (typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v ?? "").localeCompare(String(b.v ?? ""))) || a.i - b.i);
  const ranks = new Float64Array(size);
  entries.forEach((e, rank) => (ranks[e.i] = rank));
  return ranks;
}

export function project(_source: unknown, args: { id?: string | null; slug?: string | null }, context: SimContext) {
  const { tenant } = context;
  if (!args.id && !args.slug) throw wizError("BAD_USER_INPUT", "project needs an id or a slug.");
  let index = args.id ? tenant.projects.indexOf(args.id) : undefined;
  if (index === undefined && args.slug) {
    for (let i = 0; i < tenant.projects.size(); i += 1) if (tenant.projects.get(i).slug === args.slug) index = i;
  }
  if (index === undefined) throw notFound();
  context.nodes += 1;
  return tenant.projects.get(index);
}

export function users(_source: unknown, args: ConnectionArgs & { filterBy?: { search?: string | null; role?: readonly string[] | null; source?: string | null } | null }, context: SimContext) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const matches: Predicate = (i) => {
    if (!f.search && !f.role?.length && !f.source) return true;
    const u = tenant.users.get(i);
    const role = (u.effectiveRole ?? u.role ?? {}) as WizRecord | string;
    const roleName = typeof role === "string" ? role : String(role.id ?? role.name ?? "");
    return includesText(f.search, u.name, u.email) && (!f.role?.length || f.role.includes(roleName)) && (!f.source || u.authenticationSource === f.source || u.source === f.source);
  };
  return listConnection(context, args, { rootField: "users", collection: tenant.users, filter: { matches, key: `users:${canonicalKey(f)}` } });
}

interface AuditArgs extends ConnectionArgs {
  filterBy?: { timestamp?: DateFilterInput | null; action?: readonly string[] | null; status?: readonly string[] | null; user?: readonly string[] | null; serviceAccount?: readonly string[] | null } | null;
}

export function auditLogEntries(_source: unknown, args: AuditArgs, context: SimContext) {
  const { tenant } = context;
  const f = args.filterBy ?? {};
  const fast = allOf([dateRange(tenant.auditLogEntries.cols.timestamp, f.timestamp, context.clock.now(), "timestamp")]);
  const needsRecord = Boolean(f.action?.length || f.status?.length || f.user?.length || f.serviceAccount?.length);
  const matches: Predicate = !needsRecord
    ? fast
    : (i) => {
        if (!fast(i)) return false;
        const e = tenant.auditLogEntries.get(i);
        const user = (e.user ?? {}) as WizRecord;
        const sa = (e.serviceAccount ?? {}) as WizRecord;
        return (
          (!f.action?.length || f.action.includes(String(e.action))) &&
          (!f.status?.length || f.status.includes(String(e.status))) &&
          (!f.user?.length || f.user.includes(String(user.id)) || f.user.includes(String(user.email ?? user.name))) &&
          (!f.serviceAccount?.length || f.serviceAccount.includes(String(sa.id)))
        );
      };
  return listConnection(context, args, { rootField: "auditLogEntries", collection: tenant.auditLogEntries, filter: { matches, key: `audit:${canonicalKey(f)}` } });
}

