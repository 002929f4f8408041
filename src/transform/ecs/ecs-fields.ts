import { objectOf, objectsOf, textOf, textsOf, type RawNode } from "../normalisers/raw-fields.js";

/** The ECS version the documents declare (Elastic's Wiz integration declares the same); the fields exist unchanged in ECS 9.x. */
export const ECS_VERSION = "8.11.0";

/** An ECS document as nested JSON (what Elasticsearch ingests). */
export type EcsDocument = { "@timestamp": string; ecs: { version: string }; event: Record<string, unknown> } & Record<string, unknown>;

/** A nested ECS object with its empty members left out; undefined when nothing is left, so the caller's compact drops it. */
export function ecsObject(members: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key in members) {
    const v = members[key];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A Wiz timestamp as Elasticsearch's date processor writes it (ISO 8601, UTC, milliseconds), which is what
 * Elastic's Wiz pipelines store: `2023-08-23T07:56:09.903743Z` -> `2023-08-23T07:56:09.903Z`.
 */
export function isoMillisOf(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  // Sub-millisecond digits are cut, not rounded, as Java's parser does.
  const trimmed = value.replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Managed Kubernetes reports the cluster's flavour as its platform; ECS names the cloud it runs in. */
const MANAGED_KUBERNETES_CLOUD: Readonly<Record<string, string>> = { EKS: "aws", AKS: "azure", GKE: "gcp", OKE: "oci" };

/**
 * Wiz cloudPlatform / cloudProvider -> ECS cloud.provider: lower case (`aws`, `azure`, `gcp`), as ECS's examples,
 * Elastic's cloud integrations and its Wiz configuration-finding pipeline write it (docs/output-profiles.md).
 */
export function cloudProviderOf(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === null) return undefined;
  return MANAGED_KUBERNETES_CLOUD[text] ?? text.toLowerCase();
}

/** Distinct non-empty strings in first-seen order (Elasticsearch `append` with allow_duplicates: false). */
export function distinct(values: ReadonlyArray<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const v of values) if (typeof v === "string" && v !== "" && !out.includes(v)) out.push(v);
  return out;
}

/** What Elasticsearch's uri_parts processor makes of a URL (url.original, scheme, domain, port, path, query, fragment, extension). */
export function urlPartsOf(value: unknown): Record<string, unknown> | undefined {
  const original = textOf(value);
  if (original === null) return undefined;
  let url: URL;
  try {
    url = new URL(original);
  } catch {
    return { original };
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
  return ecsObject({
    original,
    scheme: url.protocol.replace(/:$/, ""),
    domain: url.hostname,
    port: url.port === "" ? undefined : Number(url.port),
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    fragment: url.hash.replace(/^#/, ""),
    extension,
    username: url.username,
  });
}

/** Names of the security sub-categories' categories, once each (Wiz's MITRE tactics and Wiz's own categories). */
export function subCategoryNamesOf(rule: RawNode | null): string[] {
  if (!rule) return [];
  return distinct(objectsOf(rule.securitySubCategories).map((s) => textOf(objectOf(s.category)?.name)));
}

export { objectOf, objectsOf, textOf, textsOf, type RawNode };
