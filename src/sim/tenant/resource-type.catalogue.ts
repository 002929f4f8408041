/**
 * Resource types per provider: Wiz graph type, provider-native type, how names look and how the provider
 * unique id (ARN, Azure resource id, GCP full resource name, OCID, Kubernetes uid...) is built.
 */
import type { SeededRandom } from "./seeded-random.js";
import type { ResourceTypeDefinition } from "./types.js";

/** Which accounts a type lives in: a cloud provider, inside a Kubernetes cluster, an image registry, version control. */
export type ResourceFamily = "AWS" | "Azure" | "GCP" | "OCI" | "K8S" | "IMAGE" | "VCS" | "CLUSTER";

/** Everything a provider id or console URL may need; `rng` supplies the random parts (instance ids...). */
export interface IdParts {
  rng: SeededRandom;
  name: string;
  region: string;
  zone: string;
  /** AWS account id, Azure subscription GUID, GCP project id, OCI tenancy OCID, VCS org. */
  account: string;
  resourceGroup: string;
  ociRegionKey: string;
  /** Name of the parent (Azure storage account or SQL server, GCP key ring, VCS repository). */
  parent: string;
  host: string;
}

export interface NameParts {
  rng: SeededRandom;
  service: string;
  env: string;
  company: string;
  person: string;
}

export interface ResourceTypeSpec extends ResourceTypeDefinition {
  family: ResourceFamily;
  /** Relative frequency within its family. */
  weight: number;
  name(p: NameParts): string;
  providerId(p: IdParts): string;
  consoleUrl(p: IdParts, providerId: string): string | null;
  /** Fixed cloud platform (VCS); otherwise the account's provider or the cluster kind. */
  platform?: string;
}

