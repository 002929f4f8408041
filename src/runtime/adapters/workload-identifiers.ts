import { distinct } from "./payload-reader.js";

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/u;
const AZURE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/\S+$/iu;
const GCP_NAME = /^\/\/[a-z0-9-]+\.googleapis\.com\/\S+$/u;

/** True for an AWS ARN, an Azure resource id or a GCP full resource name. */
export function isCloudId(value: string): boolean {
  return ARN.test(value) || AZURE_ID.test(value) || GCP_NAME.test(value);
}

/** Every cloud id among `values` (strings and string arrays), in order. */
export function cloudIdsAmong(values: Iterable<unknown>): string[] {
  const found: string[] = [];
  for (const v of values) {
    if (typeof v === "string" && isCloudId(v.trim())) found.push(v.trim());
    else if (Array.isArray(v)) for (const item of v) if (typeof item === "string" && isCloudId(item.trim())) found.push(item.trim());
  }
  return distinct(found);
}

/** `docker://abc...`, `containerd://abc...`, `cri-o://abc...` -> `abc...`. */
export function bareContainerId(id: string | null | undefined): string | null {
  if (!id) return null;
  const bare = id.replace(/^[a-z0-9-]+:\/\//u, "").trim();
  return bare === "" ? null : bare;
}

export interface ImageRef {
  /** repository[:tag] without digest. */
  name: string | null;
  /** `sha256:<hex>` when present. */
  digest: string | null;
}

/** `docker-pullable://repo@sha256:...`, `repo:tag@sha256:...`, `repo:tag`, `sha256:...` -> parts. */
export function imageRefOf(ref: string | null | undefined): ImageRef {
  if (!ref) return { name: null, digest: null };
  const clean = ref.replace(/^[a-z-]+:\/\//u, "").trim();
  const digestMatch = /(sha256:[0-9a-f]{12,64})/iu.exec(clean);
  const digest = digestMatch?.[1]?.toLowerCase() ?? null;
  const name = clean.split("@")[0]?.trim() ?? "";
  return { name: name === "" || name.startsWith("sha256:") ? null : name, digest };
}

/** EC2 instance ids mentioned in free text (GuardDuty titles name the instance when no Resource block came). */
export function instanceIdsIn(text: string | null | undefined): string[] {
  if (!text) return [];
  return distinct(text.match(/\bi-[0-9a-f]{8,17}\b/gu) ?? []);
}

/** Kubernetes controller kinds in their canonical spelling. */
export function workloadKindOf(kind: string | null | undefined): string | null {
  if (!kind) return null;
  const k = kind.trim().toLowerCase().replace(/[-_ ]/gu, "");
  const table: Record<string, string> = {
    deployment: "Deployment",
    daemonset: "DaemonSet",
    statefulset: "StatefulSet",
    replicaset: "ReplicaSet",
    job: "Job",
    cronjob: "CronJob",
    replicationcontroller: "ReplicationController",
    pod: "Pod",
  };
  return table[k] ?? kind.trim();
}

/** `a=b,c=d` (KubeArmor) or `["a:b", ...]` (Falco) -> record. */
export function labelsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (pair: string, sep: string): void => {
    const at = pair.indexOf(sep);
    if (at <= 0) return;
    const key = pair.slice(0, at).trim();
    // never let a label key reach an object prototype
    if (key === "__proto__" || key === "constructor" || key === "prototype") return;
    Object.defineProperty(out, key, { value: pair.slice(at + 1).trim(), enumerable: true, writable: true, configurable: true });
  };
  if (typeof value === "string") for (const pair of value.split(",")) put(pair, "=");
  else if (Array.isArray(value)) for (const pair of value) if (typeof pair === "string") put(pair, pair.includes(":") ? ":" : "=");
  return out;
}
