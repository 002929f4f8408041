import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { dateFilterInput } from "../date-filter.input.js";
import { defineListOperation } from "../define-operation.js";
import { equalsFilterInput, scalarFilterInput } from "../equals-filter.input.js";
import { pageArgs } from "../page-args.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, DETECTION_ORDER_FIELDS, DETECTION_ORIGINS, DETECTION_TYPES, ORDER_DIRECTIONS, SEVERITIES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import type { DetectionNode } from "./detection-node.js";

// XD's fetch: triggering events (10 per detection) unless the caller turns them off.
const DOCUMENT = /* GraphQL */ `
  query ListDetections(
    $filterBy: DetectionFilters
    $first: Int
    $after: String
    $orderBy: DetectionOrder
    $enforceTimestampContinuity: Boolean
    $includeTriggeringEvents: Boolean = true
  ) {
    detections(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy, enforceTimestampContinuity: $enforceTimestampContinuity) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id type status origins severity description(format: MARKDOWN) createdAt updatedAt startedAt endedAt
        issue { id url }
        ruleMatch { rule { id name sourceType } }
        primaryResource { id type name externalId region providerUniqueId }
        primaryActor { id name type }
        cloudAccounts { id name externalId cloudProvider }
        triggeringEvents(first: 10) @include(if: $includeTriggeringEvents) {
          totalCount
          nodes { ... on CloudEvent { id name timestamp origin category actorIP } }
        }
      }
    }
  }
`;

const text = z.string().min(1, { error: "must not be empty" });
const ROOT = "detection";

// Wiz's DetectionFilters: most fields take the {equals: [...]} wrapper; issueId, matchedRule.id and projectId are scalars.
const detectionFiltersInput = z.strictObject({
  id: equalsFilterInput(wizUuid("detection"), ROOT).optional(),
  issueId: scalarFilterInput(ROOT, (base) => wizUuid("issue", base)).optional(),
  type: equalsFilterInput(z.enum(DETECTION_TYPES), ROOT).optional(),
  severity: equalsFilterInput(z.enum(SEVERITIES), ROOT).optional(),
  cloudPlatform: equalsFilterInput(z.enum(CLOUD_PLATFORMS), ROOT).optional(),
  origin: equalsFilterInput(z.enum(DETECTION_ORIGINS), ROOT).optional(),
  cloudAccountOrCloudOrganizationId: equalsFilterInput(text, ROOT).optional(),
  resource: z.strictObject({ id: equalsFilterInput(text, ROOT) }).optional(),
  matchedRule: z.strictObject({ id: scalarFilterInput(ROOT) }).optional(),
  matchedRuleName: equalsFilterInput(text, ROOT).optional(),
  projectId: scalarFilterInput(ROOT, (base) => wizUuid("project", base)).optional(),
  createdAt: dateFilterInput.optional(),
  updatedAt: dateFilterInput.optional(),
});

export const listDetectionsOperation = defineListOperation({
  resource: "detection",
  name: "list",
  description:
    "List Wiz Defend detections. Filters use Wiz's {equals: [...]} wrappers (issueId, matchedRule.id and projectId are scalars). Wiz quirk: any filter without type returns only GENERATED_THREAT; pass type {equals: [GENERATED_THREAT, MATCH_ONLY]} for all.",
  input: z.strictObject({
    filterBy: detectionFiltersInput.optional(),
    orderBy: z.strictObject({ field: z.enum(DETECTION_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) }).optional(),
    enforceTimestampContinuity: z.boolean().optional(),
    /** Up to 10 triggering events per detection (XD); false makes pages lighter. */
    includeTriggeringEvents: z.boolean().default(true),
    ...pageArgs(1000, 250),
  }),
  inputHints: Object.freeze({
    "filterBy.resourceId": 'detection filters take the resource as {"resource": {"id": {"equals": ["<resource id>"]}}}',
    "filterBy.status": "detections have no status filter; filter the linked issue with issue list instead",
  }),
  document: DOCUMENT,
  scopes: SCOPES.readDetections,
  variables: (input) => ({
    filterBy: input.filterBy,
    orderBy: input.orderBy,
    enforceTimestampContinuity: input.enforceTimestampContinuity,
    includeTriggeringEvents: input.includeTriggeringEvents,
    first: input.first,
    after: input.after,
  }),
  connection: (data) => (data as { detections: RelayConnection<DetectionNode> | null }).detections,
  pageCap: 1000,
});
