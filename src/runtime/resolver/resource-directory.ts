import type { WizClient } from "../../wiz/index.js";
import type { GraphEntityType } from "../../wiz/operations/wiz-enums.js";

/** A Wiz Security Graph entity the resolver can attach an alert to. */
export interface ResolvedEntity {
  /** Graph entity id (what issue filters' relatedEntity.id takes). */
  id: string;
  /** What the upload's assetIdentifier.providerId carries. */
  providerUniqueId: string;
  name: string | null;
  type: string;
  /** assetIdentifier.cloudPlatform. */
  cloudPlatform: string;
  properties: Record<string, unknown>;
}

/** The look-ups the resolver makes; batched: each call covers a whole micro-batch of alerts. */
export interface ResourceDirectory {
  /** Entities whose providerUniqueId is one of `ids` (ARNs, Azure ids, GCP names, k8s uids, container ids). */
  byProviderIds(ids: readonly string[]): Promise<ResolvedEntity[]>;
  /** graphSearch over the given types with Wiz's `where` shape. */
  search(types: readonly GraphEntityType[], where: Record<string, unknown>): Promise<ResolvedEntity[]>;
}

// cloudResources filters take lists; Wiz pages at 500, and a short list keeps each request small.
const PROVIDER_ID_CHUNK = 100;
const SEARCH_PAGE = 500;
// A look-up that matches more than this is not a resolution; stop reading early.
const MAX_SEARCH_RESULTS = 2000;

/** Guesses assetIdentifier.cloudPlatform from the id's shape when Wiz's properties do not say. */
export function platformOfProviderId(providerId: string): string {
  if (providerId.startsWith("arn:aws")) return "AWS";
  if (providerId.toLowerCase().startsWith("/subscriptions/")) return "Azure";
  if (providerId.startsWith("//")) return "GCP";
  if (providerId.startsWith("ocid1.")) return "OCI";
  return "Kubernetes";
}

function entityOf(raw: { id: string; name: string | null; type: string; providerUniqueId: string | null; properties?: Record<string, unknown> | null }): ResolvedEntity | undefined {
  if (!raw.providerUniqueId) return undefined;
  const properties = raw.properties ?? {};
  const platform = typeof properties.cloudPlatform === "string" && properties.cloudPlatform !== "" ? properties.cloudPlatform : platformOfProviderId(raw.providerUniqueId);
  return { id: raw.id, providerUniqueId: raw.providerUniqueId, name: raw.name, type: raw.type, cloudPlatform: platform, properties };
}

/** The directory over the SDK: cloudResources (providerUniqueId lists) and graphSearch. */
export function wizResourceDirectory(client: WizClient): ResourceDirectory {
  return {
    async byProviderIds(ids) {
      const out: ResolvedEntity[] = [];
      for (let at = 0; at < ids.length; at += PROVIDER_ID_CHUNK) {
        const chunk = ids.slice(at, at + PROVIDER_ID_CHUNK);
        for await (const node of client.cloudResource.listAll({ filterBy: { providerUniqueId: [...chunk] }, first: SEARCH_PAGE })) {
          const graph = node.graphEntity;
          const entity = entityOf({
            id: graph?.id ?? node.id,
            name: graph?.name ?? node.name,
            type: graph?.type ?? node.type,
            providerUniqueId: graph?.providerUniqueId ?? null,
            properties: graph?.properties ?? {},
          });
          if (entity) out.push(entity);
        }
      }
      return out;
    },
    async search(types, where) {
      const out: ResolvedEntity[] = [];
      for await (const row of client.graphSearch.runAll({ query: { type: [...types], select: true, where }, projectId: "*", quick: true, first: SEARCH_PAGE })) {
        for (const raw of row.entities) {
          const entity = raw ? entityOf(raw) : undefined;
          if (entity) out.push(entity);
        }
        if (out.length >= MAX_SEARCH_RESULTS) break;
      }
      return out;
    },
  };
}
