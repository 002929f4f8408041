import { FINDING_STATUSES, SEVERITIES, type Tenant, type WizRecord } from "../../tenant/types.js";
import { allOf, canonicalKey, dateRange, enumIn, indexesOf, indexIn, refIn, type CompiledFilter, type DateFilterInput, type Predicate } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { columnKey, listConnection, type ConnectionArgs } from "./list-connection.js";

interface TagInput {
  key: string;
  value?: string | null;
}

export interface VulnerabilityFindingFilterInput {
  id?: readonly string[] | null;
  status?: readonly string[] | null;
  severity?: readonly string[] | null;
  vendorSeverity?: readonly string[] | null;
  assetType?: readonly string[] | null;
  projectId?: readonly string[] | null;
  assetId?: readonly string[] | null;
  vulnerabilityExternalId?: readonly string[] | null;
  assetTags?: { containsAny?: readonly TagInput[] | null; containsAll?: readonly TagInput[] | null } | null;
  hasExploit?: boolean | null;
  hasCisaKevExploit?: boolean | null;
  hasFix?: boolean | null;
  updatedAt?: DateFilterInput | null;
  firstDetectedAt?: DateFilterInput | null;
  lastDetectedAt?: DateFilterInput | null;
  resolvedAt?: DateFilterInput | null;
}

function flag(column: Uint8Array, want: boolean | null | undefined): Predicate | undefined {
  if (typeof want !== "boolean") return undefined;
  const v = want ? 1 : 0;
  return (i) => column[i] === v;
}

export function compileFindingFilter(tenant: Tenant, f: VulnerabilityFindingFilterInput | null | undefined, now: number): CompiledFilter {
  const filter = f ?? {};
  const cols = tenant.vulnerabilityFindings.cols;
  const res = tenant.cloudResources.cols;
  const typeNames = tenant.resourceTypes.map((t) => t.type);
  const assetTypes = filter.assetType?.length ? new Set(typeNames.flatMap((name, at) => (filter.assetType?.includes(name) ? [at] : []))) : undefined;
  const fast: Array<Predicate | undefined> = [
    indexIn(indexesOf(filter.id, (id) => tenant.vulnerabilityFindings.indexOf(id))),
    enumIn(cols.status, filter.status, FINDING_STATUSES),
    enumIn(cols.severity, filter.severity, SEVERITIES),
    enumIn(cols.severity, filter.vendorSeverity, SEVERITIES),
    refIn(cols.project, indexesOf(filter.projectId, (id) => tenant.projects.indexOf(id))),
    refIn(cols.resource, indexesOf(filter.assetId, (id) => tenant.cloudResources.indexOf(id))),
    assetTypes ? (i) => assetTypes.has(res.type[cols.resource[i] as number] as number) : undefined,
    flag(cols.hasExploit, filter.hasExploit),
    flag(cols.hasFix, filter.hasFix),
    dateRange(cols.updatedAt, filter.updatedAt, now, "updatedAt"),
    dateRange(cols.firstDetectedAt, filter.firstDetectedAt, now, "firstDetectedAt"),
    dateRange(cols.lastDetectedAt, filter.lastDetectedAt, now, "lastDetectedAt"),
    dateRange(cols.resolvedAt, filter.resolvedAt, now, "resolvedAt"),
  ];
  const slow: Array<(r: WizRecord) => boolean> = [];
  if (filter.vulnerabilityExternalId?.length) {
    const names = new Set(filter.vulnerabilityExternalId);
    slow.push((r) => names.has(String(r.vulnerabilityExternalId ?? r.name)));
  }
  if (typeof filter.hasCisaKevExploit === "boolean") {
    const want = filter.hasCisaKevExploit;
    slow.push((r) => Boolean(r.hasCisaKevExploit) === want);
  }
  if (filter.assetTags?.containsAny?.length || filter.assetTags?.containsAll?.length) {
    const any = filter.assetTags.containsAny ?? [];
    const all = filter.assetTags.containsAll ?? [];
    const has = (tags: Record<string, unknown>, t: TagInput) => t.key in tags && (t.value === null || t.value === undefined || tags[t.key] === t.value);
    slow.push((r) => {
      const tags = (((r.vulnerableAsset ?? {}) as WizRecord).tags ?? {}) as Record<string, unknown>;
      return (any.length === 0 || any.some((t) => has(tags, t))) && all.every((t) => has(tags, t));
    });
  }
  const fastMatch = allOf(fast);
  const matches: Predicate = slow.length === 0 ? fastMatch : (i) => fastMatch(i) && slow.every((p) => p(tenant.vulnerabilityFindings.get(i)));
  return { matches, key: `vulnerabilityFindings:${canonicalKey(filter)}` };
}

