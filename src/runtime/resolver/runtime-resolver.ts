import type { RuntimeAlert } from "../../model/runtime-alert.js";
import type { GraphEntityType } from "../../wiz/operations/wiz-enums.js";
import type { ResolutionCache } from "./resolution-cache.js";
import type { ResolvedEntity, ResourceDirectory } from "./resource-directory.js";

/** The rungs of the resolution ladder, most specific first. */
export const RESOLUTION_RUNGS = [
  "cloud-id",
  "k8s-container",
  "k8s-pod",
  "k8s-controller",
  "node-vm",
  "k8s-cluster",
  "service-mapping",
  "endpoint",
] as const;
export type ResolutionRung = (typeof RESOLUTION_RUNGS)[number];

/** Rungs that name the workload itself; the others attach the alert to something that hosts it. */
const EXACT_RUNGS: ReadonlySet<ResolutionRung> = new Set(["cloud-id", "k8s-container", "k8s-pod", "service-mapping"]);

/**
 * A cluster the operator names, so alerts without cloud identity resolve to it and pods are matched
 * inside it. Every `match*` field given must hold for the alert (none given: never applies).
 */
export interface ClusterIdentity {
  /** The cluster's name in Wiz. */
  name: string;
  /** The cluster's Wiz provider id (EKS ARN, AKS resource id, GKE name); looked up directly when given. */
  providerUniqueId?: string;
  /** The cluster name the sensor reports (Falco customfields, KubeArmor ClusterName, Sysdig labels...). */
  matchClusterName?: string;
  /** Alerts of this source (a sensor deployed in one cluster that reports no cluster name). */
  matchSource?: string;
  /** Node names starting with this (EKS/GKE node naming). */
  matchNodePrefix?: string;
}

/** Operator mapping for web/API attacks: a service name, host or endpoint URL prefix -> the Wiz resource. */
export interface ServiceMapping {
  match: string;
  providerUniqueId: string;
}

export interface ResolverConfig {
  clusters?: readonly ClusterIdentity[];
  services?: readonly ServiceMapping[];
}

export type Resolution =
  | {
      status: "resolved";
      rung: ResolutionRung;
      /** False when the alert landed on a host of the workload (controller, node, cluster) rather than the workload. */
      exact: boolean;
      entity: ResolvedEntity;
      /** The identifier that matched, e.g. `pod uid 6f1c...`. */
      matchedBy: string;
      /** What was tried before the match. */
      tried: string[];
    }
  | { status: "unresolved"; tried: string[]; reason: string };

interface Step {
  rung: ResolutionRung;
  key: string;
  label: string;
  accept?: (entity: ResolvedEntity) => boolean;
}

const CONTROLLER_TYPES: readonly GraphEntityType[] = ["DEPLOYMENT", "DAEMON_SET", "STATEFUL_SET", "REPLICA_SET", "KUBERNETES_JOB", "KUBERNETES_CRON_JOB"];
const RUNTIME_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//u;
const FULL_CONTAINER_ID = /^[0-9a-f]{64}$/u;
const SHORT_CONTAINER_ID = /^[0-9a-f]{12,63}$/u;

/** Provider ids compare without a container runtime prefix, Azure ids case-insensitively. */
export function normaliseProviderId(id: string): string {
  const bare = id.startsWith("arn:") || id.startsWith("//") || id.startsWith("/") ? id : id.replace(RUNTIME_PREFIX, "");
  return bare.toLowerCase().startsWith("/subscriptions/") ? bare.toLowerCase() : bare;
}

/** The controller a pod name implies: `web-7d9f8b6c5-x2x9k` -> `web` (Deployment), `agent-x2x9k` -> `agent` (DaemonSet/StatefulSet/Job). */
export function controllerNameOfPod(pod: string): string | undefined {
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/u.exec(pod);
  if (deployment?.[1]) return deployment[1];
  const daemon = /^(.+)-[a-z0-9]{5}$/u.exec(pod);
  if (daemon?.[1]) return daemon[1];
  const ordinal = /^(.+)-\d+$/u.exec(pod);
  return ordinal?.[1];
}

