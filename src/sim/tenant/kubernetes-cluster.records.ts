/**
 * Managed Kubernetes clusters (EKS, AKS, GKE). Cluster c is mirrored by cloud resource
 * `clusterResourceIndex(c)`, which shares its id, name and provider id.
 */
import { REGIONS_BY_PROVIDER } from "./catalogue.js";
import { findGeneratedAccount, generatedAccountProvider } from "./cloud-account.records.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { RESOURCE_TYPES, type IdParts } from "./resource-type.catalogue.js";
import { recordRandom } from "./seeded-random.js";
import { type ClusterFacts, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

const KIND_OF_PROVIDER: Readonly<Record<string, string>> = { AWS: "EKS", Azure: "AKS", GCP: "GKE" };

/** Cloud resource index mirroring cluster c: right after the version-control block. */
export function clusterResourceIndex(model: TenantModel, cluster: number): number {
  return model.stores.versionControlResources.size() + cluster;
}

export function generateClusterFacts(model: TenantModel, index: number): ClusterFacts {
  const rng = recordRandom(model.seed, KIND.kubernetesCluster, index);
  const accounts = model.stores.cloudAccounts.size();
  const accountIndex = accounts > 0 ? findGeneratedAccount(accounts, (index * 7) % accounts, (p) => p in KIND_OF_PROVIDER) : -1;
  const account = accountIndex >= 0 ? model.facts.account(accountIndex) : null;
  const provider = accountIndex >= 0 ? generatedAccountProvider(accountIndex) : "AWS";
  const kind = KIND_OF_PROVIDER[provider] ?? "EKS";
  const spec = RESOURCE_TYPES.find((t) => t.family === "CLUSTER" && t.platform === kind) ?? RESOURCE_TYPES[0];
  const region = rng.pick(REGIONS_BY_PROVIDER[provider] ?? ["us-east-1"]);
  const env = account?.env ?? "prod";
  const name = `${spec?.name({ rng, service: "core", env, company: model.names.company, person: "" }) ?? "cluster"}-${String(index + 1).padStart(2, "0")}`;
  const parts: IdParts = {
    rng,
    name,
    region,
    zone: `${region}-a`,
    account: account?.externalId ?? "000000000000",
    resourceGroup: `rg-aks-${env}`,
    ociRegionKey: "iad",
    parent: "",
    host: "",
  };
  return {
    index,
    id: recordId(model.seed, KIND.cloudResource, clusterResourceIndex(model, index)),
    name,
    externalId: spec?.providerId(parts) ?? name,
    kind,
    cloudPlatform: kind,
    region,
    accountIndex,
    projectIndex: account?.projectIndex ?? -1,
  };
}

/** The KubernetesCluster node. */
export function kubernetesClusterRecord(model: TenantModel, facts: ClusterFacts): WizRecord {
  const rng = recordRandom(model.seed, KIND.kubernetesCluster, facts.index, 1);
  return {
    id: facts.id,
    externalId: facts.externalId,
    name: facts.name,
    kind: facts.kind,
    status: rng.weighted(["CONNECTED", "DISCONNECTED"], [95, 5]),
    isPrivate: rng.chance(0.4),
    isConnectedUsingBroker: rng.chance(0.2),
    connectors: [{ id: recordId(model.seed, KIND.connector, 100_000 + facts.index), name: `${facts.name} Kubernetes connector` }],
    cloudAccount: facts.accountIndex >= 0 && facts.accountIndex < model.stores.cloudAccounts.size() ? model.records.cloudAccount(facts.accountIndex) : null,
    projects: facts.projectIndex >= 0 && facts.projectIndex < model.stores.projects.size() ? [model.records.project(facts.projectIndex)] : [],
  };
}
