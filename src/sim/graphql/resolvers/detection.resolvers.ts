import { CLOUD_PLATFORMS, DETECTION_TYPES, SEVERITIES } from "../../tenant/types.js";
import { allOf, canonicalKey, dateRange, enumIn, equalsList, indexesOf, indexIn, refIn, type DateFilterInput, type Predicate } from "../filters/filter-predicates.js";
import type { SimContext } from "../sim-context.js";
import { notFound } from "../wiz-graphql-error.js";
import { columnKey, listConnection, type ConnectionArgs } from "./list-connection.js";

type Equals = { equals?: readonly string[] | null } | null | undefined;

export interface DetectionFilterInput {
  id?: Equals;
  issueId?: readonly string[] | null;
  type?: Equals;
  severity?: Equals;
  cloudPlatform?: Equals;
  origin?: Equals;
  cloudAccountOrCloudOrganizationId?: Equals;
  resource?: { id?: Equals } | null;
  matchedRule?: { id?: readonly string[] | null } | null;
  matchedRuleName?: Equals;
  projectId?: readonly string[] | null;
  createdAt?: DateFilterInput | null;
  updatedAt?: DateFilterInput | null;
}

interface DetectionsArgs extends ConnectionArgs {
  filterBy?: DetectionFilterInput | null;
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT"; direction: "ASC" | "DESC" } | null;
  enforceTimestampContinuity?: boolean | null;
}

export function detections(_source: unknown, args: DetectionsArgs, context: SimContext) {
  const { tenant } = context;
  const now = context.clock.now();
  // Wiz quirk (Elastic defend_v2): any filterBy without `type` implies type = GENERATED_THREAT.
  const filter: DetectionFilterInput | undefined = args.filterBy ? { ...args.filterBy, type: args.filterBy.type ?? { equals: ["GENERATED_THREAT"] } } : undefined;
  const f = filter ?? {};
  const cols = tenant.detections.cols;
  const res = tenant.cloudResources.cols;
  const resourceOf = (i: number): number => cols.resource[i] as number;
  const onResource = (pred: Predicate | undefined): Predicate | undefined => (pred ? (i) => resourceOf(i) >= 0 && pred(resourceOf(i)) : undefined);
  const ruleIds = f.matchedRule?.id;
  const ruleNames = equalsList(f.matchedRuleName);
  const rules =
    ruleIds?.length || ruleNames?.length
      ? new Set(tenant.rules.flatMap((r, at) => ((ruleIds ?? []).includes(r.id) || (ruleNames ?? []).includes(r.name) ? [at] : [])))
      : undefined;
  const matches = allOf([
    indexIn(indexesOf(equalsList(f.id), (id) => tenant.detections.indexOf(id))),
    refIn(cols.issue, indexesOf(f.issueId, (id) => tenant.issues.indexOf(id))),
    enumIn(cols.type, equalsList(f.type), DETECTION_TYPES),
    enumIn(cols.severity, equalsList(f.severity), SEVERITIES),
    enumIn(cols.origin, equalsList(f.origin), tenant.detectionOrigins),
    onResource(enumIn(res.platform, equalsList(f.cloudPlatform), CLOUD_PLATFORMS)),
    onResource(refIn(res.account, indexesOf(equalsList(f.cloudAccountOrCloudOrganizationId), (id) => tenant.cloudAccounts.indexOf(id)))),
    refIn(cols.resource, indexesOf(equalsList(f.resource?.id), (id) => tenant.cloudResources.indexOf(id))),
    refIn(cols.rule, rules),
    refIn(cols.project, indexesOf(f.projectId, (id) => tenant.projects.indexOf(id))),
    dateRange(cols.createdAt, f.createdAt, now, "createdAt"),
    dateRange(cols.updatedAt, f.updatedAt, now, "updatedAt"),
  ]);
  const order = args.orderBy;
  return listConnection(context, args, {
    rootField: "detections",
    collection: tenant.detections,
    filter: { matches, key: `detections:${canonicalKey({ ...f, ...(f.createdAt?.inLast || f.updatedAt?.inLast ? { now } : {}) })}` },
    sortKeys: order ? [columnKey(order.field === "CREATED_AT" ? cols.createdAt : cols.updatedAt, order.direction)] : undefined,
    orderKey: canonicalKey(order),
  });
}

export function detection(_source: unknown, args: { id: string }, context: SimContext) {
  const index = context.tenant.detections.indexOf(args.id);
  if (index === undefined) throw notFound();
  context.nodes += 1;
  return context.tenant.detections.get(index);
}
