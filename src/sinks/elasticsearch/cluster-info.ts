import type { SearchFlavor } from "./index-template.js";

/** What `GET /` says about the cluster. */
export interface ClusterInfo {
  flavor: SearchFlavor;
  version: string;
  clusterName?: string;
}

/** The engine and version from a `GET /` answer; undefined when it is not a cluster's answer. */
export function readClusterInfo(text: string): ClusterInfo | undefined {
  try {
    const parsed = JSON.parse(text) as { cluster_name?: unknown; version?: { number?: unknown; distribution?: unknown }; tagline?: unknown };
    if (typeof parsed.version?.number !== "string") return undefined;
    const opensearch = parsed.version.distribution === "opensearch" || (typeof parsed.tagline === "string" && parsed.tagline.includes("OpenSearch"));
    return { flavor: opensearch ? "opensearch" : "elasticsearch", version: parsed.version.number, ...(typeof parsed.cluster_name === "string" ? { clusterName: parsed.cluster_name } : {}) };
  } catch {
    return undefined;
  }
}

/** The sentence to show when the sink's type names the other engine, or undefined when they agree. */
export function flavorMismatch(configured: SearchFlavor, info: ClusterInfo): string | undefined {
  if (configured === info.flavor) return undefined;
  const actual = info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch";
  return `the cluster is ${actual} ${info.version} but the sink's type is ${configured}: writing works, but \`wizbridge sink setup\` would use ${configured === "opensearch" ? "flat_object" : "flattened"} and other ${configured === "opensearch" ? "OpenSearch" : "Elasticsearch"}-only mapping types. Set type: ${info.flavor}.`;
}
