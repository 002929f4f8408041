import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { CLOUD_RESOURCE_FILTER_HINTS, cloudResourceFiltersInput } from "./cloud-resource-filters.input.js";
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

export const listCloudResourcesOperation = defineListOperation({
  resource: "cloudResource",
  name: "list",
  description: "List cloud resources (cloudResources) by filterBy search text, type, subscriptionExternalId (account id), providerUniqueId (ARNs...), platform, project or dates.",
  input: z.strictObject({
    filterBy: cloudResourceFiltersInput.optional(),
    ...pageArgs(500),
  }),
  inputHints: CLOUD_RESOURCE_FILTER_HINTS,
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ filterBy: input.filterBy, first: input.first, after: input.after }),
  connection: (data) => (data as { cloudResources: RelayConnection<CloudResourceNode> | null }).cloudResources,
  pageCap: 500,
});
