import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncConfigurationFindings($first: Int, $after: String, $filterBy: ConfigurationFindingFilters, $orderBy: ConfigurationFindingOrder) {
    connection: configurationFindings(first: $first, after: $after, filterBy: $filterBy, orderBy: $orderBy) {
      nodes {
        id
        name
        analyzedAt
        updatedAt
        deletedAt
        severity
        result
        status
        remediation
        resource {
          id
          providerId
          name
          nativeType
          type
          region
          cloudPlatform
          subscription { id name externalId cloudProvider }
          tags { key value }
        }
        rule { id shortId name description remediationInstructions }
        evidence { currentValue expectedValue configurationPath }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

const PROBE = /* GraphQL */ `
  query WizbridgeProbeConfigurationFindings($first: Int, $filterBy: ConfigurationFindingFilters, $orderBy: ConfigurationFindingOrder) {
    connection: configurationFindings(first: $first, filterBy: $filterBy, orderBy: $orderBy) {
      nodes { id updatedAt }
      totalCount
    }
  }
`;

export const configurationFindingsStream: StreamDefinition = {
  name: "configurationFindings",
  operationName: "WizbridgeSyncConfigurationFindings",
  document: DOCUMENT,
  probeDocument: PROBE,
  filterType: "ConfigurationFindingFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "30m",
  cursorField: "updatedAt",
  order: { ascending: { field: "UPDATED_AT", direction: "ASC" }, descending: { field: "UPDATED_AT", direction: "DESC" } },
  managedFilterKeys: ["updatedAt"],
  fixedFilter: (user) => ({ ...user }),
  assetScope: (ids) => ({ resource: { id: [...ids] } }),
};
