import type { SyncClient } from "./stream-runner.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeTopRiskAssets($first: Int, $after: String) {
    connection: issuesGroupedByValue(
      groupBy: RESOURCE
      first: $first
      after: $after
      filterBy: { status: [OPEN, IN_PROGRESS] }
      orderBy: { field: SEVERITY, direction: DESC }
    ) {
      nodes { id }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/**
 * Sampling mode's asset set: the N resources with the most severe open issues, the order the Wiz portal
 * ranks them in. A connector in sampling mode syncs only these assets and their findings.
 */
export async function topRiskAssetIds(client: SyncClient, count: number, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  const pages = client.paginate<{ id: string }>(DOCUMENT, {}, (data) => (data as { connection?: never }).connection, {
    pageSize: Math.min(500, count),
    pageSizeCap: 500,
    operationName: "WizbridgeTopRiskAssets",
    signal,
  });
  for await (const page of pages) {
    for (const node of page.nodes) {
      ids.push(node.id);
      if (ids.length >= count) return ids;
    }
  }
  return ids;
}
