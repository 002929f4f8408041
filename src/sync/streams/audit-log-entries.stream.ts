import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncAuditLogEntries($first: Int, $after: String, $filterBy: AuditLogEntryFilters) {
    connection: auditLogEntries(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        action
        requestId
        status
        timestamp
        actionParameters
        userAgent
        sourceIP
        user { id name email }
        serviceAccount { id name }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

/** The audit log: immutable entries filtered by `timestamp`; Wiz offers no ordering, so it is walked in one chain. */
export const auditLogEntriesStream: StreamDefinition = {
  name: "auditLogEntries",
  operationName: "WizbridgeSyncAuditLogEntries",
  document: DOCUMENT,
  filterType: "AuditLogEntryFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "15m",
  cursorField: "timestamp",
  managedFilterKeys: ["timestamp"],
  fixedFilter: (user) => ({ ...user }),
};
