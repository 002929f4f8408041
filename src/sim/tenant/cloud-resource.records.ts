/**
 * Cloud resources. Layout of the generated index space: [0, V) mirror the version-control resources,
 * [V, V+K) mirror the Kubernetes clusters, the rest are cloud resources, Kubernetes objects inside the
 * clusters, and container images. Columns hold type/platform/account/project/cluster and times; every
 * other attribute is regenerated from (seed, index) on demand.
 */
import {
  CONTAINER_IMAGES,
  ENVIRONMENT_WORDS,
  K8S_NAMESPACES,
  OCI_REGION_KEYS,
  OPERATING_SYSTEMS,
  REGIONS_BY_PROVIDER,
  SERVERLESS_RUNTIMES,
  SERVICE_WORDS,
  TEAM_NAMES,
  FIRST_NAMES,
  LAST_NAMES,
} from "./catalogue.js";
import { CLOUD_PROVIDERS, findGeneratedAccount, generatedAccountProvider, VCS_PROVIDERS } from "./cloud-account.records.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { RESOURCE_TYPES, type IdParts, type ResourceFamily } from "./resource-type.catalogue.js";
import { fieldUnit, recordRandom, rowKey, streamKey, type SeededRandom } from "./seeded-random.js";
import { at, between, DAY, HOUR, type AccountFacts, type ClusterFacts, type Exposure, type ResourceFacts, type TenantModel } from "./tenant-model.js";
import { CLOUD_PLATFORMS } from "./types.js";

const REPO_SUFFIXES = ["service", "api", "web", "infra", "worker", "lib", "sdk", "ui"] as const;
const platformCode = (name: string): number => Math.max(0, CLOUD_PLATFORMS.indexOf(name as (typeof CLOUD_PLATFORMS)[number]));
const specIndex = (predicate: (family: ResourceFamily, type: string, platform: string | undefined) => boolean): number =>
  RESOURCE_TYPES.findIndex((t) => predicate(t.family, t.type, t.platform));

interface WeightedSpecs {
  indexes: number[];
  cumulative: number[];
  total: number;
}

function weightedSpecs(family: ResourceFamily): WeightedSpecs {
  const indexes: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  RESOURCE_TYPES.forEach((spec, index) => {
    if (spec.family !== family) return;
    total += spec.weight;
    indexes.push(index);
    cumulative.push(total);
  });
  return { indexes, cumulative, total };
}

function pickSpec(specs: WeightedSpecs, u: number): number {
  const target = u * specs.total;
  for (let k = 0; k < specs.cumulative.length; k += 1) if (target < (specs.cumulative[k] ?? 0)) return specs.indexes[k] ?? 0;
  return specs.indexes[specs.indexes.length - 1] ?? 0;
}

