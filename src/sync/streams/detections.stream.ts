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
        ruleMatch { rule { id name securitySubCategories { category { name } } } }
        primaryResource { id externalId name type nativeType region providerUniqueId cloudAccount { id name externalId cloudProvider } }
        primaryActor { id name type providerUniqueId email }
        cloudAccounts { id name externalId cloudProvider }
        cloudOrganizations { id name }
        triggeringEvents(first: 10) {
          nodes { ... on CloudEvent { actorIP commandLine runtimeProgram { name } parentRuntimeProgram { name } } }
        }
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

/** Detections are indexed minutes after they change: walks stop this far short of now (config `lagSeconds`). */
export const DETECTIONS_LAG_SECONDS = 120;
/** ...and start this far before the cursor (config `overlapSeconds`), so late-indexed ones are still read. */
export const DETECTIONS_OVERLAP_SECONDS = 900;
/** Pages per run (config `budget.pages`): a 5-minute schedule then never runs long; a backlog takes several runs. */
export const DETECTIONS_PAGES_PER_RUN = 40;

/**
 * Wiz Defend detections. Any filterBy without `type` makes Wiz return GENERATED_THREAT only, and every
 * walk sends a filter, so both types are always named unless the user chose some. The window lags behind now
 * and overlaps the previous walk, as late-arriving detections are otherwise missed.
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
  window: { lagSeconds: DETECTIONS_LAG_SECONDS, overlapSeconds: DETECTIONS_OVERLAP_SECONDS },
  defaultBudget: { pages: DETECTIONS_PAGES_PER_RUN },
  assetScope: (ids) => ({ resource: { id: { equals: [...ids] } } }),
};
