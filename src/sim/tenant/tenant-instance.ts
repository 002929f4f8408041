/**
 * The Tenant object over a model: collections with id codecs, record builders (recorded base when the
 * tenant was loaded, generated otherwise), the provider-id index and the mutations.
 */
import { generateCloudAccountRecord } from "./cloud-account.records.js";
import { buildAuditLogRecord } from "./audit-log-entry.records.js";
import type { ColumnStore, TypedColumn } from "./column-store.js";
import { buildConfigurationFindingRecord } from "./configuration-finding.records.js";
import { buildDetectionRecord } from "./detection.records.js";
import { addIssueNote, deleteIssueNote, raiseThreatIssue, updateIssue } from "./issue-mutations.js";
import { buildIssueRecord } from "./issue.records.js";
import { kubernetesClusterRecord } from "./kubernetes-cluster.records.js";
import { generateProjectRecord } from "./project.records.js";
import { RecordCollection, type RecordIdCodec } from "./record-collection.js";
import { decodeRecordId, recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { cloudResourceRecord } from "./resource-shapes.js";
import { simulateActivity } from "./tenant-activity.js";
import { restoreTenant, snapshotTenant, type TenantBase } from "./tenant-state.js";
import type { CollectionName, TenantModel } from "./tenant-model.js";
import type { Tenant, WizRecord } from "./types.js";
import { userRecord } from "./user.records.js";
import { buildVersionControlRecord } from "./version-control-resource.records.js";
import { buildFindingRecord } from "./vulnerability-finding.records.js";

/** Ids of a collection: recorded ids for loaded records, generated (decodable) ids from `offset` on. */
function idCodec(model: TenantModel, name: CollectionName, kind: number, offset = 0): RecordIdCodec {
  const recorded = model.loaded?.ids[name];
  const recordedCount = model.loaded ? model.baseCounts[name] : 0;
  const loadedRecords = model.loaded?.records[name];
  return {
    idAt(index) {
      const own = index < recordedCount ? loadedRecords?.[index]?.id : undefined;
      return typeof own === "string" ? own : recordId(model.seed, kind, index + offset);
    },
    indexOf(id) {
      const known = recorded?.get(id) ?? recorded?.get(id.toLowerCase());
      if (known !== undefined) return known;
      const decoded = decodeRecordId(model.seed, kind, id);
      if (!decoded || decoded.sub !== 0) return undefined;
      const index = decoded.index - offset;
      return index >= recordedCount ? index : undefined;
    },
  };
}

function loadedOr(model: TenantModel, name: CollectionName, index: number, generate: () => WizRecord): WizRecord {
  const loaded = model.loaded?.records[name]?.[index];
  return loaded ? (structuredClone(loaded) as WizRecord) : generate();
}

// Kubernetes namespaces, containers and other runtime ids are often sent with a runtime prefix.
const RUNTIME_PREFIX = /^(?:containerd|docker|cri-o|crio):\/\//;

function providerIdIndex(model: TenantModel): Map<string, number> {
  if (model.providerIdIndex) return model.providerIdIndex;
  const index = new Map<string, number>();
  const add = (key: string | null, i: number): void => {
    if (!key || index.has(key)) return;
    index.set(key, i);
    // Azure resource ids are case-insensitive.
    if (key.startsWith("/subscriptions/")) {
      const lower = key.toLowerCase();
      if (!index.has(lower)) index.set(lower, i);
    }
  };
  for (let i = 0; i < model.stores.cloudResources.size(); i += 1) {
    const facts = model.facts.resource(i);
    add(facts.providerUniqueId, i);
    if (facts.externalId !== facts.providerUniqueId) add(facts.externalId, i);
  }
  model.providerIdIndex = index;
  return index;
}

function collection<C extends { [K in keyof C]: TypedColumn }>(name: CollectionName, store: ColumnStore<C>, ids: RecordIdCodec, build: (index: number) => WizRecord) {
  return new RecordCollection<C>(name, store, ids, build);
}

export function createTenant(model: TenantModel): Tenant {
  const s = model.stores;
  const base: TenantBase = { rules: model.rules.length, detectionOrigins: model.detectionOrigins.length };
  const vcsCount = s.versionControlResources.size();
  // Projects are embedded in most records; build each once per tenant version and share it (frozen).
  const projectCache = new Map<number, { version: number; record: WizRecord }>();
  model.records = {
    project: (i) => {
      const hit = projectCache.get(i);
      if (hit && hit.version === model.version) return hit.record;
      const record = Object.freeze(loadedOr(model, "projects", i, () => generateProjectRecord(model, i)));
      projectCache.set(i, { version: model.version, record });
      return record;
    },
    cloudAccount: (i) => loadedOr(model, "cloudAccounts", i, () => generateCloudAccountRecord(model, i)),
    user: (i) =>
      loadedOr(model, "users", i, () => {
        const facts = model.facts.user(i);
        return facts ? userRecord(facts) : { id: recordId(model.seed, KIND.user, i), name: null, email: null };
      }),
    cloudResource: (i) => loadedOr(model, "cloudResources", i, () => cloudResourceRecord(model, model.facts.resource(i))),
    issue: (i, nested) => buildIssueRecord(model, i, nested),
    detection: (i, nested) => buildDetectionRecord(model, i, nested),
  };
  const cluster = (i: number): WizRecord =>
    loadedOr(model, "kubernetesClusters", i, () => {
      const facts = model.facts.cluster(i);
      return facts ? kubernetesClusterRecord(model, facts) : { id: recordId(model.seed, KIND.cloudResource, vcsCount + i) };
    });
  return {
    seed: model.seed,
    version: () => model.version,
    projects: collection("projects", s.projects, idCodec(model, "projects", KIND.project), model.records.project),
    cloudAccounts: collection("cloudAccounts", s.cloudAccounts, idCodec(model, "cloudAccounts", KIND.cloudAccount), model.records.cloudAccount),
    // Clusters and version-control resources share the ids of the cloud resources that mirror them.
    kubernetesClusters: collection("kubernetesClusters", s.kubernetesClusters, idCodec(model, "kubernetesClusters", KIND.cloudResource, vcsCount), cluster),
    cloudResources: collection("cloudResources", s.cloudResources, idCodec(model, "cloudResources", KIND.cloudResource), model.records.cloudResource),
    issues: collection("issues", s.issues, idCodec(model, "issues", KIND.issue), (i) => model.records.issue(i, false)),
    vulnerabilityFindings: collection("vulnerabilityFindings", s.vulnerabilityFindings, idCodec(model, "vulnerabilityFindings", KIND.vulnerabilityFinding), (i) => buildFindingRecord(model, i)),
    configurationFindings: collection("configurationFindings", s.configurationFindings, idCodec(model, "configurationFindings", KIND.configurationFinding), (i) => buildConfigurationFindingRecord(model, i)),
    detections: collection("detections", s.detections, idCodec(model, "detections", KIND.detection), (i) => model.records.detection(i, false)),
    auditLogEntries: collection("auditLogEntries", s.auditLogEntries, idCodec(model, "auditLogEntries", KIND.auditLogEntry), (i) => buildAuditLogRecord(model, i)),
    versionControlResources: collection("versionControlResources", s.versionControlResources, idCodec(model, "versionControlResources", KIND.cloudResource), (i) => buildVersionControlRecord(model, i)),
    users: collection("users", s.users, idCodec(model, "users", KIND.user), model.records.user),
    rules: model.rules,
    resourceTypes: model.resourceTypes,
    detectionOrigins: model.detectionOrigins,
    resourceByProviderId(providerId) {
      if (typeof providerId !== "string" || providerId === "") return undefined;
      const index = providerIdIndex(model);
      const bare = providerId.replace(RUNTIME_PREFIX, "");
      return index.get(providerId) ?? index.get(bare) ?? (providerId.startsWith("/subscriptions/") ? index.get(providerId.toLowerCase()) : undefined);
    },
    updateIssue: (index, change, override, by, now) => updateIssue(model, index, change, override, by, now),
    addIssueNote: (index, note, now) => addIssueNote(model, index, note, now),
    deleteIssueNote: (noteId, now) => deleteIssueNote(model, noteId, now),
    raiseThreatIssue: (init, now) => raiseThreatIssue(model, init, now),
    simulateActivity: (now, previous, ratePerHour) => simulateActivity(model, now, previous, ratePerHour),
    snapshot: () => snapshotTenant(model, base),
    restore: (state) => restoreTenant(model, base, state),
  };
}
