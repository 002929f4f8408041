import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";
import { CLOUD_RESOURCE_FILTER_HINTS } from "./cloud-resource-filters.input.js";
import type { CloudResourceNode } from "./cloud-resource-node.js";

// XW's get-resource: cloudResources by search text or provider id, the first match.
const DOCUMENT = /* GraphQL */ `
  query GetCloudResource($filterBy: CloudResourceFilters, $first: Int) {
    cloudResources(filterBy: $filterBy, first: $first) {
      nodes {
        id name type nativeType subscriptionId subscriptionExternalId subscriptionName
        graphEntity { id providerUniqueId name type properties firstSeen lastSeen projects { id } }
      }
    }
  }
`;

const text = z.string().min(1, { error: "must not be empty" });

const input = z.strictObject({
  filterBy: z
    .strictObject({
      search: text.optional(),
      /** One provider id (ARN...), or a list of one as list takes it. */
      providerUniqueId: z.union([text, z.array(text).length(1, { error: "takes exactly one provider id" })]).optional(),
    })
    .refine((f) => (f.search === undefined) !== (f.providerUniqueId === undefined), { error: 'needs exactly one of search (name text) or providerUniqueId (ARN...), e.g. {"providerUniqueId": "arn:aws:ec2:..."}' }),
});

function describeFilter(filter: z.output<typeof input>["filterBy"]): string {
  return filter.search !== undefined ? `matches the search ${JSON.stringify(filter.search)}` : `has the provider id ${JSON.stringify(filter.providerUniqueId)}`;
}

export const getCloudResourceOperation = defineOperation({
  resource: "cloudResource",
  name: "get",
  description: "Get one cloud resource by filterBy.search (name text; the first match) or filterBy.providerUniqueId (an ARN, Azure resource id...).",
  input,
  inputHints: { ...CLOUD_RESOURCE_FILTER_HINTS, id: 'cloudResource get takes {"filterBy": {"search": "..."}} or {"filterBy": {"providerUniqueId": "arn:..."}}' },
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readResources,
  variables: (parsed) => ({ filterBy: parsed.filterBy, first: 1 }),
  output: (data, parsed): CloudResourceNode => {
    const resource = (data as { cloudResources: { nodes: CloudResourceNode[] } | null }).cloudResources?.nodes[0];
    if (!resource) {
      throw new WizNotFoundError(
        {
          what: `No cloud resource visible to this service account ${describeFilter(parsed.filterBy)}.`,
          cause: "a typo, a resource Wiz has not scanned yet, or one outside the service account's project scope.",
          fix: "check the value with cloudResource list --search, and the service account's project scope.",
        },
        { code: "NOT_FOUND", operationName: "cloudResource.get", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return resource;
  },
});