const upper = (rng: SeededRandom, n: number): string => rng.chars(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const lowerAlnum = (rng: SeededRandom, n: number): string => rng.chars(n, "abcdefghijklmnopqrstuvwxyz0123456789");
const ocid = (kind: string, p: IdParts): string => `ocid1.${kind}.oc1.${p.ociRegionKey}.${lowerAlnum(p.rng, 60)}`;
const arnSuffix = (providerId: string): string => providerId.slice(providerId.search(/[/:][^/:]*$/) + 1);

const awsConsole =
  (path: (p: IdParts, id: string) => string) =>
  (p: IdParts, providerId: string): string =>
    `https://console.aws.amazon.com/${path(p, arnSuffix(providerId))}`;
const azureConsole = (_p: IdParts, providerId: string): string => `https://portal.azure.com/#@/resource${providerId}/overview`;
const gcpConsole =
  (path: string) =>
  (p: IdParts): string =>
    `https://console.cloud.google.com/${path}?project=${p.account}`;
const ociConsole =
  (path: string) =>
  (p: IdParts, providerId: string): string =>
    `https://cloud.oracle.com/${path}/${providerId}?region=${p.region}`;
const noConsole = (): null => null;
const azureId = (p: IdParts, provider: string): string => `/subscriptions/${p.account}/resourceGroups/${p.resourceGroup}/providers/${provider}`;

// Name-keyed provider ids (S3, IAM, Azure, GCP) must be unique, so names carry a short random suffix.
const sfx = (p: NameParts): string => p.rng.hex(4);
const host = (p: NameParts): string => `${p.service}-${p.env}-${sfx(p)}`;
const dashed = (p: NameParts, what: string): string => `${p.service}-${p.env}-${what}-${sfx(p)}`;
const bucketName = (p: NameParts): string => `${p.company}-${p.service}-${p.env}-${p.rng.hex(6)}`;
const compact = (p: NameParts): string => `${p.company}${p.service}${p.env}`.replace(/[^a-z0-9]/g, "").slice(0, 20) + p.rng.hex(4);
const podName = (p: NameParts): string => `${p.service}-${lowerAlnum(p.rng, 10)}-${lowerAlnum(p.rng, 5)}`;
const FUNCTION_VERBS = ["processor", "handler", "sync", "export", "webhook", "resizer", "notifier", "cleanup"];
const ROLE_NAMES = ["deploy", "readonly", "admin", "ci", "lambda-exec", "node", "backup", "support"];

export const RESOURCE_TYPES: readonly ResourceTypeSpec[] = [
  // AWS
  { family: "AWS", type: "VIRTUAL_MACHINE", nativeType: "ec2#instance", weight: 14, name: host, providerId: (p) => `arn:aws:ec2:${p.region}:${p.account}:instance/i-0${p.rng.hex(16)}`, consoleUrl: awsConsole((p, id) => `ec2/v2/home?region=${p.region}#InstanceDetails:instanceId=${id}`) },
  { family: "AWS", type: "BUCKET", nativeType: "s3#bucket", weight: 8, name: bucketName, providerId: (p) => `arn:aws:s3:::${p.name}`, consoleUrl: (p) => `https://s3.console.aws.amazon.com/s3/buckets/${p.name}` },
  { family: "AWS", type: "SERVERLESS", nativeType: "lambda#function", weight: 7, name: (p) => `${p.service}-${p.rng.pick(FUNCTION_VERBS)}-${p.env}-${sfx(p)}`, providerId: (p) => `arn:aws:lambda:${p.region}:${p.account}:function:${p.name}`, consoleUrl: awsConsole((p) => `lambda/home?region=${p.region}#/functions/${p.name}`) },
  { family: "AWS", type: "ACCESS_ROLE", nativeType: "iam#role", weight: 7, name: (p) => `${p.service}-${p.rng.pick(ROLE_NAMES)}-role-${sfx(p)}`, providerId: (p) => `arn:aws:iam::${p.account}:role/${p.name}`, consoleUrl: awsConsole((p) => `iam/home#/roles/${p.name}`) },
  { family: "AWS", type: "USER_ACCOUNT", nativeType: "iam#user", weight: 3, name: (p) => `${p.person}${p.rng.between(1, 999)}`, providerId: (p) => `arn:aws:iam::${p.account}:user/${p.name}`, consoleUrl: awsConsole((p) => `iam/home#/users/${p.name}`) },
  { family: "AWS", type: "DATABASE", nativeType: "rds#dbinstance", weight: 3, name: (p) => dashed(p, "db"), providerId: (p) => `arn:aws:rds:${p.region}:${p.account}:db:${p.name}`, consoleUrl: awsConsole((p) => `rds/home?region=${p.region}#database:id=${p.name}`) },
  { family: "AWS", type: "DATABASE", nativeType: "dynamodb#table", weight: 2, name: (p) => `${p.service}-${p.env}-${p.rng.pick(["events", "sessions", "state", "items"])}-${sfx(p)}`, providerId: (p) => `arn:aws:dynamodb:${p.region}:${p.account}:table/${p.name}`, consoleUrl: awsConsole((p) => `dynamodbv2/home?region=${p.region}#table?name=${p.name}`) },
  { family: "AWS", type: "VOLUME", nativeType: "ec2#volume", weight: 6, name: (p) => `${host(p)}-root`, providerId: (p) => `arn:aws:ec2:${p.region}:${p.account}:volume/vol-0${p.rng.hex(16)}`, consoleUrl: awsConsole((p, id) => `ec2/v2/home?region=${p.region}#VolumeDetails:volumeId=${id}`) },
  { family: "AWS", type: "FIREWALL", nativeType: "ec2#securitygroup", weight: 5, name: (p) => dashed(p, "sg"), providerId: (p) => `arn:aws:ec2:${p.region}:${p.account}:security-group/sg-0${p.rng.hex(16)}`, consoleUrl: awsConsole((p, id) => `ec2/v2/home?region=${p.region}#SecurityGroup:groupId=${id}`) },
  { family: "AWS", type: "VIRTUAL_NETWORK", nativeType: "ec2#vpc", weight: 2, name: (p) => dashed(p, "vpc"), providerId: (p) => `arn:aws:ec2:${p.region}:${p.account}:vpc/vpc-0${p.rng.hex(16)}`, consoleUrl: awsConsole((p, id) => `vpc/home?region=${p.region}#VpcDetails:VpcId=${id}`) },
  { family: "AWS", type: "ENCRYPTION_KEY", nativeType: "kms#key", weight: 2, name: (p) => dashed(p, "key"), providerId: (p) => `arn:aws:kms:${p.region}:${p.account}:key/${p.rng.uuid()}`, consoleUrl: awsConsole((p, id) => `kms/home?region=${p.region}#/kms/keys/${id}`) },
  { family: "AWS", type: "SECRET", nativeType: "secretsmanager#secret", weight: 2, name: (p) => `${p.env}/${p.service}/db-credentials`, providerId: (p) => `arn:aws:secretsmanager:${p.region}:${p.account}:secret:${p.name}-${p.rng.chars(6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}`, consoleUrl: awsConsole((p) => `secretsmanager/secret?name=${encodeURIComponent(p.name)}&region=${p.region}`) },
  { family: "AWS", type: "CONTAINER_REPOSITORY", nativeType: "ecr#repository", weight: 2, name: (p) => `${p.company}/${p.service}-${sfx(p)}`, providerId: (p) => `arn:aws:ecr:${p.region}:${p.account}:repository/${p.name}`, consoleUrl: awsConsole((p) => `ecr/repositories/private/${p.account}/${p.name}?region=${p.region}`) },
  { family: "AWS", type: "LOAD_BALANCER", nativeType: "elasticloadbalancing#loadbalancer", weight: 2, name: (p) => dashed(p, "alb"), providerId: (p) => `arn:aws:elasticloadbalancing:${p.region}:${p.account}:loadbalancer/app/${p.name}/${p.rng.hex(16)}`, consoleUrl: awsConsole((p) => `ec2/v2/home?region=${p.region}#LoadBalancers:search=${p.name}`) },
  { family: "AWS", type: "MESSAGING_SERVICE", nativeType: "sqs#queue", weight: 2, name: (p) => dashed(p, "queue"), providerId: (p) => `arn:aws:sqs:${p.region}:${p.account}:${p.name}`, consoleUrl: awsConsole((p) => `sqs/v2/home?region=${p.region}#/queues`) },
  { family: "AWS", type: "CDN", nativeType: "cloudfront#distribution", weight: 1, name: (p) => `${p.service}-${sfx(p)}.${p.company}.com`, providerId: (p) => `arn:aws:cloudfront::${p.account}:distribution/E${upper(p.rng, 13)}`, consoleUrl: awsConsole((_p, id) => `cloudfront/v4/home#/distributions/${id}`) },
  { family: "AWS", type: "API_GATEWAY", nativeType: "apigateway#restapi", weight: 1, name: (p) => dashed(p, "api"), providerId: (p) => `arn:aws:apigateway:${p.region}::/restapis/${lowerAlnum(p.rng, 10)}`, consoleUrl: awsConsole((p, id) => `apigateway/main/apis/${id}/resources?region=${p.region}`) },
  { family: "AWS", type: "DNS_ZONE", nativeType: "route53#hostedzone", weight: 1, name: (p) => `${p.env}-${sfx(p)}.${p.company}.com`, providerId: (p) => `arn:aws:route53:::hostedzone/Z${upper(p.rng, 13)}`, consoleUrl: awsConsole((_p, id) => `route53/v2/hostedzones#ListRecordSets/${id}`) },
  { family: "AWS", type: "SNAPSHOT", nativeType: "ec2#snapshot", weight: 2, name: (p) => `${host(p)}-backup`, providerId: (p) => `arn:aws:ec2:${p.region}::snapshot/snap-0${p.rng.hex(16)}`, consoleUrl: awsConsole((p, id) => `ec2/v2/home?region=${p.region}#SnapshotDetails:snapshotId=${id}`) },
  // Azure
  { family: "Azure", type: "VIRTUAL_MACHINE", nativeType: "Microsoft.Compute/virtualMachines", weight: 14, name: host, providerId: (p) => azureId(p, `Microsoft.Compute/virtualMachines/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "VOLUME", nativeType: "Microsoft.Compute/disks", weight: 6, name: (p) => `${host(p)}_OsDisk_1_${p.rng.hex(32)}`, providerId: (p) => azureId(p, `Microsoft.Compute/disks/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "STORAGE_ACCOUNT", nativeType: "Microsoft.Storage/storageAccounts", weight: 5, name: compact, providerId: (p) => azureId(p, `Microsoft.Storage/storageAccounts/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "BUCKET", nativeType: "Microsoft.Storage/storageAccounts/blobServices/containers", weight: 6, name: (p) => `${p.service}-${p.rng.pick(["uploads", "exports", "logs", "backups", "assets"])}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Storage/storageAccounts/${p.parent}/blobServices/default/containers/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "SERVERLESS", nativeType: "Microsoft.Web/sites", weight: 5, name: (p) => `${p.company}-${p.service}-func-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Web/sites/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "DATABASE", nativeType: "Microsoft.Sql/servers/databases", weight: 4, name: (p) => `${p.service}db-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Sql/servers/${p.parent}/databases/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "SECRET_CONTAINER", nativeType: "Microsoft.KeyVault/vaults", weight: 3, name: (p) => `kv-${p.service.slice(0, 9)}-${p.env.slice(0, 4)}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.KeyVault/vaults/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "VIRTUAL_NETWORK", nativeType: "Microsoft.Network/virtualNetworks", weight: 2, name: (p) => `vnet-${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Network/virtualNetworks/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "FIREWALL", nativeType: "Microsoft.Network/networkSecurityGroups", weight: 5, name: (p) => `nsg-${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Network/networkSecurityGroups/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "LOAD_BALANCER", nativeType: "Microsoft.Network/loadBalancers", weight: 2, name: (p) => `lb-${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.Network/loadBalancers/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "SERVICE_ACCOUNT", nativeType: "Microsoft.ManagedIdentity/userAssignedIdentities", weight: 4, name: (p) => `id-${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.ManagedIdentity/userAssignedIdentities/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "CONTAINER_REGISTRY", nativeType: "Microsoft.ContainerRegistry/registries", weight: 1, name: compact, providerId: (p) => azureId(p, `Microsoft.ContainerRegistry/registries/${p.name}`), consoleUrl: azureConsole },
  { family: "Azure", type: "MESSAGING_SERVICE", nativeType: "Microsoft.ServiceBus/namespaces", weight: 2, name: (p) => `sb-${p.company}-${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => azureId(p, `Microsoft.ServiceBus/namespaces/${p.name}`), consoleUrl: azureConsole },
  // GCP
  { family: "GCP", type: "VIRTUAL_MACHINE", nativeType: "compute#instance", weight: 14, name: host, providerId: (p) => `//compute.googleapis.com/projects/${p.account}/zones/${p.zone}/instances/${p.name}`, consoleUrl: gcpConsole("compute/instances") },
  { family: "GCP", type: "VOLUME", nativeType: "compute#disk", weight: 6, name: host, providerId: (p) => `//compute.googleapis.com/projects/${p.account}/zones/${p.zone}/disks/${p.name}`, consoleUrl: gcpConsole("compute/disks") },
  { family: "GCP", type: "VIRTUAL_NETWORK", nativeType: "compute#network", weight: 2, name: (p) => `${p.env}-vpc-${sfx(p)}`, providerId: (p) => `//compute.googleapis.com/projects/${p.account}/global/networks/${p.name}`, consoleUrl: gcpConsole("networking/networks/list") },
  { family: "GCP", type: "FIREWALL", nativeType: "compute#firewall", weight: 5, name: (p) => `allow-${p.service}-${p.rng.pick(["ssh", "https", "internal", "health-checks"])}-${sfx(p)}`, providerId: (p) => `//compute.googleapis.com/projects/${p.account}/global/firewalls/${p.name}`, consoleUrl: gcpConsole("networking/firewalls/list") },
  { family: "GCP", type: "BUCKET", nativeType: "storage#bucket", weight: 8, name: bucketName, providerId: (p) => `//storage.googleapis.com/${p.name}`, consoleUrl: (p) => `https://console.cloud.google.com/storage/browser/${p.name}?project=${p.account}` },
  { family: "GCP", type: "SERVERLESS", nativeType: "cloudfunctions#function", weight: 4, name: (p) => `${p.service}-${p.rng.pick(FUNCTION_VERBS)}-${sfx(p)}`, providerId: (p) => `//cloudfunctions.googleapis.com/projects/${p.account}/locations/${p.region}/functions/${p.name}`, consoleUrl: gcpConsole("functions/list") },
  { family: "GCP", type: "SERVERLESS", nativeType: "run#service", weight: 4, name: (p) => `${p.service}-${p.env}-${sfx(p)}`, providerId: (p) => `//run.googleapis.com/projects/${p.account}/locations/${p.region}/services/${p.name}`, consoleUrl: gcpConsole("run") },
  { family: "GCP", type: "SERVICE_ACCOUNT", nativeType: "iam#serviceAccount", weight: 5, name: (p) => `${p.service.slice(0, 12)}-${p.rng.pick(ROLE_NAMES).slice(0, 8)}-${sfx(p)}`, providerId: (p) => `//iam.googleapis.com/projects/${p.account}/serviceAccounts/${p.name}@${p.account}.iam.gserviceaccount.com`, consoleUrl: gcpConsole("iam-admin/serviceaccounts") },
  { family: "GCP", type: "DATABASE", nativeType: "sqladmin#instance", weight: 3, name: (p) => dashed(p, "pg"), providerId: (p) => `//cloudsql.googleapis.com/projects/${p.account}/instances/${p.name}`, consoleUrl: gcpConsole("sql/instances") },
  { family: "GCP", type: "DATABASE", nativeType: "bigquery#dataset", weight: 2, name: (p) => `${p.service}_${p.env}_${sfx(p)}`, providerId: (p) => `//bigquery.googleapis.com/projects/${p.account}/datasets/${p.name}`, consoleUrl: gcpConsole("bigquery") },
  { family: "GCP", type: "ENCRYPTION_KEY", nativeType: "cloudkms#cryptoKey", weight: 2, name: (p) => `${p.service}-key-${sfx(p)}`, providerId: (p) => `//cloudkms.googleapis.com/projects/${p.account}/locations/${p.region}/keyRings/${p.parent}/cryptoKeys/${p.name}`, consoleUrl: gcpConsole("security/kms/keyrings") },
  { family: "GCP", type: "MESSAGING_SERVICE", nativeType: "pubsub#topic", weight: 2, name: (p) => `${p.service}-events-${sfx(p)}`, providerId: (p) => `//pubsub.googleapis.com/projects/${p.account}/topics/${p.name}`, consoleUrl: gcpConsole("cloudpubsub/topic/list") },
  // OCI
  { family: "OCI", type: "VIRTUAL_MACHINE", nativeType: "core#instance", weight: 10, name: host, providerId: (p) => ocid("instance", p), consoleUrl: ociConsole("compute/instances") },
  { family: "OCI", type: "BUCKET", nativeType: "objectstorage#bucket", weight: 5, name: bucketName, providerId: (p) => ocid("bucket", p), consoleUrl: ociConsole("object-storage/buckets") },
  { family: "OCI", type: "VOLUME", nativeType: "core#volume", weight: 4, name: (p) => `${host(p)}-bv`, providerId: (p) => ocid("volume", p), consoleUrl: ociConsole("block-storage/volumes") },
  { family: "OCI", type: "VIRTUAL_NETWORK", nativeType: "core#vcn", weight: 2, name: (p) => `vcn-${p.env}`, providerId: (p) => ocid("vcn", p), consoleUrl: ociConsole("networking/vcns") },
  { family: "OCI", type: "DATABASE", nativeType: "database#autonomousdatabase", weight: 2, name: (p) => `${p.service}${p.env}adb`, providerId: (p) => ocid("autonomousdatabase", p), consoleUrl: ociConsole("db/adb") },
  { family: "OCI", type: "SERVERLESS", nativeType: "functions#function", weight: 2, name: (p) => `${p.service}-fn`, providerId: (p) => ocid("fnfunc", p), consoleUrl: ociConsole("functions/apps") },
  // Kubernetes objects: provider ids are Kubernetes uids, containers use the runtime container id.
  { family: "K8S", type: "NAMESPACE", nativeType: "Namespace", weight: 3, name: (p) => p.service, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "POD", nativeType: "Pod", weight: 14, name: podName, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "CONTAINER", nativeType: "Container", weight: 18, name: (p) => p.service, providerId: (p) => p.rng.hex(64), consoleUrl: noConsole },
  { family: "K8S", type: "DEPLOYMENT", nativeType: "Deployment", weight: 6, name: (p) => p.service, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "DAEMON_SET", nativeType: "DaemonSet", weight: 1, name: (p) => p.rng.pick(["fluent-bit", "node-exporter", "wiz-sensor", "kube-proxy"]), providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "STATEFUL_SET", nativeType: "StatefulSet", weight: 1, name: (p) => p.rng.pick(["redis", "postgres", "kafka", "zookeeper"]), providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "SERVICE_ACCOUNT", nativeType: "ServiceAccount", weight: 3, name: (p) => `${p.service}-sa`, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "KUBERNETES_SERVICE", nativeType: "Service", weight: 4, name: (p) => `${p.service}-svc`, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "KUBERNETES_INGRESS", nativeType: "Ingress", weight: 1, name: (p) => `${p.service}-ingress`, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "CONFIG_MAP", nativeType: "ConfigMap", weight: 3, name: (p) => `${p.service}-config`, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  { family: "K8S", type: "SECRET", nativeType: "Secret", weight: 2, name: (p) => `${p.service}-tls`, providerId: (p) => p.rng.uuid(), consoleUrl: noConsole },
  // Container images, identified by digest.
  { family: "IMAGE", type: "CONTAINER_IMAGE", nativeType: "ContainerImage", weight: 1, name: (p) => `${p.service}:${p.rng.pick(["latest", "1.4.2", "2024.11.3", "v3", "main-" + p.rng.hex(7)])}`, providerId: (p) => `sha256:${p.rng.hex(64)}`, consoleUrl: noConsole },
  // Version control (mirrored by versionControlResources); ids as the Wiz VCS connector writes them.
  { family: "VCS", platform: "GitHub", type: "REPOSITORY", nativeType: "repository", weight: 1, name: (p) => `${p.service}-service`, providerId: (p) => `github.com##${p.account}/${p.name}`, consoleUrl: (p) => `https://github.com/${p.account}/${p.name}` },
  { family: "VCS", platform: "GitHub", type: "REPOSITORY_BRANCH", nativeType: "branch", weight: 1, name: (p) => p.rng.pick(["main", "develop", "release"]), providerId: (p) => `github.com##${p.account}/${p.parent}##${p.name}`, consoleUrl: (p) => `https://github.com/${p.account}/${p.parent}/tree/${p.name}` },
  { family: "VCS", platform: "GitLab", type: "REPOSITORY", nativeType: "project", weight: 1, name: (p) => `${p.service}-service`, providerId: (p) => `gitlab.com##${p.account}/${p.name}`, consoleUrl: (p) => `https://gitlab.com/${p.account}/${p.name}` },
  { family: "VCS", platform: "GitLab", type: "REPOSITORY_BRANCH", nativeType: "branch", weight: 1, name: (p) => p.rng.pick(["main", "develop", "release"]), providerId: (p) => `gitlab.com##${p.account}/${p.parent}##${p.name}`, consoleUrl: (p) => `https://gitlab.com/${p.account}/${p.parent}/-/tree/${p.name}` },
  // Managed Kubernetes clusters (mirrored by kubernetesClusters).
  { family: "CLUSTER", platform: "EKS", type: "KUBERNETES_CLUSTER", nativeType: "eks#cluster", weight: 1, name: (p) => `${p.company}-${p.env}-eks`, providerId: (p) => `arn:aws:eks:${p.region}:${p.account}:cluster/${p.name}`, consoleUrl: awsConsole((p) => `eks/home?region=${p.region}#/clusters/${p.name}`) },
  { family: "CLUSTER", platform: "AKS", type: "KUBERNETES_CLUSTER", nativeType: "Microsoft.ContainerService/managedClusters", weight: 1, name: (p) => `aks-${p.company}-${p.env}`, providerId: (p) => azureId(p, `Microsoft.ContainerService/managedClusters/${p.name}`), consoleUrl: azureConsole },
  { family: "CLUSTER", platform: "GKE", type: "KUBERNETES_CLUSTER", nativeType: "container#cluster", weight: 1, name: (p) => `gke-${p.company}-${p.env}`, providerId: (p) => `//container.googleapis.com/projects/${p.account}/locations/${p.region}/clusters/${p.name}`, consoleUrl: gcpConsole("kubernetes/list/overview") },
];

/** Resource types whose vulnerabilities Wiz reports (the VulnerableAsset union members). */
export const VULNERABLE_ASSET_TYPENAME: Readonly<Record<string, string>> = {
  VIRTUAL_MACHINE: "VulnerableAssetVirtualMachine",
  SERVERLESS: "VulnerableAssetServerless",
  CONTAINER_IMAGE: "VulnerableAssetContainerImage",
  CONTAINER: "VulnerableAssetContainer",
  REPOSITORY_BRANCH: "VulnerableAssetRepositoryBranch",
};
