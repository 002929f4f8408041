import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncVersionControlResources($first: Int, $after: String, $filterBy: VersionControlResourceFilters) {
    connection: versionControlResources(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        name
        type
        cloudPlatform
        providerID
        url
        repository { id name url }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

/** Repositories and branches: no change field, so full snapshots (changes and removals only). */
export const versionControlResourcesStream: StreamDefinition = {
  name: "versionControlResources",
  operationName: "WizbridgeSyncVersionControlResources",
  document: DOCUMENT,
  filterType: "VersionControlResourceFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "24h",
  cursorField: null,
  managedFilterKeys: [],
  fixedFilter: (user) => ({ ...user }),
};