/** Generates the resource columns of a new tenant. */
export function fillResourceColumns(model: TenantModel): void {
  const store = model.stores.cloudResources;
  const cols = store.cols;
  const size = store.size();
  const vcs = model.stores.versionControlResources.size();
  const clusterCount = model.stores.kubernetesClusters.size();
  const accounts = model.stores.cloudAccounts.size();
  const projects = model.stores.projects.size();
  const now = model.createdAt;
  const stream = streamKey(model.seed, KIND.cloudResource);
  const clusters: ClusterFacts[] = [];
  for (let c = 0; c < clusterCount; c += 1) {
    const facts = model.facts.cluster(c);
    if (facts) clusters.push(facts);
  }
  const families = new Map<string, WeightedSpecs>();
  for (const family of ["AWS", "Azure", "GCP", "OCI", "K8S"] as const) families.set(family, weightedSpecs(family));
  const imageSpec = specIndex((f) => f === "IMAGE");
  const projectOfAccount = (a: number): number => (a >= 0 && projects > 0 ? a % projects : -1);

  for (let i = 0; i < size; i += 1) {
    const row = rowKey(stream, i);
    let spec: number;
    let platform: string;
    let account: number;
    let cluster = -1;
    let project: number;
    if (i < vcs) {
      const repo = Math.floor(i / 3);
      account = accounts > 0 ? findGeneratedAccount(accounts, (repo * 5) % accounts, (p) => VCS_PROVIDERS.has(p)) : -1;
      platform = account >= 0 ? generatedAccountProvider(account) : "GitHub";
      if (account < 0 && accounts > 0) account = 0;
      const type = i % 3 === 0 ? "REPOSITORY" : "REPOSITORY_BRANCH";
      spec = specIndex((f, t, p) => f === "VCS" && t === type && p === platform);
      project = projectOfAccount(account);
    } else if (i < vcs + clusterCount) {
      const facts = clusters[i - vcs];
      cluster = i - vcs;
      platform = facts?.kind ?? "EKS";
      account = facts?.accountIndex ?? -1;
      spec = specIndex((f, _t, p) => f === "CLUSTER" && p === platform);
      project = facts?.projectIndex ?? -1;
    } else {
      const u = fieldUnit(row, 0);
      const firstRegular = i === vcs + clusterCount;
      const start = accounts > 0 ? Math.floor(fieldUnit(row, 1) * accounts) : 0;
      if (clusters.length > 0 && u < 0.38 && !firstRegular) {
        cluster = Math.floor(fieldUnit(row, 2) * clusters.length);
        const facts = clusters[cluster];
        platform = facts?.kind ?? "Kubernetes";
        account = facts?.accountIndex ?? -1;
        project = facts?.projectIndex ?? -1;
        spec = pickSpec(families.get("K8S") as WeightedSpecs, fieldUnit(row, 3));
      } else {
        const imageAccount = accounts > 0 ? findGeneratedAccount(accounts, start, (p) => p === "AWS" || p === "Azure" || p === "GCP") : -1;
        if (u < 0.45 && !firstRegular && imageAccount >= 0) {
          account = imageAccount;
          platform = generatedAccountProvider(account);
          spec = imageSpec;
        } else {
          account = accounts > 0 ? findGeneratedAccount(accounts, start, (p) => CLOUD_PROVIDERS.has(p)) : -1;
          platform = account >= 0 ? generatedAccountProvider(account) : "AWS";
          if (account < 0 && accounts > 0) account = 0;
          spec = firstRegular
            ? specIndex((f, t) => f === platform && t === "VIRTUAL_MACHINE")
            : pickSpec((families.get(platform) ?? families.get("AWS")) as WeightedSpecs, fieldUnit(row, 3));
        }
        project = fieldUnit(row, 4) < 0.85 || projects === 0 ? projectOfAccount(account) : Math.floor(fieldUnit(row, 4) * projects);
      }
    }
    const type = RESOURCE_TYPES[spec]?.type;
    const shortLived = type === "CONTAINER" || type === "POD";
    const firstSeen = at(now - HOUR - (shortLived ? fieldUnit(row, 5) * 14 * DAY : fieldUnit(row, 5) ** 0.7 * 730 * DAY));
    const deleted = fieldUnit(row, 6) < (shortLived ? 0.1 : 0.04);
    const lastSeen = deleted ? between(firstSeen, now, fieldUnit(row, 7)) : between(Math.max(firstSeen, now - 12 * HOUR), now, fieldUnit(row, 7));
    cols.type[i] = spec;
    cols.platform[i] = platformCode(platform);
    cols.account[i] = account;
    cols.project[i] = project;
    cols.cluster[i] = cluster;
    cols.firstSeen[i] = firstSeen;
    cols.lastSeen[i] = lastSeen;
    cols.deletedAt[i] = deleted ? lastSeen : Number.NaN;
    cols.updatedAt[i] = between(firstSeen, lastSeen, fieldUnit(row, 8));
  }
}

function exposureOf(rng: SeededRandom, type: string): Exposure {
  const internetFacing: Readonly<Record<string, number>> = { LOAD_BALANCER: 0.8, API_GATEWAY: 0.9, CDN: 0.95, VIRTUAL_MACHINE: 0.15, SERVERLESS: 0.2, BUCKET: 0.08, CONTAINER: 0.1, POD: 0.1, DATABASE: 0.05, KUBERNETES_CLUSTER: 0.3 };
  const identity = type === "ACCESS_ROLE" || type === "USER_ACCOUNT" || type === "SERVICE_ACCOUNT";
  const compute = type === "VIRTUAL_MACHINE" || type === "SERVERLESS" || type === "CONTAINER" || type === "POD";
  const dataStore = type === "BUCKET" || type === "DATABASE" || type === "STORAGE_ACCOUNT";
  const wide = rng.chance(internetFacing[type] ?? 0.01);
  const admin = rng.chance(identity ? 0.15 : compute ? 0.05 : 0);
  return {
    hasWideInternetExposure: wide,
    hasLimitedInternetExposure: !wide && rng.chance((internetFacing[type] ?? 0) / 2),
    isAccessibleFromVPN: rng.chance(compute ? 0.4 : 0.1),
    isAccessibleFromOtherVnets: rng.chance(compute ? 0.3 : 0.05),
    isAccessibleFromOtherSubscriptions: rng.chance(0.05),
    hasAdminPrivileges: admin,
    hasHighPrivileges: admin || rng.chance(identity ? 0.3 : compute ? 0.15 : 0),
    hasSensitiveData: rng.chance(dataStore ? 0.3 : 0),
    hasAccessToSensitiveData: rng.chance(dataStore ? 0.3 : compute || identity ? 0.2 : 0),
  };
}

const INSTANCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  AWS: ["t3.medium", "t3.large", "m5.xlarge", "m6i.2xlarge", "c6g.large", "r5.large"],
  Azure: ["Standard_B2s", "Standard_D4s_v5", "Standard_E8s_v5", "Standard_F4s_v2"],
  GCP: ["e2-standard-4", "n2-standard-8", "e2-medium", "c3-standard-4"],
  OCI: ["VM.Standard.E4.Flex", "VM.Standard3.Flex", "VM.Standard.A1.Flex"],
};

function baseFacts(model: TenantModel, index: number, account: AccountFacts | null): ResourceFacts {
  const cols = model.stores.cloudResources.cols;
  const project = cols.project[index] ?? -1;
  const deletedAt = cols.deletedAt[index] ?? Number.NaN;
  return {
    index,
    id: recordId(model.seed, KIND.cloudResource, index),
    name: "",
    type: RESOURCE_TYPES[cols.type[index] ?? 0]?.type ?? "CLOUD_RESOURCE",
    nativeType: RESOURCE_TYPES[cols.type[index] ?? 0]?.nativeType ?? null,
    cloudPlatform: CLOUD_PLATFORMS[cols.platform[index] ?? 0] ?? null,
    providerUniqueId: null,
    externalId: null,
    region: null,
    zone: null,
    status: Number.isNaN(deletedAt) ? "Active" : "Inactive",
    cloudProviderURL: null,
    resourceGroupExternalId: null,
    accountIndex: cols.account[index] ?? -1,
    subscriptionId: account?.id ?? null,
    subscriptionExternalId: account?.externalId ?? null,
    subscriptionName: account?.name ?? null,
    subscriptionTags: account ? { ...account.tags } : {},
    tags: {},
    projectIndexes: project >= 0 ? [project] : [],
    kubernetesClusterId: null,
    kubernetesClusterName: null,
    kubernetesNamespace: null,
    exposure: {
      hasLimitedInternetExposure: false,
      hasWideInternetExposure: false,
      isAccessibleFromVPN: false,
      isAccessibleFromOtherVnets: false,
      isAccessibleFromOtherSubscriptions: false,
      hasAdminPrivileges: false,
      hasHighPrivileges: false,
      hasSensitiveData: false,
      hasAccessToSensitiveData: false,
    },
    operatingSystem: null,
    instanceType: null,
    ipAddresses: [],
    runtime: null,
    imageId: null,
    imageExternalId: null,
    vmExternalId: null,
    podName: null,
    nodeName: null,
    serverlessContainer: false,
    repositoryName: null,
    repositoryUrl: null,
    firstSeen: cols.firstSeen[index] ?? Number.NaN,
    lastSeen: cols.lastSeen[index] ?? Number.NaN,
    updatedAt: cols.updatedAt[index] ?? Number.NaN,
    deletedAt,
  };
}

function repositoryName(model: TenantModel, repo: number): string {
  const offset = streamKey(model.seed, KIND.versionControlResource) % SERVICE_WORDS.length;
  const word = SERVICE_WORDS[(repo + offset) % SERVICE_WORDS.length] ?? "app";
  const suffix = REPO_SUFFIXES[Math.floor(repo / SERVICE_WORDS.length) % REPO_SUFFIXES.length] ?? "service";
  const round = Math.floor(repo / (SERVICE_WORDS.length * REPO_SUFFIXES.length));
  return `${word}-${suffix}${round > 0 ? `-${round + 1}` : ""}`;
}

