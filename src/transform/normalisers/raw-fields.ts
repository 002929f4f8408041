import type { CloudAccountRef, NamedRef, PersonRef, ResourceRef, WizSeverity } from "../../model/canonical/index.js";
import { wizSeverityOf } from "../severity/severity-ladder.js";
import type { NormaliseContext } from "./normalise-context.js";

/** A raw Wiz node: anything JSON. Readers below never throw on a surprising shape; they answer null. */
export type RawNode = Readonly<Record<string, unknown>>;

/** A record that cannot be normalised because Wiz left out a field every record of its kind must have. */
export class MissingFieldError extends Error {
  constructor(
    readonly recordType: string,
    readonly field: string,
    readonly recordId: string | null,
  ) {
    super(
      `${recordType} ${recordId ?? "(no id)"} has no ${field}, which every ${recordType} must have; the record was set aside in the dead-letter table. ` +
        `Likely cause: the stream's query no longer selects it or Wiz changed the schema; check the record's raw payload there and report it if Wiz sent it that way.`,
    );
    this.name = "MissingFieldError";
  }
}

export function objectOf(value: unknown): RawNode | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as RawNode) : null;
}

export function textOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function numberOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function booleanOf(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

export function textsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) if (typeof item === "string" && item !== "") out.push(item);
  return out;
}

export function objectsOf(value: unknown): RawNode[] {
  if (!Array.isArray(value)) return [];
  const out: RawNode[] = [];
  for (const item of value) {
    const o = objectOf(item);
    if (o) out.push(o);
  }
  return out;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** A timestamp exactly as Wiz sent it when it is RFC 3339; anything else is null rather than a broken date downstream. */
export function timestampOf(value: unknown): string | null {
  return typeof value === "string" && RFC3339.test(value) ? value : null;
}

export function requiredId(recordType: string, raw: RawNode): string {
  const id = raw.id;
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  throw new MissingFieldError(recordType, "id", null);
}

export function requiredText(recordType: string, raw: RawNode, field: string, id: string): string {
  const value = textOf(raw[field]);
  if (value === null) throw new MissingFieldError(recordType, field, id);
  return value;
}

export function severityFields(value: unknown, context: NormaliseContext): { severity: WizSeverity | null; severityLevel: string | null } {
  const severity = wizSeverityOf(value);
  return { severity, severityLevel: severity === null ? null : context.ladder.levels[severity] };
}

export function namedRefsOf(value: unknown): NamedRef[] {
  const out: NamedRef[] = [];
  for (const o of objectsOf(value)) {
    const id = textOf(o.id);
    if (id !== null) out.push({ id, name: textOf(o.name) });
  }
  return out;
}

export function personOf(value: unknown): PersonRef | null {
  const o = objectOf(value);
  return o ? { id: textOf(o.id), name: textOf(o.name), email: textOf(o.email) } : null;
}

/** Tags arrive as a key->value map (vulnerable assets, snapshots) or as [{key, value}] (resources). */
export function tagsOf(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const o = objectOf(item);
      const key = o ? textOf(o.key) : null;
      if (o && key !== null) tags[key] = typeof o.value === "string" ? o.value : o.value === null || o.value === undefined ? "" : String(o.value as string | number | boolean);
    }
    return tags;
  }
  const o = objectOf(value);
  if (o) for (const [key, v] of Object.entries(o)) tags[key] = typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v);
  return tags;
}

function accountOf(id: unknown, name: unknown, externalId: unknown): CloudAccountRef | null {
  const account = { id: textOf(id), name: textOf(name), externalId: textOf(externalId) };
  return account.id === null && account.name === null && account.externalId === null ? null : account;
}

/**
 * The resource a record points at, from any of the shapes Wiz uses for one: a vulnerableAsset union member
 * (VM, serverless, container image, container, repository branch), an issue's entitySnapshot, a configuration
 * finding's resource, a detection's primaryResource, a cloud resource node, a Defend webhook's primaryResource.
 * Null when there is no resource (or it has no id).
 */
export function resourceRefOf(value: unknown, projectIds: string[] = []): ResourceRef | null {
  const r = objectOf(value);
  const id = r ? textOf(r.id) : null;
  if (!r || id === null) return null;
  const subscription = objectOf(r.subscription);
  const cloudAccount = objectOf(r.cloudAccount);
  const account =
    accountOf(r.subscriptionId, r.subscriptionName, r.subscriptionExternalId) ??
    (subscription ? accountOf(subscription.id, subscription.name, subscription.externalId) : null) ??
    (cloudAccount ? accountOf(cloudAccount.id, cloudAccount.name, cloudAccount.externalId) : null);
  const namespace = textOf(r.PodNamespace) ?? textOf(r.kubernetesNamespaceName);
  const pod = textOf(r.PodName);
  const node = textOf(r.NodeName) ?? textOf(r.kubernetesNodeName);
  const cluster = textOf(r.kubernetesClusterName);
  return {
    id,
    name: textOf(r.name),
    type: textOf(r.type),
    nativeType: textOf(r.nativeType),
    providerUniqueId: textOf(r.providerUniqueId) ?? textOf(r.providerId) ?? textOf(r.externalId),
    cloudPlatform:
      textOf(r.cloudPlatform) ??
      (cloudAccount ? (textOf(cloudAccount.cloudPlatform) ?? textOf(cloudAccount.cloudProvider)) : null) ??
      (subscription ? textOf(subscription.cloudProvider) : null),
    region: textOf(r.region),
    account,
    status: textOf(r.status),
    projectIds: projectIds.length > 0 ? projectIds : namedRefsOf(r.projects).map((p) => p.id),
    tags: tagsOf(r.tags),
    operatingSystem: textOf(r.operatingSystem),
    ipAddresses: textsOf(r.ipAddresses),
    imageId: textOf(r.imageId) ?? textOf(r.ImageExternalId),
    kubernetes: namespace !== null || pod !== null || node !== null || cluster !== null ? { namespace, pod, node, cluster } : null,
    runtime: textOf(r.runtime),
    repositoryName: textOf(r.repositoryName),
    cloudProviderUrl: textOf(r.cloudProviderURL) ?? textOf(r.cloudProviderUrl),
  };
}
