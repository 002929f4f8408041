import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { opaqueId } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";

const DOCUMENT = /* GraphQL */ `
  query GetSystemActivity($id: ID!) {
    systemActivity(id: $id) {
      id status statusInfo startedAt endedAt
      result {
        ... on SystemActivityEnrichmentIntegrationResult {
          dataSources { incoming handled }
          findings { incoming handled }
          events { incoming handled }
          tags { incoming handled }
          unresolvedAssets { count ids }
        }
      }
      context { ... on SystemActivityEnrichmentIntegrationContext { fileUploadId } }
    }
  }
`;

type Stats = { incoming: number; handled: number };

export interface SystemActivity {
  id: string;
  /** IN_PROGRESS while running; SUCCESS, FAILURE or SKIPPED (some assets unresolved) when done. */
  status: "IN_PROGRESS" | "SUCCESS" | "FAILURE" | "SKIPPED";
  statusInfo: string | null;
  startedAt: string | null;
  endedAt: string | null;
  result: {
    dataSources: Stats;
    findings: Stats;
    events: Stats;
    tags: Stats;
    unresolvedAssets: { count: number; ids: string[] } | null;
  } | null;
  context: { fileUploadId: string } | null;
}

export const getSystemActivityOperation = defineOperation({
  resource: "upload",
  name: "getSystemActivity",
  description: "Poll an upload's system activity: status and incoming/handled counts. Null (or not found) right after the upload is normal; poll again.",
  input: z.strictObject({ id: opaqueId("system activity") }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readSystemActivities,
  variables: (input) => ({ id: input.id }),
  output: (data): SystemActivity | null => (data as { systemActivity: SystemActivity | null }).systemActivity,
});