function vcsFacts(model: TenantModel, facts: ResourceFacts, account: AccountFacts | null): void {
  const repo = Math.floor(facts.index / 3);
  const rng = recordRandom(model.seed, KIND.versionControlResource, repo, 9);
  const name = repositoryName(model, repo);
  const host = facts.cloudPlatform === "GitLab" ? "gitlab.com" : "github.com";
  const org = account?.externalId ?? model.names.company;
  const url = `https://${host}/${org}/${name}`;
  facts.repositoryName = name;
  facts.repositoryUrl = url;
  if (facts.index % 3 === 0) {
    facts.name = name;
    facts.providerUniqueId = `${host}##${org}/${name}`;
    facts.cloudProviderURL = url;
  } else {
    const branch = facts.index % 3 === 1 ? "main" : rng.pick(["develop", "release/2025.01", "staging"]);
    facts.name = branch;
    facts.providerUniqueId = `${host}##${org}/${name}##${branch}`;
    facts.cloudProviderURL = host === "gitlab.com" ? `${url}/-/tree/${branch}` : `${url}/tree/${branch}`;
  }
  facts.externalId = facts.providerUniqueId;
  facts.tags = { visibility: rng.chance(0.2) ? "public" : "private", language: rng.pick(["TypeScript", "Go", "Python", "Java"]) };
  facts.exposure = exposureOf(rng, facts.type);
}

function registryFor(provider: string, account: AccountFacts | null, region: string, company: string): string {
  switch (provider) {
    case "Azure":
      return `${company}acr.azurecr.io/${company}`;
    case "GCP":
      return `${region}-docker.pkg.dev/${account?.externalId ?? company}/${company}`;
    default:
      return `${account?.externalId ?? "123456789012"}.dkr.ecr.${region}.amazonaws.com/${company}`;
  }
}

