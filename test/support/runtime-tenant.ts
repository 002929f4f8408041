import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A recorded simulator tenant (`startSimulator({tenantDir})`) holding the resources the runtime
 * fixtures in test/fixtures/runtime/ point at, chosen so every rung of the resolution ladder is used:
 * each fixture lists the resource its alert must land on and the rung that gets it there.
 */

interface Seed {
  id: string;
  name: string;
  type: string;
  nativeType: string;
  cloudPlatform: string;
  providerUniqueId: string;
  namespace?: string;
  cluster?: string;
  externalId?: string;
  /** Deleted from the cloud: the graph still has it, but uploads to it are not matched (handled < incoming). */
  deleted?: boolean;
}

const uuid = (n: number): string => `7e570000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const RUNTIME_RESOURCES = {
  falcoK8sPod: { id: uuid(1), name: "kubernetes-pod-1", type: "POD", nativeType: "Pod", cloudPlatform: "Kubernetes", providerUniqueId: "aadadjh763wiuh", namespace: "kubernetes-ns" },
  falcoImageContainer: { id: uuid(2), name: "event-generator", type: "CONTAINER", nativeType: "Container", cloudPlatform: "Kubernetes", providerUniqueId: "9656db3bb3588e7b23da7d48fe889434573036c27ae5a74837233de441c3601e" },
  falcoNodeVm: { id: uuid(3), name: "a2000de987ff", type: "VIRTUAL_MACHINE", nativeType: "ec2#instance", cloudPlatform: "AWS", providerUniqueId: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a2000de987ff0001" },
  sidekickHostVm: { id: uuid(4), name: "test-host", type: "VIRTUAL_MACHINE", nativeType: "ec2#instance", cloudPlatform: "AWS", providerUniqueId: "arn:aws:ec2:eu-west-1:123456789012:instance/i-0test0host0000001" },
  guardDutyVm: { id: uuid(5), name: "gd-sample-instance", type: "VIRTUAL_MACHINE", nativeType: "ec2#instance", cloudPlatform: "AWS", providerUniqueId: "arn:aws:ec2:us-east-1:123456789012:instance/i-99999999", externalId: "i-99999999" },
  wordpressDeployment: { id: uuid(6), name: "wordpress", type: "DEPLOYMENT", nativeType: "Deployment", cloudPlatform: "Kubernetes", providerUniqueId: "5d1e0f6a-6b55-4c1c-9d0e-00000000wp01", namespace: "wordpress-mysql", cluster: "default" },
  modsecAlb: { id: uuid(7), name: "shop-frontend-alb", type: "LOAD_BALANCER", nativeType: "elasticloadbalancing#loadbalancer", cloudPlatform: "AWS", providerUniqueId: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-frontend/50dc6c495c0c9188" },
  gkeCluster: { id: uuid(8), name: "gke-alliances-demo-6", type: "KUBERNETES_CLUSTER", nativeType: "container#cluster", cloudPlatform: "GKE", providerUniqueId: "//container.googleapis.com/projects/alliances-demo/locations/us-central1/clusters/gke-alliances-demo-6" },
  merlinContainer: { id: uuid(9), name: "merlin-agent", type: "CONTAINER", nativeType: "Container", cloudPlatform: "Kubernetes", providerUniqueId: "a51959123c3ba99a9f50a700b4c1f8e9d2a7c3b5e6f708192a3b4c5d6e7f8091" },
  privilegedPod: { id: uuid(10), name: "privileged-pod", type: "POD", nativeType: "Pod", cloudPlatform: "Kubernetes", providerUniqueId: "0c5e6f7a-1b2c-4d3e-8f90-privileged01", namespace: "default" },
  elasticsearchDeployment: { id: uuid(11), name: "elasticsearch", type: "DEPLOYMENT", nativeType: "Deployment", cloudPlatform: "Kubernetes", providerUniqueId: "0c5e6f7a-1b2c-4d3e-8f90-elasticsear1", namespace: "tenant-jobs" },
  jammyVm: { id: uuid(12), name: "ubuntu-jammy", type: "VIRTUAL_MACHINE", nativeType: "compute#instance", cloudPlatform: "GCP", providerUniqueId: "//compute.googleapis.com/projects/tracee-lab/zones/us-central1-a/instances/ubuntu-jammy" },
  /** The pod Wiz still lists but no longer matches: the upload reports it unresolved, the alert moves on to its DaemonSet. */
  traceeDeletedPod: { id: uuid(13), name: "tracee-wk8wh", type: "POD", nativeType: "Pod", cloudPlatform: "Kubernetes", providerUniqueId: "5cb83966-e274-48f1-89fb-25bd748d2773", namespace: "tracee-system", deleted: true },
  traceeDaemonSet: { id: uuid(14), name: "tracee", type: "DAEMON_SET", nativeType: "DaemonSet", cloudPlatform: "Kubernetes", providerUniqueId: "0c5e6f7a-1b2c-4d3e-8f90-traceeds0001", namespace: "tracee-system" },
  wafAlbAcl: { id: uuid(15), name: "test", type: "FIREWALL", nativeType: "wafv2#webacl", cloudPlatform: "AWS", providerUniqueId: "arn:aws:wafv2:ap-southeast-2:12345:regional/webacl/test/111" },
  wafHeaderAcl: { id: uuid(16), name: "STMTest", type: "FIREWALL", nativeType: "wafv2#webacl", cloudPlatform: "AWS", providerUniqueId: "arn:aws:wafv2:ap-southeast-2:EXAMPLE12345:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE" },
  localhostEndpoint: { id: uuid(17), name: "localhost", type: "ENDPOINT", nativeType: "endpoint", cloudPlatform: "AWS", providerUniqueId: "https://localhost:1989" },
  /** Same name as the privileged pod, other namespace: the namespace check must skip it. */
  decoyPod: { id: uuid(18), name: "privileged-pod", type: "POD", nativeType: "Pod", cloudPlatform: "Kubernetes", providerUniqueId: "0c5e6f7a-1b2c-4d3e-8f90-decoypod0001", namespace: "kube-system" },
} satisfies Record<string, Seed>;

export type RuntimeResourceName = keyof typeof RUNTIME_RESOURCES;

/** The operator config the fixtures need: the ModSecurity host is mapped to its load balancer. */
export const RUNTIME_SERVICE_MAPPINGS: Readonly<Record<string, string>> = {
  "test.website.com": RUNTIME_RESOURCES.modsecAlb.providerUniqueId,
};

/** Every fixture the adapters accept, with where its alert must land and by which rung. */
export const RUNTIME_FIXTURE_EXPECTATIONS: ReadonlyArray<{ source: string; file: string; resource: RuntimeResourceName; rung: string }> = [
  { source: "falco", file: "falco-json-output-read-sensitive-file-k8s.json", resource: "falcoK8sPod", rung: "k8s-pod" },
  { source: "falco", file: "falco-json-output-read-sensitive-file-container-image.json", resource: "falcoImageContainer", rung: "k8s-container" },
  { source: "falco", file: "falco-json-output-run-shell-untrusted.json", resource: "falcoNodeVm", rung: "node-vm" },
  { source: "falcosidekick", file: "falcosidekick-test-input-payload.json", resource: "sidekickHostVm", rung: "node-vm" },
  { source: "guardduty", file: "guardduty-runtime-finding-cgroups-release-agent-partial.json", resource: "guardDutyVm", rung: "node-vm" },
  { source: "kubearmor", file: "kubearmor-alert-matchedpolicy-block-process.json", resource: "wordpressDeployment", rung: "k8s-controller" },
  { source: "modsecurity", file: "modsecurity-v2-json-audit-sqli-blocked.json", resource: "modsecAlb", rung: "service-mapping" },
  { source: "sysdig", file: "sysdig-secure-event-workload-runtime-detection-gke.json", resource: "gkeCluster", rung: "k8s-cluster" },
  { source: "tetragon", file: "tetragon-process-connect-merlin-c2-legacy.json", resource: "merlinContainer", rung: "k8s-container" },
  { source: "tetragon", file: "tetragon-process-exec-privileged-pod-nsenter.json", resource: "privilegedPod", rung: "k8s-pod" },
  { source: "tetragon", file: "tetragon-process-kprobe-read-keystore.json", resource: "elasticsearchDeployment", rung: "k8s-controller" },
  { source: "tracee", file: "tracee-detection-anti-debugging-trc102.json", resource: "jammyVm", rung: "node-vm" },
  { source: "tracee", file: "tracee-event-fileless-execution-k8s-pod.json", resource: "traceeDaemonSet", rung: "k8s-controller" },
  { source: "aws-waf", file: "aws-waf-log-block-sqli-alb-source.json", resource: "wafAlbAcl", rung: "cloud-id" },
  { source: "aws-waf", file: "aws-waf-log-block-sqli-header.json", resource: "wafHeaderAcl", rung: "cloud-id" },
  { source: "aws-waf", file: "aws-waf-log-block-xss-rulegroup.json", resource: "localhostEndpoint", rung: "endpoint" },
];

function recordOf(seed: Seed): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    name: seed.name,
    providerUniqueId: seed.providerUniqueId,
    externalId: seed.externalId ?? seed.providerUniqueId,
    cloudPlatform: seed.cloudPlatform,
    nativeType: seed.nativeType,
  };
  if (seed.namespace) properties.kubernetes_namespaceName = seed.namespace;
  if (seed.cluster) properties.kubernetes_clusterName = seed.cluster;
  const deletedAt = seed.deleted ? "2025-12-01T00:00:00Z" : null;
  return {
    id: seed.id,
    name: seed.name,
    type: seed.type,
    nativeType: seed.nativeType,
    cloudPlatform: seed.cloudPlatform,
    providerUniqueId: seed.providerUniqueId,
    externalId: seed.externalId ?? seed.providerUniqueId,
    firstSeen: "2025-11-01T00:00:00Z",
    lastSeen: "2025-12-31T00:00:00Z",
    deletedAt,
    graphEntity: {
      id: seed.id,
      name: seed.name,
      type: seed.type,
      providerUniqueId: seed.providerUniqueId,
      properties,
      deletedAt,
      firstSeen: "2025-11-01T00:00:00Z",
      lastSeen: "2025-12-31T00:00:00Z",
      projects: [],
      userMetadata: null,
      technologies: [],
    },
  };
}

/** Writes the tenant to a new temp directory and returns it (for `startSimulator({tenantDir})`). */
export function writeRuntimeTenant(): string {
  const dir = mkdtempSync(join(tmpdir(), "wizbridge-runtime-tenant-"));
  writeFileSync(join(dir, "cloudResources.json"), JSON.stringify(Object.values(RUNTIME_RESOURCES).map(recordOf)));
  return dir;
}
