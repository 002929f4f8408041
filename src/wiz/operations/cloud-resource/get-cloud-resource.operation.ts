import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";
import type { CloudResourceNode } from "./cloud-resource-node.js";

const DOCUMENT = /* GraphQL */ `
  query GetCloudResource($id: ID!) {
    cloudResource(id: $id) {
      id name type nativeType subscriptionId subscriptionExternalId subscriptionName
      graphEntity { id providerUniqueId name type properties firstSeen lastSeen projects { id } }
    }
  }
`;

export const getCloudResourceOperation = defineOperation({
  resource: "cloudResource",
  name: "get",
  description: "Get one cloud resource by its Wiz UUID (resolve a provider id first with cloudResource listIDs).",
  input: z.strictObject({ id: wizUuid("cloud resource") }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readResources,
  variables: (input) => ({ id: input.id }),
  output: (data, input): CloudResourceNode => {
    const resource = (data as { cloudResource: CloudResourceNode | null }).cloudResource;
    if (!resource) {
      throw new WizNotFoundError(
        {
          what: `No cloud resource with id ${input.id} is visible to this service account.`,
          cause: "the id is a provider id rather than a Wiz id, belongs to another tenant, or the resource is gone.",
          fix: "resolve provider ids with cloudResource listIDs, and check the service account's project scope.",
        },
        { code: "NOT_FOUND", operationName: "cloudResource.get", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return resource;
  },
});
