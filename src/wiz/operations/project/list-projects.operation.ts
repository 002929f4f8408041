import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { ORDER_DIRECTIONS, PROJECT_ORDER_FIELDS } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";

const DOCUMENT = /* GraphQL */ `
  query ListProjects($filterBy: ProjectFilters, $first: Int, $after: String, $orderBy: ProjectOrder) {
    projects(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name slug description businessUnit archived isFolder
        cloudAccountCount repositoryCount teamMemberCount securityScore
        riskProfile { businessImpact }
      }
    }
  }
`;

export interface ProjectNode {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  businessUnit: string | null;
  archived: boolean;
  isFolder: boolean;
  cloudAccountCount: number | null;
  repositoryCount: number | null;
  teamMemberCount: number | null;
  securityScore: number | null;
  riskProfile: { businessImpact: "LBI" | "MBI" | "HBI" | null } | null;
}

export const listProjectsOperation = defineListOperation({
  resource: "project",
  name: "list",
  description:
    "List projects with their business impact and security score; filterBy search text, includeArchived (default false), id or folder; orderBy {field: SECURITY_SCORE, NAME or CREATED_AT, direction}.",
  input: z.strictObject({
    filterBy: z
      .strictObject({
        id: z.array(wizUuid("project")).optional(),
        search: z.string().min(1, { error: "must not be empty" }).optional(),
        archived: z.boolean().optional(),
        /** Archived projects are left out unless true (OPERATIONS.md: default false). */
        includeArchived: z.boolean().default(false),
        isFolder: z.boolean().optional(),
      })
      .default({ includeArchived: false }),
    orderBy: z.strictObject({ field: z.enum(PROJECT_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) }).optional(),
    ...pageArgs(500),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readProjects,
  variables: (input) => ({ filterBy: input.filterBy, orderBy: input.orderBy, first: input.first, after: input.after }),
  connection: (data) => (data as { projects: RelayConnection<ProjectNode> | null }).projects,
  pageCap: 500,
});
