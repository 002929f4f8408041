import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncIssues($first: Int, $after: String, $filterBy: IssueFilters, $orderBy: IssueOrder) {
    connection: issuesV2(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
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
        projects { id name slug }
        notes { id text createdAt updatedAt user { name email } }
        serviceTickets { id externalId name url }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

const PROBE = /* GraphQL */ `
  query WizbridgeProbeIssues($first: Int, $filterBy: IssueFilters, $orderBy: IssueOrder) {
    connection: issuesV2(first: $first, filterBy: $filterBy, orderBy: $orderBy) {
      nodes { id updatedAt }
      totalCount
    }
  }
`;

/**
 * Issues change on updatedAt and statusChangedAt; every status change also bumps updatedAt, so the walk
 * by updatedAt sees every change (including resolutions, emitted as updates).
 */
export const issuesStream: StreamDefinition = {
  name: "issues",
  operationName: "WizbridgeSyncIssues",
  document: DOCUMENT,
  probeDocument: PROBE,
  filterType: "IssueFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "5m",
  cursorField: "updatedAt",
  order: { ascending: { field: "UPDATED_AT", direction: "ASC" }, descending: { field: "UPDATED_AT", direction: "DESC" } },
  managedFilterKeys: ["updatedAt"],
  fixedFilter: (user) => ({ ...user }),
  assetScope: (ids) => ({ relatedEntity: { id: [...ids] } }),
};
