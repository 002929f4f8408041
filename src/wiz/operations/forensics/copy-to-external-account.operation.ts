import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { isWizUuid, UUID_EXAMPLE } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizResponseError } from "../../wiz-errors.js";

const DOCUMENT = /* GraphQL */ `
  mutation CopyResourceForensicsToExternalAccount($input: CopyResourceForensicsToExternalAccountInput!) {
    copyResourceForensicsToExternalAccount(input: $input) { systemActivityGroupId }
  }
`;

export interface ForensicsCopy {
  /** The Wiz id of the resource copied. */
  resourceId: string;
  /** Track the copy with it in Wiz's system activity log; Wiz may leave it empty. */
  systemActivityGroupId: string | null;
}

// Wiz answers a provider id here with "resource not found"; saying what to do instead is the point.
const resourceUuid = z.string().refine(isWizUuid, {
  error: (issue: { input?: unknown }) =>
    typeof issue.input === "string" && issue.input.length > 0
      ? `must be the Wiz internal resource UUID (e.g. ${UUID_EXAMPLE}), not a provider id such as an ARN: use cloudResource.listIDs first ({"filterBy": {"providerUniqueId": [${JSON.stringify(issue.input.slice(0, 300))}]}}) and pass the id it returns`
      : `must be the Wiz internal resource UUID, e.g. ${UUID_EXAMPLE}`,
});

export const copyToExternalAccountOperation = defineOperation({
  resource: "forensics",
  name: "copyToExternalAccount",
  description:
    "Copy a VM's or container's disks to the forensics account: input.id is the Wiz resource UUID (turn an ARN into it with cloudResource listIDs). Asynchronous: returns the systemActivityGroupId to track.",
  input: z.strictObject({ input: z.strictObject({ id: resourceUuid }) }),
  inputHints: Object.freeze({
    resourceId: 'forensics copyToExternalAccount takes Wiz\'s variable shape: write {"input": {"id": "<Wiz resource uuid>"}}',
    id: 'forensics copyToExternalAccount takes Wiz\'s variable shape: write {"input": {"id": "<Wiz resource uuid>"}}',
  }),
  document: DOCUMENT,
  mutating: true,
  scopes: SCOPES.createForensics,
  variables: (parsed) => ({ input: parsed.input }),
  output: (data, parsed): ForensicsCopy => {
    const payload = (data as { copyResourceForensicsToExternalAccount: { systemActivityGroupId: string | null } | null }).copyResourceForensicsToExternalAccount;
    if (!payload) {
      throw new WizResponseError(
        { what: "Wiz returned no answer to the forensics copy.", cause: "an incomplete answer; the copy may have started.", fix: "check Wiz's system activity log before asking again." },
        { code: "EMPTY_MUTATION_RESULT", operationName: "forensics.copyToExternalAccount", status: 200, retryable: false },
      );
    }
    return { resourceId: parsed.input.id, systemActivityGroupId: payload.systemActivityGroupId ?? null };
  },
});
