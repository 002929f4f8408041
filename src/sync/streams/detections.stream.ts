import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncDetections($first: Int, $after: String, $filterBy: DetectionFilters, $orderBy: DetectionOrder) {
    connection: detections(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
      nodes {
        id
        type
        status
        origins
        severity
        description
        createdAt
        updatedAt
        startedAt
        endedAt
        issue { id }
        ruleMatch { rule { id name } }
        primaryResource { id name type nativeType region providerUniqueId }
        primaryActor { id name type providerUniqueId }
        cloudAccounts { id name externalId }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

const PROBE = /* GraphQL */ `
  query WizbridgeProbeDetections($first: Int, $filterBy: DetectionFilters, $orderBy: DetectionOrder) {
    connection: detections(first: $first, filterBy: $filterBy, orderBy: $orderBy) {
      nodes { id updatedAt }
      totalCount
    }
  }
`;

const ALL_DETECTION_TYPES = ["GENERATED_THREAT", "MATCH_ONLY"];

/**
 * Wiz Defend detections. Any filterBy without `type` makes Wiz return GENERATED_THREAT only, and every
 * walk sends a filter, so both types are always named unless the user chose some.
 */
export const detectionsStream: StreamDefinition = {
  name: "detections",
  operationName: "WizbridgeSyncDetections",
  document: DOCUMENT,
  probeDocument: PROBE,
  filterType: "DetectionFilters",
  pageSizeCap: 1000,
  defaultPageSize: 500,
  defaultSchedule: "5m",
  cursorField: "updatedAt",
  order: { ascending: { field: "UPDATED_AT", direction: "ASC" }, descending: { field: "UPDATED_AT", direction: "DESC" } },
  managedFilterKeys: ["updatedAt"],
  fixedFilter: (user) => ({ type: { equals: ALL_DETECTION_TYPES }, ...user }),
  assetScope: (ids) => ({ resource: { id: { equals: [...ids] } } }),
};
