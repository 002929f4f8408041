/**
 * Which resources each rule can be about, and which resources can carry vulnerabilities: lists of
 * resource indexes built once from the resource columns, so picking a subject for a record is O(1).
 */
import type { RuleFamily, TenantRule } from "./rule.catalogue.js";
import { VULNERABLE_ASSET_TYPENAME } from "./resource-type.catalogue.js";
import { CLOUD_PLATFORMS, type ResourceColumns, type ResourceTypeDefinition } from "./types.js";

export interface ResourcePicks {
  /** Resources whose vulnerabilities Wiz reports (VM, container, image, serverless, repository branch). */
  vulnerable: Int32Array;
  /** Container images, for containers to point at. */
  images: Int32Array;
  /** Eligible resources per rule index; empty for rules that cannot be placed. */
  byRule: Int32Array[];
  /** Rules (indexes) with at least one eligible resource, by role. */
  toxicControls: Int32Array;
  threatControls: Int32Array;
  configurationRules: Int32Array;
  eventRules: Int32Array;
  /** Cloud Event Rules that fit a resource family (cloud provider, K8S, VCS; RUNTIME for workloads). */
  eventRulesByFamily: Map<string, Int32Array>;
}

const RUNTIME_TYPES = new Set(["VIRTUAL_MACHINE", "CONTAINER", "POD"]);
const K8S_AUDIT_TYPES = new Set(["POD", "DEPLOYMENT", "NAMESPACE", "SERVICE_ACCOUNT", "DAEMON_SET", "KUBERNETES_CLUSTER", "STATEFUL_SET"]);

/** The rule family of a resource from its platform and graph type. */
export function ruleFamilyOf(platform: string | null | undefined, type: string): RuleFamily {
  switch (platform) {
    case "AWS":
    case "Azure":
    case "GCP":
    case "OCI":
      return platform;
    case "EKS":
      return type === "KUBERNETES_CLUSTER" ? "AWS" : "K8S";
    case "AKS":
      return type === "KUBERNETES_CLUSTER" ? "Azure" : "K8S";
    case "GKE":
      return type === "KUBERNETES_CLUSTER" ? "GCP" : "K8S";
    case "OKE":
      return type === "KUBERNETES_CLUSTER" ? "OCI" : "K8S";
    case "Kubernetes":
    case "OpenShift":
      return "K8S";
    case "GitHub":
    case "GitLab":
    case "Bitbucket":
    case "AzureDevOps":
      return "VCS";
    default:
      return "ANY";
  }
}

function ruleAccepts(rule: TenantRule, family: RuleFamily, type: string): boolean {
  if (rule.__typename === "CloudConfigurationRule") return rule.family === family && rule.subjectTypes.includes(type);
  if (rule.__typename === "Control") return rule.subjectTypes.length === 0 ? type !== "CONTAINER_IMAGE" : rule.subjectTypes.includes(type);
  switch (rule.family) {
    case "RUNTIME":
      return RUNTIME_TYPES.has(type);
    case "K8S":
      return family === "K8S" ? K8S_AUDIT_TYPES.has(type) : type === "KUBERNETES_CLUSTER";
    case "ANY":
      return type !== "CONTAINER_IMAGE";
    default:
      return rule.family === family && type !== "CONTAINER_IMAGE";
  }
}

/** Builds the pick lists; `platformName` maps a platform column value to its name (loaded tenants may hold others). */
export function buildResourcePicks(
  cols: ResourceColumns,
  size: number,
  resourceTypes: readonly ResourceTypeDefinition[],
  rules: readonly TenantRule[],
  platformName: (code: number) => string | null = (code) => CLOUD_PLATFORMS[code] ?? null,
): ResourcePicks {
  // Group resources by (family, type) first: there are few groups, so each rule unions a handful.
  const groups = new Map<string, { family: RuleFamily; type: string; members: number[] }>();
  const vulnerable: number[] = [];
  const images: number[] = [];
  for (let i = 0; i < size; i += 1) {
    const type = resourceTypes[cols.type[i] as number]?.type ?? "";
    const family = ruleFamilyOf(platformName(cols.platform[i] as number), type);
    const key = `${family}|${type}`;
    let group = groups.get(key);
    if (!group) {
      group = { family, type, members: [] };
      groups.set(key, group);
    }
    group.members.push(i);
    if (type in VULNERABLE_ASSET_TYPENAME) vulnerable.push(i);
    if (type === "CONTAINER_IMAGE") images.push(i);
  }
  const packed = [...groups.values()].map((group) => ({ ...group, indexes: Int32Array.from(group.members) }));
  // Concatenated in group order (deterministic); the order inside a pick list does not matter.
  const byRule = rules.map((rule) => {
    const accepted = packed.filter((group) => ruleAccepts(rule, group.family, group.type));
    const out = new Int32Array(accepted.reduce((n, group) => n + group.indexes.length, 0));
    let offset = 0;
    for (const group of accepted) {
      out.set(group.indexes, offset);
      offset += group.indexes.length;
    }
    return out;
  });
  const usable = (test: (rule: TenantRule) => boolean): Int32Array =>
    Int32Array.from(rules.flatMap((rule, index) => (test(rule) && (byRule[index]?.length ?? 0) > 0 ? [index] : [])));
  const eventRules = usable((r) => r.__typename === "CloudEventRule");
  const eventRulesByFamily = new Map<string, Int32Array>();
  for (const family of ["AWS", "Azure", "GCP", "OCI", "K8S", "VCS", "RUNTIME", "ANY"]) {
    eventRulesByFamily.set(family, Int32Array.from([...eventRules].filter((r) => rules[r]?.family === family)));
  }
  return {
    vulnerable: Int32Array.from(vulnerable),
    images: Int32Array.from(images),
    byRule,
    toxicControls: usable((r) => r.__typename === "Control" && r.issueType === "TOXIC_COMBINATION"),
    threatControls: usable((r) => r.__typename === "Control" && r.issueType === "THREAT_DETECTION"),
    configurationRules: usable((r) => r.__typename === "CloudConfigurationRule"),
    eventRules,
    eventRulesByFamily,
  };
}

/** Cloud Event Rules that can report on a resource of this family and type; workloads may also get runtime-sensor rules. */
export function eventRulesFor(picks: ResourcePicks, family: RuleFamily, type: string, preferRuntime: boolean): Int32Array {
  const runtime = RUNTIME_TYPES.has(type) ? picks.eventRulesByFamily.get("RUNTIME") : undefined;
  const own = picks.eventRulesByFamily.get(family);
  if (runtime && runtime.length > 0 && (preferRuntime || !own || own.length === 0)) return runtime;
  if (own && own.length > 0) return own;
  return picks.eventRules;
}
