/**
 * Generates a tenant from a seed: fills the columns of every collection (fast typed loops) and returns
 * the Tenant, whose records are materialised from the seed and the columns only when asked for.
 */
import { fillAuditColumns } from "./audit-log-entry.records.js";
import { COMPANY_NAMES, DETECTION_ORIGINS } from "./catalogue.js";
import { fillAccountColumns, generateAccountFacts } from "./cloud-account.records.js";
import { fillResourceColumns, generateResourceFacts } from "./cloud-resource.records.js";
import { byteColumn, ColumnStore, refColumn, shortColumn, timeColumn } from "./column-store.js";
import { fillConfigurationFindingColumns } from "./configuration-finding.records.js";
import { CVE_CATALOGUE } from "./cve.catalogue.js";
import { fillDetectionColumns } from "./detection.records.js";
import { fillIssueColumns } from "./issue.records.js";
import { clusterResourceIndex, generateClusterFacts } from "./kubernetes-cluster.records.js";
import { fillProjectColumns, generateProjectFacts } from "./project.records.js";
import { KIND } from "./record-kinds.js";
import { buildResourcePicks, type ResourcePicks } from "./resource-picks.js";
import { RESOURCE_TYPES } from "./resource-type.catalogue.js";
import { builtinRules } from "./rule.catalogue.js";
import { streamKey } from "./seeded-random.js";
import { resolveTenantCounts } from "./tenant-counts.js";
import { createTenant } from "./tenant-instance.js";
import { at, noChangedRows, type CollectionName, type FactSource, type RecordBuilders, type TenantModel, type TenantStores } from "./tenant-model.js";
import { fillUserColumns, generateUserFacts } from "./user.records.js";
import { fillVersionControlColumns } from "./version-control-resource.records.js";
import { fillFindingColumns } from "./vulnerability-finding.records.js";
import type { GenerateTenantOptions, Tenant, TenantCounts } from "./types.js";

/** Column stores sized for the given counts. */
export function createStores(counts: TenantCounts): TenantStores {
  const simple = (n: number) => new ColumnStore({ createdAt: timeColumn }, n);
  return {
    projects: simple(counts.projects),
    cloudAccounts: simple(counts.cloudAccounts),
    kubernetesClusters: simple(counts.kubernetesClusters),
    cloudResources: new ColumnStore(
      { firstSeen: timeColumn, lastSeen: timeColumn, updatedAt: timeColumn, deletedAt: timeColumn, type: shortColumn, platform: byteColumn, account: refColumn, project: refColumn, cluster: refColumn },
      counts.cloudResources,
    ),
    issues: new ColumnStore(
      {
        createdAt: timeColumn,
        updatedAt: timeColumn,
        statusChangedAt: timeColumn,
        resolvedAt: timeColumn,
        dueAt: timeColumn,
        status: byteColumn,
        severity: byteColumn,
        type: byteColumn,
        resource: refColumn,
        project: refColumn,
        rule: refColumn,
      },
      counts.issues,
    ),
    issueLinks: new ColumnStore({ firstDetection: refColumn }, counts.issues),
    vulnerabilityFindings: new ColumnStore(
      {
        firstDetectedAt: timeColumn,
        lastDetectedAt: timeColumn,
        updatedAt: timeColumn,
        resolvedAt: timeColumn,
        status: byteColumn,
        severity: byteColumn,
        resource: refColumn,
        project: refColumn,
        cve: refColumn,
        hasExploit: byteColumn,
        hasFix: byteColumn,
      },
      counts.vulnerabilityFindings,
    ),
    configurationFindings: new ColumnStore(
      { analyzedAt: timeColumn, updatedAt: timeColumn, status: byteColumn, severity: byteColumn, resource: refColumn, project: refColumn, rule: refColumn },
      counts.configurationFindings,
    ),
    detections: new ColumnStore(
      {
        createdAt: timeColumn,
        updatedAt: timeColumn,
        startedAt: timeColumn,
        severity: byteColumn,
        type: byteColumn,
        origin: byteColumn,
        resource: refColumn,
        project: refColumn,
        issue: refColumn,
        rule: refColumn,
      },
      counts.detections,
    ),
    detectionLinks: new ColumnStore({ nextDetection: refColumn }, counts.detections),
    auditLogEntries: new ColumnStore({ timestamp: timeColumn }, counts.auditLogEntries),
    versionControlResources: simple(counts.versionControlResources),
    users: simple(counts.users),
  };
}

export function emptyPicks(): ResourcePicks {
  const none = new Int32Array(0);
  return { vulnerable: none, images: none, byRule: [], toxicControls: none, threatControls: none, configurationRules: none, eventRules: none, eventRulesByFamily: new Map() };
}

/** Record builders before createTenant binds the real ones; nothing builds records while columns are filled. */
export function unboundRecords(): RecordBuilders {
  const unbound = (): never => {
    throw new Error("tenant records are not bound yet (createTenant binds them)");
  };
  return { project: unbound, cloudAccount: unbound, user: unbound, cloudResource: unbound, issue: unbound, detection: unbound };
}

