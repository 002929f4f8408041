/**
 * The many shapes a cloud resource takes in Wiz records (CloudResource/CloudResourceV2 node, GraphEntity,
 * issue entitySnapshot, VulnerableAsset union member, configuration finding resource, detection
 * resource), all built from one ResourceFacts so they always agree.
 */
import { derivedNestedId } from "./record-ids.js";
import { VULNERABLE_ASSET_TYPENAME } from "./resource-type.catalogue.js";
import { wizTime, type ResourceFacts, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

/** `tags` as a list of {key, value} (configuration findings, cloudResourcesV2). */
export function tagList(tags: Readonly<Record<string, string>>): WizRecord[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

const ENVIRONMENT_LABEL: Readonly<Record<string, string>> = {
  PRODUCTION: "Production",
  STAGING: "Staging",
  DEVELOPMENT: "Development",
  TESTING: "Testing",
  OTHER: "Other",
};

/** Wiz Environment enum values implied by the resource's `env` tag. */
export function environmentsOf(f: ResourceFacts): string[] {
  const env = (f.tags.env ?? f.tags.environment ?? f.subscriptionTags.env ?? "").toLowerCase();
  if (env.startsWith("prod")) return ["PRODUCTION"];
  if (env.startsWith("stag")) return ["STAGING"];
  if (env.startsWith("dev")) return ["DEVELOPMENT"];
  if (env === "qa" || env.startsWith("test")) return ["TESTING"];
  return env ? ["OTHER"] : [];
}

/** The free-form `properties` of the resource's graph entity (keys as AM's output schema shows them). */
export function entityProperties(f: ResourceFacts): WizRecord {
  const properties: WizRecord = {
    _environments: environmentsOf(f).map((e) => ENVIRONMENT_LABEL[e] ?? e),
    _productIDs: [],
    _vertexID: f.id,
    cloudPlatform: f.cloudPlatform,
    cloudProviderURL: f.cloudProviderURL,
    externalId: f.externalId,
    name: f.name,
    nativeType: f.nativeType,
    providerUniqueId: f.providerUniqueId,
    region: f.region,
    resourceGroupExternalId: f.resourceGroupExternalId,
    status: f.status,
    subscriptionExternalId: f.subscriptionExternalId,
    updatedAt: wizTime(f.updatedAt),
    zone: f.zone,
    tags: { ...f.tags },
  };
  if (f.operatingSystem !== null) properties.operatingSystem = f.operatingSystem;
  if (f.instanceType !== null) properties.instanceType = f.instanceType;
  if (f.ipAddresses.length > 0) properties.ipAddresses = [...f.ipAddresses];
  if (f.runtime !== null) properties.runtime = f.runtime;
  if (f.imageExternalId !== null) properties.imageExternalId = f.imageExternalId;
  if (f.kubernetesClusterName !== null) properties.kubernetes_clusterName = f.kubernetesClusterName;
  if (f.kubernetesNamespace !== null) properties.kubernetes_namespaceName = f.kubernetesNamespace.name;
  if (f.podName !== null) properties.podName = f.podName;
  if (f.nodeName !== null) properties.nodeName = f.nodeName;
  if (f.repositoryName !== null) properties.repositoryName = f.repositoryName;
  return properties;
}

function projectRecords(model: TenantModel, f: ResourceFacts): WizRecord[] {
  return f.projectIndexes.filter((p) => p >= 0 && p < model.stores.projects.size()).map((p) => model.records.project(p));
}

function accountRecord(model: TenantModel, f: ResourceFacts): WizRecord | null {
  return f.accountIndex >= 0 && f.accountIndex < model.stores.cloudAccounts.size() ? model.records.cloudAccount(f.accountIndex) : null;
}

/** The GraphEntity of the resource (cloudResources graphEntity, issue entity, detection graphEntity). */
export function graphEntity(model: TenantModel, f: ResourceFacts): WizRecord {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    providerUniqueId: f.providerUniqueId,
    properties: entityProperties(f),
    deletedAt: wizTime(f.deletedAt),
    firstSeen: wizTime(f.firstSeen),
    lastSeen: wizTime(f.lastSeen),
    projects: projectRecords(model, f),
    userMetadata: { isInWatchlist: false, isIgnored: false, note: null },
    technologies: [],
  };
}

/** A GraphEntity for an entity that is not a cloud resource record (namespace, cluster reference). */
export function graphEntityStub(id: string, name: string | null, type: string, providerUniqueId: string | null): WizRecord {
  return { id, name, type, providerUniqueId, properties: { name, providerUniqueId }, deletedAt: null, firstSeen: null, lastSeen: null, projects: [], userMetadata: null, technologies: [] };
}

/** The node of cloudResources and cloudResourcesV2 (one record serves both selections). */
export function cloudResourceRecord(model: TenantModel, f: ResourceFacts): WizRecord {
  const deleted = !Number.isNaN(f.deletedAt);
  const group = f.resourceGroupExternalId;
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    nativeType: f.nativeType,
    cloudPlatform: f.cloudPlatform,
    providerUniqueId: f.providerUniqueId,
    externalId: f.externalId,
    region: f.region,
    regionLocation: null,
    status: f.status,
    subscriptionId: f.subscriptionId,
    subscriptionExternalId: f.subscriptionExternalId,
    subscriptionName: f.subscriptionName,
    cloudAccount: accountRecord(model, f),
    projects: projectRecords(model, f),
    tags: tagList(f.tags),
    resourceGroup: group ? { id: group, name: group.slice(group.lastIndexOf("/") + 1) } : null,
    createdAt: wizTime(f.firstSeen),
    updatedAt: wizTime(f.updatedAt),
    deletedAt: wizTime(f.deletedAt),
    firstSeen: wizTime(f.firstSeen),
    lastSeen: wizTime(f.lastSeen),
    isAvailableOnGraph: !deleted,
    graphEntity: graphEntity(model, f),
    technology: null,
    isOpenToAllInternet: f.exposure.hasWideInternetExposure,
    isAccessibleFromInternet: f.exposure.hasWideInternetExposure || f.exposure.hasLimitedInternetExposure,
    hasAccessToSensitiveData: f.exposure.hasAccessToSensitiveData,
    hasAdminPrivileges: f.exposure.hasAdminPrivileges,
    hasHighPrivileges: f.exposure.hasHighPrivileges,
    hasSensitiveData: f.exposure.hasSensitiveData,
    typeFields:
      f.type === "VIRTUAL_MACHINE"
        ? { __typename: "CloudResourceV2VirtualMachine", instanceType: f.instanceType, operatingSystem: f.operatingSystem }
        : f.type === "DATABASE"
          ? { __typename: "CloudResourceV2Database", kind: f.nativeType }
          : null,
  };
}

