import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncThreats($first: Int, $after: String, $filterBy: IssueFilters, $orderBy: IssueOrder) {
    connection: issuesV2(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy, filterScope: ALL_ISSUE_DETECTIONS) {
      nodes {
        id
        type
        status
        severity
        createdAt
        updatedAt
        statusChangedAt
        resolvedAt
        dueAt
        resolutionReason
        resolutionNote
        url
        sourceRules { __typename id name description }
        entitySnapshot {
          id type nativeType name status cloudPlatform cloudProviderURL region providerId externalId tags
          subscriptionId subscriptionExternalId subscriptionName kubernetesClusterName kubernetesNamespaceName
        }
        projects { id name }
        notes { id text createdAt updatedAt user { name email } }
        serviceTickets { id externalId name url }
        threatDetectionDetails {
          eventOrigin
          actorsTotalCount
          resourcesTotalCount
          mainDetection { id type severity createdAt }
        }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

const PROBE = /* GraphQL */ `
  query WizbridgeProbeThreats($first: Int, $filterBy: IssueFilters, $orderBy: IssueOrder) {
    connection: issuesV2(first: $first, filterBy: $filterBy, orderBy: $orderBy, filterScope: ALL_ISSUE_DETECTIONS) {
      nodes { id updatedAt }
      totalCount
    }
  }
`;

/** Wiz Defend threats: THREAT_DETECTION issues with their detection details. */
export const threatsStream: StreamDefinition = {
  name: "threats",
  operationName: "WizbridgeSyncThreats",
  document: DOCUMENT,
  probeDocument: PROBE,
  filterType: "IssueFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "5m",
  cursorField: "updatedAt",
  order: { ascending: { field: "UPDATED_AT", direction: "ASC" }, descending: { field: "UPDATED_AT", direction: "DESC" } },
  managedFilterKeys: ["updatedAt", "type"],
  fixedFilter: (user) => ({ ...user, type: ["THREAT_DETECTION"] }),
  assetScope: (ids) => ({ relatedEntity: { id: [...ids] } }),
};
