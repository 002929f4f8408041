import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncCloudResources($first: Int, $after: String, $filterBy: CloudResourceV2Filters, $orderBy: CloudResourceOrder) {
    connection: cloudResourcesV2(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
      nodes {
        id
        name
        externalId
        providerUniqueId
        type
        nativeType
        cloudPlatform
        status
        region
        tags { key value }
        cloudAccount { id name externalId cloudProvider }
        projects { id name }
        createdAt
        updatedAt
        deletedAt
        firstSeen
        lastSeen
        isAccessibleFromInternet
        isOpenToAllInternet
        hasSensitiveData
        hasAdminPrivileges
        hasHighPrivileges
      }
      pageInfo { hasNextPage endCursor }
      totalCount: totalServiceUsageResourceCount
    }
  }
`;

const PROBE = /* GraphQL */ `
  query WizbridgeProbeCloudResources($first: Int, $filterBy: CloudResourceV2Filters, $orderBy: CloudResourceOrder) {
    connection: cloudResourcesV2(first: $first, filterBy: $filterBy, orderBy: $orderBy) {
      nodes { id updatedAt }
      totalCount: totalServiceUsageResourceCount
    }
  }
`;

/** The inventory (assets), through cloudResourcesV2: the version that filters and orders by updatedAt. */
export const cloudResourcesStream: StreamDefinition = {
  name: "cloudResources",
  operationName: "WizbridgeSyncCloudResources",
  document: DOCUMENT,
  probeDocument: PROBE,
  filterType: "CloudResourceV2Filters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "24h",
  cursorField: "updatedAt",
  order: { ascending: { field: "UPDATED_AT", direction: "ASC" }, descending: { field: "UPDATED_AT", direction: "DESC" } },
  managedFilterKeys: ["updatedAt"],
  fixedFilter: (user) => ({ ...user }),
  assetScope: (ids) => ({ id: { equals: [...ids] } }),
};
