import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { dateFilterInput } from "../date-filter.input.js";
import { defineListOperation } from "../define-operation.js";
import { equalsFilterInput, toEqualsFilter } from "../equals-filter.input.js";
import { pageArgs } from "../page-args.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, DETECTION_ORDER_FIELDS, DETECTION_ORIGINS, DETECTION_TYPES, ORDER_DIRECTIONS, SEVERITIES } from "../wiz-enums.js";
import { SCOPES } from "../wiz-scopes.js";
import type { DetectionNode } from "./detection-node.js";

const DOCUMENT = /* GraphQL */ `
  query ListDetections($filterBy: DetectionFilters, $first: Int, $after: String, $orderBy: DetectionOrder, $enforceTimestampContinuity: Boolean) {
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
      }
    }
  }
`;

const text = z.string().min(1, { error: "must not be empty" });

// Each wrapped field takes the friendly bare list or Wiz's raw {equals: [...]}; Wiz itself only takes the wrapper.
const detectionFiltersInput = z.strictObject({
  id: equalsFilterInput(wizUuid("detection")).optional(),
  issueId: z.array(wizUuid("issue")).optional(),
  type: equalsFilterInput(z.enum(DETECTION_TYPES)).optional(),
  severity: equalsFilterInput(z.enum(SEVERITIES)).optional(),
  cloudPlatform: equalsFilterInput(z.enum(CLOUD_PLATFORMS)).optional(),
  origin: equalsFilterInput(z.enum(DETECTION_ORIGINS)).optional(),
  cloudAccountOrCloudOrganizationId: equalsFilterInput(text).optional(),
  resource: z.strictObject({ id: equalsFilterInput(text) }).optional(),
  matchedRule: z.strictObject({ id: z.array(text).min(1) }).optional(),
  matchedRuleName: equalsFilterInput(text).optional(),
  projectId: z.array(wizUuid("project")).optional(),
  createdAt: dateFilterInput.optional(),
  updatedAt: dateFilterInput.optional(),
});

type DetectionFiltersInput = z.output<typeof detectionFiltersInput>;

/** The DetectionFilters variable: every wrapped field as `{equals: [...]}`, the scalar-list ones as given. */
function detectionFilterVariables(filter: DetectionFiltersInput | undefined): Record<string, unknown> | undefined {
  if (!filter) return undefined;
  return {
    ...filter,
    id: toEqualsFilter(filter.id),
    type: toEqualsFilter(filter.type),
    severity: toEqualsFilter(filter.severity),
    cloudPlatform: toEqualsFilter(filter.cloudPlatform),
    origin: toEqualsFilter(filter.origin),
    cloudAccountOrCloudOrganizationId: toEqualsFilter(filter.cloudAccountOrCloudOrganizationId),
    resource: filter.resource ? { id: toEqualsFilter(filter.resource.id) } : undefined,
    matchedRuleName: toEqualsFilter(filter.matchedRuleName),
  };
}

export const listDetectionsOperation = defineListOperation({
  resource: "detection",
  name: "list",
  description:
    "List Wiz Defend detections. Filters take bare lists (sent as Wiz's {equals} wrappers). Wiz quirk: any filter without type returns only GENERATED_THREAT; pass type [GENERATED_THREAT, MATCH_ONLY] for all.",
  input: z.strictObject({
    filterBy: detectionFiltersInput.optional(),
    orderBy: z.strictObject({ field: z.enum(DETECTION_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) }).optional(),
    enforceTimestampContinuity: z.boolean().optional(),
    ...pageArgs(1000),
  }),
  document: DOCUMENT,
  scopes: SCOPES.readDetections,
  variables: (input) => ({
    filterBy: detectionFilterVariables(input.filterBy),
    orderBy: input.orderBy,
    enforceTimestampContinuity: input.enforceTimestampContinuity,
    first: input.first,
    after: input.after,
  }),
  connection: (data) => (data as { detections: RelayConnection<DetectionNode> | null }).detections,
  pageCap: 1000,
});