/** Issue `entitySnapshot`, with the fields REFERENCE 2.1 lists; tags as JSON objects. */
export function entitySnapshot(f: ResourceFacts): WizRecord {
  return {
    id: f.id,
    type: f.type,
    nativeType: f.nativeType,
    name: f.name,
    status: f.status,
    cloudPlatform: f.cloudPlatform,
    cloudProviderURL: f.cloudProviderURL,
    providerId: f.providerUniqueId,
    region: f.region,
    resourceGroupExternalId: f.resourceGroupExternalId,
    subscriptionId: f.subscriptionId,
    subscriptionExternalId: f.subscriptionExternalId,
    subscriptionName: f.subscriptionName,
    subscriptionTags: { ...f.subscriptionTags },
    tags: { ...f.tags },
    externalId: f.externalId,
    kubernetesClusterId: f.kubernetesClusterId,
    kubernetesClusterName: f.kubernetesClusterName,
    kubernetesNamespaceName: f.kubernetesNamespace?.name ?? null,
    containerServiceId: f.kubernetesClusterId,
    containerServiceName: f.kubernetesClusterName,
  };
}

/**
 * Vulnerability finding `vulnerableAsset`. Findings of one resource share it: built once per facts object
 * (the model's cache), frozen so no reader can change it for the others.
 */
export function vulnerableAsset(model: TenantModel, f: ResourceFacts): WizRecord {
  let asset = model.vulnerableAssets.get(f);
  if (!asset) {
    asset = Object.freeze(buildVulnerableAsset(f));
    model.vulnerableAssets.set(f, asset);
  }
  return asset;
}

