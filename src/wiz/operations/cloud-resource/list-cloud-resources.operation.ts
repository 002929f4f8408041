import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { dateFilterInput } from "../date-filter.input.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, GRAPH_ENTITY_TYPES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import type { CloudResourceNode } from "./cloud-resource-node.js";

const DOCUMENT = /* GraphQL */ `
  query ListCloudResources($filterBy: CloudResourceFilters, $first: Int, $after: String) {
    cloudResources(filterBy: $filterBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name type nativeType subscriptionId subscriptionExternalId subscriptionName
        graphEntity { id providerUniqueId name type properties firstSeen lastSeen projects { id } }
      }
    }
  }
`;

const text = z.string().min(1, { error: "must not be empty" });

export const listCloudResourcesOperation = defineListOperation({
  resource: "cloudResource",
  name: "list",
  description: "List cloud resources (cloudResources) by search text, provider unique id, type, platform, subscription, project or dates.",
  input: z.strictObject({
    filterBy: z
      .strictObject({
        id: z.array(wizUuid("cloud resource")).optional(),
        search: text.optional(),
        providerUniqueId: z.array(text).optional(),
        type: z.array(z.enum(GRAPH_ENTITY_TYPES)).optional(),
        cloudPlatform: z.array(z.enum(CLOUD_PLATFORMS)).optional(),
        subscriptionId: z.array(text).optional(),
        projectId: z.array(wizUuid("project")).optional(),
        updatedAt: dateFilterInput.optional(),
        firstSeen: dateFilterInput.optional(),
        lastSeen: dateFilterInput.optional(),
      })
      .optional(),
    ...pageArgs(500),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ filterBy: input.filterBy, first: input.first, after: input.after }),
  connection: (data) => (data as { cloudResources: RelayConnection<CloudResourceNode> | null }).cloudResources,
  pageCap: 500,
});