interface OrderInput<F extends string> {
  field: F;
  direction: "ASC" | "DESC";
}

export function vulnerabilityFindings(
  _source: unknown,
  args: ConnectionArgs & { filterBy?: VulnerabilityFindingFilterInput | null; orderBy?: OrderInput<"RELATED_ISSUE_SEVERITY" | "FIRST_DETECTED_AT" | "LAST_DETECTED_AT" | "UPDATED_AT"> | null },
  context: SimContext,
) {
  const cols = context.tenant.vulnerabilityFindings.cols;
  const order = args.orderBy;
  const column = order ? { RELATED_ISSUE_SEVERITY: cols.severity, FIRST_DETECTED_AT: cols.firstDetectedAt, LAST_DETECTED_AT: cols.lastDetectedAt, UPDATED_AT: cols.updatedAt }[order.field] : undefined;
  return listConnection(context, args, {
    rootField: "vulnerabilityFindings",
    collection: context.tenant.vulnerabilityFindings,
    filter: compileFindingFilter(context.tenant, args.filterBy, context.clock.now()),
    sortKeys: column && order ? [columnKey(column, order.direction)] : undefined,
    orderKey: canonicalKey(order),
  });
}

export interface ConfigurationFindingFilterInput {
  id?: readonly string[] | null;
  status?: readonly string[] | null;
  severity?: readonly string[] | null;
  result?: readonly string[] | null;
  includeDeleted?: boolean | null;
  updatedAt?: DateFilterInput | null;
  analyzedAt?: DateFilterInput | null;
  resource?: { id?: readonly string[] | null } | null;
  rule?: { id?: readonly string[] | null } | null;
}

export function configurationFindings(
  _source: unknown,
  args: ConnectionArgs & { filterBy?: ConfigurationFindingFilterInput | null; orderBy?: OrderInput<"ANALYZED_AT" | "UPDATED_AT" | "SEVERITY"> | null },
  context: SimContext,
) {
  const { tenant } = context;
  const filter = args.filterBy ?? {};
  const cols = tenant.configurationFindings.cols;
  const now = context.clock.now();
  const rules = filter.rule?.id?.length ? new Set(tenant.rules.flatMap((r, at) => (filter.rule?.id?.includes(r.id) ? [at] : []))) : undefined;
  const fast = allOf([
    indexIn(indexesOf(filter.id, (id) => tenant.configurationFindings.indexOf(id))),
    enumIn(cols.status, filter.status, FINDING_STATUSES),
    enumIn(cols.severity, filter.severity, SEVERITIES),
    dateRange(cols.updatedAt, filter.updatedAt, now, "updatedAt"),
    dateRange(cols.analyzedAt, filter.analyzedAt, now, "analyzedAt"),
    refIn(cols.resource, indexesOf(filter.resource?.id, (id) => tenant.cloudResources.indexOf(id))),
    refIn(cols.rule, rules),
  ]);
  const results = filter.result?.length ? new Set(filter.result) : undefined;
  const matches: Predicate = results ? (i) => fast(i) && results.has(String(tenant.configurationFindings.get(i).result)) : fast;
  const order = args.orderBy;
  const column = order ? { ANALYZED_AT: cols.analyzedAt, UPDATED_AT: cols.updatedAt, SEVERITY: cols.severity }[order.field] : undefined;
  return listConnection(context, args, {
    rootField: "configurationFindings",
    collection: tenant.configurationFindings,
    filter: { matches, key: `configurationFindings:${canonicalKey(filter)}` },
    sortKeys: column && order ? [columnKey(column, order.direction)] : undefined,
    orderKey: canonicalKey(order),
  });
}
