import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { wizUuid } from "../wiz-id.input.js";
import { SCOPES } from "../wiz-scopes.js";
import { WizNotFoundError } from "../../wiz-errors.js";
import type { DetectionDetails } from "./detection-node.js";

const DOCUMENT = /* GraphQL */ `
  query GetDetection($id: ID!) {
    detection(id: $id) {
      id type status origins severity description(format: MARKDOWN) createdAt updatedAt startedAt endedAt
      issue { id url }
      ruleMatch { rule { id name sourceType } }
      primaryResource { id type name externalId region providerUniqueId }
      primaryActor { id name type }
      cloudAccounts { id name externalId cloudProvider }
      actors { id name type providerUniqueId }
      resources { id name type providerUniqueId }
      triggeringEvents(first: 10) {
        totalCount
        nodes { ... on CloudEvent { id name timestamp origin category actorIP } }
      }
    }
  }
`;

export const getDetectionOperation = defineOperation({
  resource: "detection",
  name: "get",
  description: "Get one detection by its UUID, with its actors, resources and first 10 triggering events.",
  input: z.strictObject({ id: wizUuid("detection") }),
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readDetections,
  variables: (input) => ({ id: input.id }),
  output: (data, input): DetectionDetails => {
    const detection = (data as { detection: DetectionDetails | null }).detection;
    if (!detection) {
      throw new WizNotFoundError(
        { what: `No detection with id ${input.id} is visible to this service account.`, cause: "a wrong id or one outside the service account's scope.", fix: "find the detection with detection list." },
        { code: "NOT_FOUND", operationName: "detection.get", status: 200, retryable: false, mayHaveExecuted: false },
      );
    }
    return detection;
  },
});
