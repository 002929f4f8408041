import type { AssetRecord, ProjectRecord, RepositoryRecord } from "../../model/canonical/index.js";
import { compact } from "../compact.js";
import { cloudProviderOf, ecsObject, ECS_VERSION, type EcsDocument } from "./ecs-fields.js";

function stateEvent(id: string, dataset: string, url: string): Record<string, unknown> {
  return { kind: "state", category: ["configuration"], type: ["info"], id, dataset, url };
}

/**
 * A cloud resource as an ECS state document (Elastic's Wiz integration has no inventory stream): resource.*
 * named as in its configuration findings (type = Wiz's type, sub_type = native type), cloud.*, host.*, labels.
 */
export function assetEcs(record: AssetRecord, observedAt: string): EcsDocument {
  const r = record.resource;
  const vm = r.type === "VIRTUAL_MACHINE";
  return compact({
    "@timestamp": record.updatedAt ?? record.lastSeen ?? record.createdAt ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: record.title ?? undefined,
    observer: { vendor: "Wiz" },
    event: stateEvent(record.id, "wiz.asset", record.portalUrl),
    cloud: ecsObject({
      provider: cloudProviderOf(r.cloudPlatform),
      region: r.region,
      account: r.account ? ecsObject({ id: r.account.externalId ?? r.account.id, name: r.account.name }) : undefined,
      instance: vm ? ecsObject({ id: r.providerUniqueId, name: r.name }) : undefined,
    }),
    resource: ecsObject({ id: r.providerUniqueId ?? r.id, name: r.name, type: r.type, sub_type: r.nativeType }),
    host: vm ? ecsObject({ name: r.name, ip: r.ipAddresses, os: ecsObject({ full: r.operatingSystem }) }) : undefined,
    labels: Object.keys(r.tags).length > 0 ? r.tags : undefined,
    wiz: { asset: compact({ status: record.status ?? undefined, first_seen: record.firstSeen ?? undefined, last_seen: record.lastSeen ?? undefined, external_id: record.externalId ?? undefined }) },
  }) as EcsDocument;
}

/** A repository or branch as an ECS state document. */
export function repositoryEcs(record: RepositoryRecord, observedAt: string): EcsDocument {
  return compact({
    "@timestamp": observedAt,
    ecs: { version: ECS_VERSION },
    message: record.title ?? undefined,
    observer: { vendor: "Wiz" },
    event: stateEvent(record.id, "wiz.repository", record.portalUrl),
    resource: ecsObject({ id: record.providerId ?? record.id, name: record.title, type: record.resourceType }),
    url: record.url ? { full: record.url } : undefined,
  }) as EcsDocument;
}

/** A project as an ECS state document. */
export function projectEcs(record: ProjectRecord, observedAt: string): EcsDocument {
  return compact({
    "@timestamp": record.createdAt ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: record.title ?? undefined,
    observer: { vendor: "Wiz" },
    event: stateEvent(record.id, "wiz.project", record.portalUrl),
    wiz: { project: compact({ slug: record.slug ?? undefined, business_unit: record.businessUnit ?? undefined, archived: record.archived }) },
  }) as EcsDocument;
}
