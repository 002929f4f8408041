import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineListOperation } from "../define-operation.js";
import { pageArgs } from "../page-args.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { CLOUD_RESOURCE_FILTER_HINTS, cloudResourceFiltersInput } from "./cloud-resource-filters.input.js";

// XW's ARN -> Wiz id lookup: the same filters as list, only the ids (and the provider id to match them by).
const DOCUMENT = /* GraphQL */ `
  query ListCloudResourceIds($filterBy: CloudResourceFilters, $first: Int, $after: String) {
    cloudResources(filterBy: $filterBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id graphEntity { providerUniqueId } }
    }
  }
`;

/** One resource's Wiz internal id: what forensics and graph calls need. */
export interface CloudResourceIdNode {
  id: string;
  graphEntity: { providerUniqueId: string | null } | null;
}

export const listCloudResourceIdsOperation = defineListOperation({
  resource: "cloudResource",
  name: "listIDs",
  description:
    "The Wiz internal ids of the cloud resources matching filterBy (same filters as list): the cheap way to turn an ARN (filterBy.providerUniqueId) into the id forensics and graph calls need.",
  input: z.strictObject({
    filterBy: cloudResourceFiltersInput.optional(),
    ...pageArgs(500),
  }),
  inputHints: {
    ...CLOUD_RESOURCE_FILTER_HINTS,
    providerUniqueIds: 'cloudResource listIDs takes the list filters: write {"filterBy": {"providerUniqueId": ["arn:..."]}}',
  },
  document: DOCUMENT,
  scopes: SCOPES.readResources,
  variables: (input) => ({ filterBy: input.filterBy, first: input.first, after: input.after }),
  connection: (data) => (data as { cloudResources: RelayConnection<CloudResourceIdNode> | null }).cloudResources,
  pageCap: 500,
});
