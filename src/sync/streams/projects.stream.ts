import type { StreamDefinition } from "../stream-definition.js";

const DOCUMENT = /* GraphQL */ `
  query WizbridgeSyncProjects($first: Int, $after: String, $filterBy: ProjectFilters) {
    connection: projects(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        name
        slug
        description
        businessUnit
        archived
        isFolder
        securityScore
        cloudAccountCount
        repositoryCount
        teamMemberCount
        riskProfile { businessImpact }
        projectOwners { id name email }
        securityChampions { id name email }
      }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

/** Projects have no change field: every run is a full snapshot that emits only what changed, and removals. */
export const projectsStream: StreamDefinition = {
  name: "projects",
  operationName: "WizbridgeSyncProjects",
  document: DOCUMENT,
  filterType: "ProjectFilters",
  pageSizeCap: 500,
  defaultPageSize: 500,
  defaultSchedule: "24h",
  cursorField: null,
  managedFilterKeys: [],
  fixedFilter: (user) => ({ ...user }),
};
