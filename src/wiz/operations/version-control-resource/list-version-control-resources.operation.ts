import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { CLOUD_PLATFORMS, GRAPH_ENTITY_TYPES, type CloudPlatform, type GraphEntityType } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";

const DOCUMENT = /* GraphQL */ `
  query ListVersionControlResources($filterBy: VersionControlResourceFilters, $first: Int, $after: String) {
    versionControlResources(filterBy: $filterBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name type cloudPlatform providerID url repository { id name url } }
    }
  }
`;

export interface VersionControlResourceNode {
  id: string;
  name: string | null;
  type: GraphEntityType;
  cloudPlatform: CloudPlatform | null;
  /** Capital "ID" on the wire; the enrichment upload's providerId for SAST findings. */
  providerID: string;
  url: string | null;
  repository: { id: string; name: string | null; url: string | null } | null;
}

const text = z.string().min(1, { error: "must not be empty" });

export const listVersionControlResourcesOperation = defineListOperation({
  resource: "versionControlResource",
  name: "list",
  description: "List repositories and branches (versionControlResources), e.g. type REPOSITORY_BRANCH, to match SAST findings to providerID.",
  input: z.strictObject({
    filterBy: z
      .strictObject({
        id: z.array(text).optional(),
        search: text.optional(),
        type: z.array(z.enum(GRAPH_ENTITY_TYPES)).optional(),
        cloudPlatform: z.array(z.enum(CLOUD_PLATFORMS)).optional(),
      })
      .optional(),
    ...pageArgs(500),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ filterBy: input.filterBy, first: input.first, after: input.after }),
  connection: (data) => (data as { versionControlResources: RelayConnection<VersionControlResourceNode> | null }).versionControlResources,
  pageCap: 500,
});