export function storeSizes(stores: TenantStores): Record<CollectionName, number> {
  return {
    projects: stores.projects.size(),
    cloudAccounts: stores.cloudAccounts.size(),
    kubernetesClusters: stores.kubernetesClusters.size(),
    cloudResources: stores.cloudResources.size(),
    issues: stores.issues.size(),
    vulnerabilityFindings: stores.vulnerabilityFindings.size(),
    configurationFindings: stores.configurationFindings.size(),
    detections: stores.detections.size(),
    auditLogEntries: stores.auditLogEntries.size(),
    versionControlResources: stores.versionControlResources.size(),
    users: stores.users.size(),
  };
}

/** Memoises the facts of a small, never-growing collection (builders only read facts, never change them). */
function memo<F>(size: () => number, generate: (i: number) => F): (i: number) => F | null {
  const cache = new Map<number, F>();
  return (i) => {
    if (!Number.isInteger(i) || i < 0 || i >= size()) return null;
    let facts = cache.get(i);
    if (facts === undefined) {
      facts = generate(i);
      cache.set(i, facts);
    }
    return facts;
  };
}

/**
 * A direct-mapped cache: slot i % size keeps the newest entry. Bounded memory whatever the tenant size,
 * and a page of findings that shares a few thousand resources builds each resource's facts once.
 */
function slotCache<F>(slots: number, generate: (i: number) => F): (i: number) => F {
  const keys = new Int32Array(slots).fill(-1);
  const values: F[] = new Array<F>(slots);
  return (i) => {
    const slot = i % slots;
    if (keys[slot] === i) return values[slot] as F;
    const value = generate(i);
    keys[slot] = i;
    values[slot] = value;
    return value;
  };
}

// Resource facts never change after generation (activity touches issues, findings and detections only).
const RESOURCE_FACT_SLOTS = 16_384;

function generatedFacts(model: TenantModel): FactSource {
  const s = model.stores;
  return {
    resource: slotCache(RESOURCE_FACT_SLOTS, (i) => generateResourceFacts(model, i)),
    account: memo(() => s.cloudAccounts.size(), (i) => generateAccountFacts(model, i)),
    cluster: memo(() => s.kubernetesClusters.size(), (i) => generateClusterFacts(model, i)),
    project: memo(() => s.projects.size(), (i) => generateProjectFacts(model, i)),
    user: memo(() => s.users.size(), (i) => generateUserFacts(model, i)),
  };
}

/** A deterministic tenant: the same seed, size, counts and `now` give byte-identical records. */
export function generateTenant(options: GenerateTenantOptions): Tenant {
  if (!Number.isFinite(options.seed)) throw new RangeError(`generateTenant needs a finite numeric seed, got ${options.seed}`);
  if (!Number.isFinite(options.now)) throw new RangeError(`generateTenant needs \`now\` as epoch milliseconds, got ${options.now}`);
  const counts = resolveTenantCounts(options.size, options.counts);
  const stores = createStores(counts);
  const company = COMPANY_NAMES[streamKey(options.seed, KIND.tenantNames) % COMPANY_NAMES.length] ?? "acme";
  const model: TenantModel = {
    seed: options.seed,
    createdAt: at(options.now),
    names: { company, domain: `${company}.com` },
    stores,
    baseCounts: storeSizes(stores),
    rules: builtinRules(),
    resourceTypes: RESOURCE_TYPES.map((t) => ({ type: t.type, nativeType: t.nativeType })),
    detectionOrigins: [...DETECTION_ORIGINS],
    cves: [...CVE_CATALOGUE],
    issueOverlays: new Map(),
    detectionOverlays: new Map(),
    loaded: undefined,
    picks: emptyPicks(),
    facts: { resource: () => generateResourceFacts(model, 0), account: () => null, cluster: () => null, project: () => null, user: () => null },
    records: unboundRecords(),
    version: 1,
    issueCounts: undefined,
    accountStats: undefined,
    providerIdIndex: undefined,
    vulnerableAssets: new WeakMap(),
    changed: noChangedRows(),
  };
  model.facts = generatedFacts(model);
  fillProjectColumns(model);
  fillUserColumns(model);
  fillAccountColumns(model);
  fillResourceColumns(model);
  for (let c = 0; c < stores.kubernetesClusters.size(); c += 1) {
    stores.kubernetesClusters.cols.createdAt[c] = stores.cloudResources.cols.firstSeen[clusterResourceIndex(model, c)] ?? Number.NaN;
  }
  fillVersionControlColumns(model);
  model.picks = buildResourcePicks(stores.cloudResources.cols, stores.cloudResources.size(), model.resourceTypes, model.rules);
  fillIssueColumns(model);
  fillDetectionColumns(model);
  fillFindingColumns(model);
  fillConfigurationFindingColumns(model);
  fillAuditColumns(model);
  return createTenant(model);
}
