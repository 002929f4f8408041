import { CLOUD_PLATFORMS, ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type Tenant, type WizRecord } from "../../tenant/types.js";
import { allOf, canonicalKey, dateRange, enumIn, indexesOf, indexIn, refIn, type CompiledFilter, type DateFilterInput, type Predicate } from "./filter-predicates.js";

/** IssueFilters as clients send them: bare arrays or scalars (list coercion turns a scalar into a list of one). */
export interface IssueFilterInput {
  id?: readonly string[] | null;
  status?: readonly string[] | null;
  severity?: readonly string[] | null;
  type?: readonly string[] | null;
  createdAt?: DateFilterInput | null;
  updatedAt?: DateFilterInput | null;
  statusChangedAt?: DateFilterInput | null;
  resolvedAt?: DateFilterInput | null;
  dueAt?: DateFilterInput | null;
  relatedEntity?: { id?: readonly string[] | null; ids?: readonly string[] | null; type?: readonly string[] | null; cloudPlatform?: readonly string[] | null } | null;
  project?: readonly string[] | null;
  search?: string | null;
  cloudAccountOrCloudOrganizationId?: readonly string[] | null;
  eventOrigin?: { equals?: readonly string[] | null } | null;
  threatResource?: { ids?: readonly string[] | null } | null;
  sourceRule?: { id?: readonly string[] | null } | null;
  resolutionReason?: readonly string[] | null;
  hasServiceTicket?: boolean | null;
  hasNote?: boolean | null;
  [other: string]: unknown;
}

/** Compiles an issuesV2 filterBy into a predicate over the issue columns (record fields only where no column exists). */
export function compileIssueFilter(tenant: Tenant, filter: IssueFilterInput | null | undefined, now: number): CompiledFilter {
  const f = filter ?? {};
  const cols = tenant.issues.cols;
  const res = tenant.cloudResources.cols;
  const resourceOf = (i: number): number => cols.resource[i] as number;
  const onResource = (pred: Predicate | undefined): Predicate | undefined => (pred ? (i) => pred(resourceOf(i)) : undefined);

  const related = f.relatedEntity ?? undefined;
  const relatedIds = [...(related?.id ?? []), ...(related?.ids ?? [])];
  const resourceTypeNames = tenant.resourceTypes.map((t) => t.type);
  const accountIds = f.cloudAccountOrCloudOrganizationId;

  const fast: Array<Predicate | undefined> = [
    indexIn(indexesOf(f.id, (id) => tenant.issues.indexOf(id))),
    enumIn(cols.status, f.status, ISSUE_STATUSES),
    enumIn(cols.severity, f.severity, SEVERITIES),
    enumIn(cols.type, f.type, ISSUE_TYPES),
    dateRange(cols.createdAt, f.createdAt, now, "createdAt"),
    dateRange(cols.updatedAt, f.updatedAt, now, "updatedAt"),
    dateRange(cols.statusChangedAt, f.statusChangedAt, now, "statusChangedAt"),
    dateRange(cols.resolvedAt, f.resolvedAt, now, "resolvedAt"),
    dateRange(cols.dueAt, f.dueAt, now, "dueAt"),
    refIn(cols.resource, relatedIds.length > 0 ? indexesOf(relatedIds, (id) => tenant.cloudResources.indexOf(id)) : undefined),
    refIn(cols.resource, indexesOf(f.threatResource?.ids, (id) => tenant.cloudResources.indexOf(id))),
    onResource(related?.type?.length ? typeIn(res.type, related.type, resourceTypeNames) : undefined),
    onResource(enumIn(res.platform, related?.cloudPlatform, CLOUD_PLATFORMS)),
    onResource(refIn(res.account, indexesOf(accountIds, (id) => tenant.cloudAccounts.indexOf(id)))),
    refIn(cols.project, indexesOf(f.project, (id) => tenant.projects.indexOf(id))),
    f.sourceRule?.id?.length ? ruleIn(cols.rule, f.sourceRule.id, tenant) : undefined,
    f.eventOrigin?.equals?.length ? enumIn(cols.type, ["THREAT_DETECTION"], ISSUE_TYPES) : undefined,
  ];
  const slow = recordPredicates(f);
  const fastMatch = allOf(fast);
  const matches: Predicate =
    slow.length === 0
      ? fastMatch
      : (i) => {
          if (!fastMatch(i)) return false;
          const record = tenant.issues.get(i);
          return slow.every((p) => p(record));
        };
  return { matches, key: `issues:${canonicalKey({ ...f, ...(f.createdAt?.inLast || f.updatedAt?.inLast ? { now } : {}) })}` };
}

// Filters on fields that are not columns: evaluated on the materialised record, after the column filters.
function recordPredicates(f: IssueFilterInput): Array<(record: WizRecord) => boolean> {
  const out: Array<(record: WizRecord) => boolean> = [];
  if (f.search) {
    const needle = f.search.toLowerCase();
    out.push((r) => {
      const snapshot = (r.entitySnapshot ?? {}) as WizRecord;
      const rule = (r.sourceRule ?? {}) as WizRecord;
      return [r.id, snapshot.name, snapshot.providerId, rule.name].some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
    });
  }
  if (f.resolutionReason?.length) {
    const reasons = new Set(f.resolutionReason);
    out.push((r) => typeof r.resolutionReason === "string" && reasons.has(r.resolutionReason));
  }
  if (typeof f.hasServiceTicket === "boolean") {
    const want = f.hasServiceTicket;
    out.push((r) => (Array.isArray(r.serviceTickets) && r.serviceTickets.length > 0) === want);
  }
  if (typeof f.hasNote === "boolean") {
    const want = f.hasNote;
    out.push((r) => (Array.isArray(r.notes) && r.notes.length > 0) === want);
  }
  if (f.eventOrigin?.equals?.length) {
    const origins = new Set(f.eventOrigin.equals);
    out.push((r) => {
      const details = (r.threatDetectionDetails ?? {}) as WizRecord;
      return typeof details.eventOrigin === "string" && origins.has(details.eventOrigin);
    });
  }
  return out;
}

function typeIn(column: Uint16Array, values: readonly string[], names: readonly string[]): Predicate {
  const allowed = new Set<number>();
  names.forEach((name, at) => {
    if (values.includes(name)) allowed.add(at);
  });
  return (i) => allowed.has(column[i] as number);
}

function ruleIn(column: Int32Array, ids: readonly string[], tenant: Tenant): Predicate {
  const wanted = new Set<number>();
  tenant.rules.forEach((rule, at) => {
    if (ids.includes(rule.id)) wanted.add(at);
  });
  return (i) => wanted.has(column[i] as number);
}