/** A union member with `__typename` and its type's own fields. */
function buildVulnerableAsset(f: ResourceFacts): WizRecord {
  const base: WizRecord = {
    __typename: VULNERABLE_ASSET_TYPENAME[f.type] ?? "VulnerableAssetVirtualMachine",
    id: f.id,
    type: f.type,
    name: f.name,
    region: f.region,
    providerUniqueId: f.providerUniqueId,
    cloudProviderURL: f.cloudProviderURL,
    cloudPlatform: f.cloudPlatform,
    status: f.status,
    subscriptionName: f.subscriptionName,
    subscriptionExternalId: f.subscriptionExternalId,
    subscriptionId: f.subscriptionId,
    tags: { ...f.tags },
    hasLimitedInternetExposure: f.exposure.hasLimitedInternetExposure,
    hasWideInternetExposure: f.exposure.hasWideInternetExposure,
    isAccessibleFromVPN: f.exposure.isAccessibleFromVPN,
    isAccessibleFromOtherVnets: f.exposure.isAccessibleFromOtherVnets,
    isAccessibleFromOtherSubscriptions: f.exposure.isAccessibleFromOtherSubscriptions,
  };
  switch (base.__typename) {
    case "VulnerableAssetServerless":
      return { ...base, runtime: f.runtime };
    case "VulnerableAssetContainerImage":
      return { ...base, imageId: f.imageId };
    case "VulnerableAssetContainer":
      return {
        ...base,
        ImageExternalId: f.imageExternalId,
        VmExternalId: f.vmExternalId,
        ServerlessContainer: f.serverlessContainer,
        PodNamespace: f.kubernetesNamespace?.name ?? null,
        PodName: f.podName,
        NodeName: f.nodeName,
      };
    case "VulnerableAssetRepositoryBranch":
      return { ...base, repositoryName: f.repositoryName };
    default:
      return { ...base, operatingSystem: f.operatingSystem, ipAddresses: [...f.ipAddresses] };
  }
}

/** Configuration finding `resource` (tags as a list of pairs, the account as `subscription`). */
export function configurationFindingResource(model: TenantModel, f: ResourceFacts): WizRecord {
  return {
    id: f.id,
    providerId: f.providerUniqueId,
    name: f.name,
    nativeType: f.nativeType,
    type: f.type,
    region: f.region,
    cloudPlatform: f.cloudPlatform,
    subscription: accountRecord(model, f),
    tags: tagList(f.tags),
  };
}

/** Detection `resources[]` / `primaryResource` and threat details resources. */
export function detectionResource(model: TenantModel, f: ResourceFacts): WizRecord {
  const ns = f.kubernetesNamespace;
  const cluster = f.kubernetesClusterId ? graphEntityStub(f.kubernetesClusterId, f.kubernetesClusterName, "KUBERNETES_CLUSTER", null) : null;
  const namespace = ns ? graphEntityStub(ns.id, ns.name, "NAMESPACE", ns.providerUniqueId) : null;
  // A pod's controller is its Deployment: the pod name without the ReplicaSet and pod suffixes.
  const controllerName = ns && f.podName ? f.podName.replace(/-[a-z0-9]+-[a-z0-9]+$/, "") : null;
  const controller = ns && controllerName ? graphEntityStub(derivedNestedId(f.id, "kubernetesController", 0), controllerName, "DEPLOYMENT", `${ns.providerUniqueId}/deployments/${controllerName}`) : null;
  // Serverless containers (Fargate, Cloud Run, ACI) run in a container service rather than a cluster.
  const service = f.serverlessContainer ? graphEntityStub(derivedNestedId(f.id, "containerService", 0), `${f.name}-service`, "CONTAINER_SERVICE", null) : null;
  return {
    id: f.id,
    externalId: f.externalId,
    name: f.name,
    type: f.type,
    nativeType: f.nativeType,
    region: f.region,
    providerUniqueId: f.providerUniqueId,
    cloudAccount: accountRecord(model, f),
    kubernetesCluster: cluster,
    kubernetesNamespace: namespace,
    graphEntity: graphEntity(model, f),
    containerService: service,
    containerServiceGraphEntity: service,
    kubernetesClusterGraphEntity: cluster,
    kubernetesNamespaceGraphEntity: namespace,
    kubernetesController: controller,
    kubernetesControllerGraphEntity: controller,
    openToAllInternet: f.exposure.hasWideInternetExposure,
  };
}
