import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { isWizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError, WizResponseError } from "../../wiz-errors.js";

const DOCUMENT = /* GraphQL */ `
  mutation CopyResourceForensicsToExternalAccount($input: CopyResourceForensicsToExternalAccountInput!) {
    copyResourceForensicsToExternalAccount(input: $input) { systemActivityGroupId }
  }
`;

// XW resolves a provider id (ARN, instance id...) to the Wiz id before asking for the copy.
const RESOLVE_DOCUMENT = /* GraphQL */ `
  query ResolveForensicsResource($filterBy: CloudResourceFilters) {
    cloudResources(filterBy: $filterBy, first: 1) { nodes { id } }
  }
`;

export interface ForensicsCopy {
  /** The Wiz id of the resource copied. */
  resourceId: string;
  /** The provider id given, when it had to be resolved. */
  providerUniqueId?: string;
  /** Group of the system activities doing the copy; Wiz may leave it empty. */
  systemActivityGroupId: string | null;
}

function copyOf(data: unknown, resourceId: string): ForensicsCopy {
  const payload = (data as { copyResourceForensicsToExternalAccount: { systemActivityGroupId: string | null } | null }).copyResourceForensicsToExternalAccount;
  if (!payload) {
    throw new WizResponseError(
      { what: "Wiz returned no answer to the forensics copy.", cause: "an incomplete answer; the copy may have started.", fix: "check Wiz's system activity log before asking again." },
      { code: "EMPTY_MUTATION_RESULT", operationName: "forensics.copyToExternalAccount", status: 200, retryable: false },
    );
  }
  return { resourceId, systemActivityGroupId: payload.systemActivityGroupId ?? null };
}

export const copyToExternalAccountOperation = defineOperation({
  resource: "forensics",
  name: "copyToExternalAccount",
  description:
    "Copy a VM's or container's disks to the forensics account. Takes the Wiz resource UUID or a provider id (resolved first, needing read:resources too).",
  input: z.strictObject({ resourceId: z.string().min(1, { error: "must be the Wiz resource UUID or the provider's id (ARN, instance id...)" }) }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.createForensics,
  variables: (input) => ({ input: { id: input.resourceId } }),
  output: (data, input) => copyOf(data, input.resourceId),
  async execute(input, context) {
    let resourceId = input.resourceId;
    if (!isWizUuid(resourceId)) {
      const found = await context.graphql<{ cloudResources: { nodes: Array<{ id: string }> } | null }>(RESOLVE_DOCUMENT, {
        filterBy: { providerUniqueId: [resourceId] },
      });
      const match = found.cloudResources?.nodes[0];
      if (!match) {
        throw new WizNotFoundError(
          {
            what: `No cloud resource has the provider id ${resourceId}, so no forensics copy was requested.`,
            cause: "a typo, a resource Wiz has not scanned yet, or one outside the service account's scope.",
            fix: "pass the Wiz resource UUID, or check the id with cloudResource list --search.",
          },
          { code: "NOT_FOUND", operationName: "forensics.copyToExternalAccount", status: 200, retryable: false, mayHaveExecuted: false },
        );
      }
      resourceId = match.id;
    }
    const data = await context.graphql(DOCUMENT, { input: { id: resourceId } }, { mutating: true });
    const copy = copyOf(data, resourceId);
    return resourceId === input.resourceId ? copy : { ...copy, providerUniqueId: input.resourceId };
  },
});