function identityApplies(identity: ClusterIdentity, source: string, clusters: readonly string[], node: string | null): boolean {
  const checks = [
    identity.matchClusterName === undefined ? undefined : clusters.includes(identity.matchClusterName),
    identity.matchSource === undefined ? undefined : identity.matchSource === source,
    identity.matchNodePrefix === undefined ? undefined : node?.startsWith(identity.matchNodePrefix) === true,
  ].filter((c): c is boolean => c !== undefined);
  return checks.length > 0 && checks.every(Boolean);
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const unique = (values: Iterable<string | null | undefined>): string[] => [...new Set([...values].filter((v): v is string => typeof v === "string" && v !== ""))];

function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Alert -> Wiz resource: walks the ladder (cloud id; Kubernetes container, pod, controller, node VM,
 * cluster; service mapping; endpoint) over a whole batch of alerts with one look-up per key kind, and
 * explains every alert it cannot place.
 */
export class RuntimeResolver {
  readonly cache: ResolutionCache;

  constructor(
    private readonly directory: ResourceDirectory,
    private readonly config: ResolverConfig,
    cache: ResolutionCache,
  ) {
    this.cache = cache;
  }

  /** Resolves each alert; `refused` holds provider ids Wiz would not match for that alert (tried next rung). */
  async resolveBatch(alerts: readonly RuntimeAlert[], refused: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<Map<string, Resolution>> {
    const ladders = new Map(alerts.map((alert) => [alert.id, this.ladderOf(alert)] as const));
    const keys = new Set<string>();
    for (const ladder of ladders.values()) for (const step of ladder.steps) keys.add(step.key);
    await this.fill([...keys]);
    const out = new Map<string, Resolution>();
    for (const alert of alerts) {
      const ladder = ladders.get(alert.id);
      if (ladder) out.set(alert.id, this.walk(ladder, refused.get(alert.id) ?? new Set()));
    }
    return out;
  }

  private ladderOf(alert: RuntimeAlert): { steps: Step[]; absent: ResolutionRung[] } {
    const ids = alert.identifiers;
    const ctx = alert.context;
    const steps: Step[] = [];
    const add = (rung: ResolutionRung, key: string, label: string, accept?: (e: ResolvedEntity) => boolean): void => {
      steps.push({ rung, key, label, ...(accept ? { accept } : {}) });
    };
    const reported = unique([ctx.cluster, ...ids.clusterNames]);
    const identities = (this.config.clusters ?? []).filter((c) => identityApplies(c, alert.source, reported, ctx.node));
    const clusterNames = unique([...identities.map((c) => c.name), ...reported]);
    const clusterName = clusterNames[0];
    const namespaces = unique([ctx.namespace, ...ids.pods.map((p) => (p.includes("/") ? p.slice(0, p.indexOf("/")) : undefined))]);
    const inScope = (entity: ResolvedEntity): boolean => {
      const ns = text(entity.properties.kubernetes_namespaceName) ?? text(entity.properties.namespace);
      const cluster = text(entity.properties.kubernetes_clusterName) ?? text(entity.properties.clusterName);
      if (ns && namespaces.length > 0 && !namespaces.includes(ns)) return false;
      if (cluster && clusterName && !clusterNames.includes(cluster)) return false;
      return true;
    };

    for (const id of unique(ids.cloudIds)) add("cloud-id", `pid:${normaliseProviderId(id)}`, `cloud id ${id}`);
    for (const id of unique([...ids.containerIds, ctx.container?.id].map((c) => (c ? c.replace(RUNTIME_PREFIX, "").toLowerCase() : c)))) {
      if (FULL_CONTAINER_ID.test(id)) add("k8s-container", `pid:${id}`, `container id ${id}`);
      else if (SHORT_CONTAINER_ID.test(id)) add("k8s-container", `ctr:${id}`, `container id prefix ${id}`);
    }
    for (const uid of unique([...ids.podUids, ctx.pod?.uid])) add("k8s-pod", `pid:${normaliseProviderId(uid)}`, `pod uid ${uid}`);
    const podNames = unique([ctx.pod?.name, ...ids.pods.map((p) => (p.includes("/") ? p.slice(p.indexOf("/") + 1) : p))]);
    for (const name of podNames) add("k8s-pod", `pod:${name}`, `pod ${namespaces[0] ? `${namespaces[0]}/` : ""}${name}${clusterName ? ` in cluster ${clusterName}` : ""}`, inScope);
    const controllers = unique([ctx.workload?.name, ...podNames.map(controllerNameOfPod)]);
    for (const name of controllers) add("k8s-controller", `wl:${name}`, `workload ${name}${clusterName ? ` in cluster ${clusterName}` : ""}`, inScope);
    for (const id of unique(ids.instanceIds)) add("node-vm", `vmid:${id}`, `instance id ${id}`);
    for (const host of unique([ctx.node, ...ids.hostnames])) add("node-vm", `vm:${host}`, `host ${host}`);
    for (const identity of identities) {
      if (identity.providerUniqueId) add("k8s-cluster", `pid:${normaliseProviderId(identity.providerUniqueId)}`, `cluster ${identity.name} (configured as ${identity.providerUniqueId})`);
    }
    for (const name of clusterNames) add("k8s-cluster", `cluster:${name}`, `cluster ${name}`);
    for (const uid of unique(ids.clusterUids)) add("k8s-cluster", `pid:${normaliseProviderId(uid)}`, `cluster uid ${uid}`);
    const hosts = unique([ctx.request?.host ? hostOf(ctx.request.host) : undefined, ...ids.endpoints.map(hostOf), ctx.request?.url ? hostOf(ctx.request.url) : undefined]);
    const names = unique([...ids.serviceNames, ...hosts]);
    const urls = unique([...ids.endpoints, ctx.request?.url]);
    for (const mapping of this.config.services ?? []) {
      const hit = names.find((n) => n === mapping.match) ?? urls.find((u) => u.startsWith(mapping.match));
      if (hit) add("service-mapping", `pid:${normaliseProviderId(mapping.providerUniqueId)}`, `service ${hit} (mapped to ${mapping.providerUniqueId})`);
    }
    for (const host of hosts) add("endpoint", `ep:${host}`, `endpoint ${host}`);
    const present = new Set(steps.map((s) => s.rung));
    return { steps, absent: RESOLUTION_RUNGS.filter((r) => !present.has(r)) };
  }

  /** Looks up every key not in the cache: one call per key kind for the whole batch. */
  private async fill(keys: readonly string[]): Promise<void> {
    const missing = keys.filter((key) => this.cache.get(key) === undefined);
    if (missing.length === 0) return;
    const byKind = new Map<string, string[]>();
    for (const key of missing) {
      const colon = key.indexOf(":");
      const kind = key.slice(0, colon);
      const list = byKind.get(kind) ?? [];
      list.push(key.slice(colon + 1));
      byKind.set(kind, list);
    }
    const found = new Map<string, ResolvedEntity[]>(missing.map((k) => [k, []]));
    const push = (key: string, entity: ResolvedEntity): void => {
      const list = found.get(key);
      if (list && !list.some((e) => e.id === entity.id)) list.push(entity);
    };
    const lookups: Array<Promise<void>> = [];
    const pids = byKind.get("pid");
    if (pids) {
      lookups.push(
        this.directory.byProviderIds(pids).then((entities) => {
          for (const e of entities) push(`pid:${normaliseProviderId(e.providerUniqueId)}`, e);
        }),
      );
    }
    const prefixes = byKind.get("ctr");
    if (prefixes) {
      lookups.push(
        this.directory.search(["CONTAINER"], { providerUniqueId: { STARTS_WITH: prefixes } }).then((entities) => {
          for (const e of entities) for (const p of prefixes) if (normaliseProviderId(e.providerUniqueId).startsWith(p)) push(`ctr:${p}`, e);
        }),
      );
    }
    const byName = (kind: string, types: readonly GraphEntityType[], field = "name"): void => {
      const names = byKind.get(kind);
      if (!names) return;
      lookups.push(
        this.directory.search(types, { [field]: { EQUALS: names } }).then((entities) => {
          for (const e of entities) {
            const value = field === "name" ? e.name : text(e.properties[field]);
            if (value && names.includes(value)) push(`${kind}:${value}`, e);
          }
        }),
      );
    };
    byName("pod", ["POD"]);
    byName("wl", CONTROLLER_TYPES);
    byName("vm", ["VIRTUAL_MACHINE"]);
    byName("vmid", ["VIRTUAL_MACHINE"], "externalId");
    byName("cluster", ["KUBERNETES_CLUSTER"]);
    byName("ep", ["ENDPOINT"]);
    await Promise.all(lookups);
    for (const [key, entities] of found) this.cache.set(key, entities);
  }

  private walk(ladder: { steps: Step[]; absent: ResolutionRung[] }, refused: ReadonlySet<string>): Resolution {
    const tried: string[] = [];
    for (const step of ladder.steps) {
      const all = this.cache.get(step.key) ?? [];
      const scoped = step.accept ? all.filter(step.accept) : all;
      const usable = scoped.filter((e) => !refused.has(e.providerUniqueId));
      if (usable.length === 1 || (usable.length > 1 && step.key.startsWith("pid:"))) {
        const entity = usable[0] as ResolvedEntity;
        return { status: "resolved", rung: step.rung, exact: EXACT_RUNGS.has(step.rung), entity, matchedBy: step.label, tried };
      }
      if (usable.length > 1) tried.push(`${step.rung}: ${step.label} matched ${usable.length} resources, too ambiguous to pick one`);
      else if (scoped.length > 0) tried.push(`${step.rung}: ${step.label} matched ${scoped[0]?.providerUniqueId ?? "a resource"}, which Wiz did not accept in an upload`);
      else if (all.length > 0) tried.push(`${step.rung}: ${step.label} matched only resources in another namespace or cluster`);
      else tried.push(`${step.rung}: ${step.label} is not in Wiz`);
    }
    for (const rung of ladder.absent) tried.push(`${rung}: the alert carries no identifier for it`);
    const reason =
      ladder.steps.length === 0
        ? "the alert carries no workload identifier (no cloud id, container, pod, host, cluster, service or endpoint); add a cluster identity or service mapping to the runtime config"
        : "no identifier in the alert matched a Wiz resource; check the cluster identity and service mappings in the runtime config, or wait for Wiz to inventory the workload";
    return { status: "unresolved", tried, reason };
  }
}