function nodeNameFor(kind: string, rng: SeededRandom, clusterName: string): { node: string; vm: string } {
  switch (kind) {
    case "AKS": {
      const node = `aks-nodepool1-${rng.digits(8)}-vmss${rng.hex(6)}`;
      return { node, vm: node };
    }
    case "GKE": {
      const node = `gke-${clusterName.slice(0, 20)}-default-pool-${rng.hex(8)}-${rng.chars(4, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
      return { node, vm: node };
    }
    default:
      return { node: `ip-10-${rng.int(256)}-${rng.int(256)}-${rng.between(1, 254)}.ec2.internal`, vm: `i-0${rng.hex(16)}` };
  }
}

/** Every attribute of generated resource `index`, from the seed and its columns. */
export function generateResourceFacts(model: TenantModel, index: number): ResourceFacts {
  const cols = model.stores.cloudResources.cols;
  const accountIndex = cols.account[index] ?? -1;
  const account = accountIndex >= 0 ? model.facts.account(accountIndex) : null;
  const facts = baseFacts(model, index, account);
  const spec = RESOURCE_TYPES[cols.type[index] ?? 0];
  const rng = recordRandom(model.seed, KIND.cloudResource, index);
  if (!spec) return facts;
  if (spec.family === "VCS") {
    vcsFacts(model, facts, account);
    return facts;
  }
  const clusterIndex = cols.cluster[index] ?? -1;
  const cluster = clusterIndex >= 0 ? model.facts.cluster(clusterIndex) : null;
  const provider = account?.cloudProvider ?? "AWS";
  const region = cluster?.region ?? rng.pick(REGIONS_BY_PROVIDER[provider] ?? REGIONS_BY_PROVIDER.AWS ?? ["us-east-1"]);
  const env = account && rng.chance(0.8) ? account.env : rng.pick(ENVIRONMENT_WORDS);
  const service = rng.pick(SERVICE_WORDS);
  const team = rng.pick(TEAM_NAMES);
  facts.region = region;
  facts.zone = provider === "GCP" ? `${region}-${rng.pick(["a", "b", "c"])}` : provider === "AWS" ? `${region}${rng.pick(["a", "b", "c"])}` : null;
  facts.exposure = exposureOf(rng, spec.type);

  if (spec.family === "CLUSTER" && cluster) {
    facts.name = cluster.name;
    facts.providerUniqueId = cluster.externalId;
    facts.externalId = cluster.externalId;
    facts.kubernetesClusterId = cluster.id;
    facts.kubernetesClusterName = cluster.name;
    const parts: IdParts = { rng, name: cluster.name, region, zone: facts.zone ?? region, account: account?.externalId ?? "", resourceGroup: `rg-aks-${env}`, ociRegionKey: "iad", parent: "", host: "" };
    facts.cloudProviderURL = spec.consoleUrl(parts, cluster.externalId);
    facts.tags = { env, team, "managed-by": "terraform" };
    return facts;
  }

  const person = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`.toLowerCase();
  let name = spec.name({ rng, service, env, company: model.names.company, person });
  if (spec.family === "IMAGE") name = `${registryFor(provider, account, region, model.names.company)}/${rng.pick(CONTAINER_IMAGES)}:${name.slice(name.indexOf(":") + 1)}`;
  const resourceGroup = `rg-${service}-${env}`;
  const parts: IdParts = {
    rng,
    name,
    region,
    zone: facts.zone ?? region,
    account: account?.externalId ?? "",
    resourceGroup,
    ociRegionKey: OCI_REGION_KEYS[region] ?? "iad",
    parent: provider === "GCP" ? `${env}-keyring` : spec.nativeType.startsWith("Microsoft.Sql") ? `sql-${service}-${env}-${rng.hex(4)}` : `st${model.names.company}${service}`.slice(0, 20) + rng.hex(4),
    host: "",
  };
  const providerId = spec.providerId(parts);
  facts.name = name;
  facts.providerUniqueId = providerId;
  facts.externalId = providerId;
  facts.cloudProviderURL = spec.consoleUrl(parts, providerId);
  if (provider === "Azure" && spec.family !== "K8S" && spec.family !== "IMAGE") facts.resourceGroupExternalId = `/subscriptions/${account?.externalId ?? ""}/resourceGroups/${resourceGroup}`;
  facts.tags = spec.family === "K8S" ? { app: service, "app.kubernetes.io/part-of": service, team, env } : { env, team, application: service };
  if (spec.family !== "K8S" && rng.chance(0.4)) facts.tags["managed-by"] = "terraform";
  if (spec.family !== "K8S" && rng.chance(0.5)) facts.tags["cost-center"] = account?.tags["cost-center"] ?? "cc-0000";

  if (cluster) {
    facts.kubernetesClusterId = cluster.id;
    facts.kubernetesClusterName = cluster.name;
    const nsIndex = spec.type === "NAMESPACE" ? rng.int(K8S_NAMESPACES.length) : rng.int(K8S_NAMESPACES.length);
    const nsName = K8S_NAMESPACES[nsIndex] ?? "default";
    if (spec.type === "NAMESPACE") facts.name = nsName;
    facts.kubernetesNamespace = {
      id: recordId(model.seed, KIND.namespace, clusterIndex * 64 + nsIndex),
      name: nsName,
      providerUniqueId: recordId(model.seed, KIND.namespace, clusterIndex * 64 + nsIndex, 1),
    };
    facts.cloudPlatform = cluster.kind;
  }
  switch (spec.type) {
    case "VIRTUAL_MACHINE": {
      const windows = (provider === "Azure" || provider === "AWS") && rng.chance(0.15);
      facts.operatingSystem = windows ? rng.pick(["Windows Server 2019", "Windows Server 2022"]) : rng.pick(OPERATING_SYSTEMS.filter((os) => !os.startsWith("Windows")));
      facts.instanceType = rng.pick(INSTANCE_TYPES[provider] ?? INSTANCE_TYPES.AWS ?? ["t3.medium"]);
      facts.ipAddresses = [rng.ipv4(false)];
      if (facts.exposure.hasWideInternetExposure || facts.exposure.hasLimitedInternetExposure) facts.ipAddresses.push(rng.ipv4(true));
      break;
    }
    case "SERVERLESS":
      facts.runtime = rng.pick(SERVERLESS_RUNTIMES);
      break;
    case "CONTAINER_IMAGE":
      facts.imageId = providerId;
      facts.imageExternalId = providerId;
      break;
    case "CONTAINER":
    case "POD": {
      const images = model.picks.images;
      if (images.length > 0) {
        const image = model.facts.resource(images[rng.int(images.length)] ?? 0);
        facts.imageExternalId = image.providerUniqueId;
        facts.imageId = image.id;
      } else {
        facts.imageExternalId = `sha256:${rng.hex(64)}`;
      }
      const node = nodeNameFor(cluster?.kind ?? "EKS", rng, cluster?.name ?? "cluster");
      facts.podName = spec.type === "POD" ? name : `${service}-${rng.chars(10, "bcdfghjklmnpqrstvwxz2456789")}-${rng.chars(5, "bcdfghjklmnpqrstvwxz2456789")}`;
      facts.nodeName = node.node;
      facts.vmExternalId = node.vm;
      facts.serverlessContainer = cluster?.kind === "EKS" && rng.chance(0.1);
      break;
    }
    default:
      break;
  }
  return facts;
}
