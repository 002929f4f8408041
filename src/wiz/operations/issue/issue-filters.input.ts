import { z } from "zod";
import { dateFilterInput } from "../date-filter.input.js";
import { equalsFilterInput, toEqualsFilter } from "../equals-filter.input.js";
import { wizUuid } from "../wiz-id.input.js";
import {
  CLOUD_PLATFORMS,
  DETECTION_ORIGINS,
  GRAPH_ENTITY_TYPES,
  ISSUE_ORDER_FIELDS,
  ISSUE_RESOLUTION_REASONS,
  ISSUE_STATUSES,
  ISSUE_TYPES,
  ORDER_DIRECTIONS,
  SEVERITIES,
} from "../wiz-enums.js";

const text = z.string().min(1, { error: "must not be empty" });

/** relatedEntity: `{id}`, `{ids}`, `{type}` or `{cloudPlatform}`, all bare lists as Wiz takes them. */
export const issueRelatedEntityInput = z.strictObject({
  id: z.array(text).optional(),
  ids: z.array(text).optional(),
  type: z.array(z.enum(GRAPH_ENTITY_TYPES)).optional(),
  cloudPlatform: z.array(z.enum(CLOUD_PLATFORMS)).optional(),
});

/** The issuesV2 filterBy fields current clients send (REFERENCE 2.1): bare arrays, ISO dates, nested relatedEntity. */
export const issueFiltersInput = z.strictObject({
  id: z.array(wizUuid("issue")).optional(),
  search: text.optional(),
  status: z.array(z.enum(ISSUE_STATUSES)).optional(),
  severity: z.array(z.enum(SEVERITIES)).optional(),
  type: z.array(z.enum(ISSUE_TYPES)).optional(),
  createdAt: dateFilterInput.optional(),
  updatedAt: dateFilterInput.optional(),
  statusChangedAt: dateFilterInput.optional(),
  resolvedAt: dateFilterInput.optional(),
  dueAt: dateFilterInput.optional(),
  relatedEntity: issueRelatedEntityInput.optional(),
  project: z.array(wizUuid("project")).optional(),
  cloudAccountOrCloudOrganizationId: z.array(text).optional(),
  /** The one wrapped field of issue filters; a bare list is accepted and wrapped. */
  eventOrigin: equalsFilterInput(z.enum(DETECTION_ORIGINS)).optional(),
  threatResource: z.strictObject({ ids: z.array(text).min(1) }).optional(),
  sourceRule: z.strictObject({ id: z.array(text).min(1) }).optional(),
  resolutionReason: z.array(z.enum(ISSUE_RESOLUTION_REASONS)).optional(),
  hasServiceTicket: z.boolean().optional(),
  hasNote: z.boolean().optional(),
  hasRemediation: z.boolean().optional(),
});

export type IssueFiltersInput = z.output<typeof issueFiltersInput>;

export const issueOrderInput = z.strictObject({ field: z.enum(ISSUE_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) });

/** The IssueFilters variable: what was given, with eventOrigin in its `{equals}` wrapper. */
export function issueFilterVariables<F extends { eventOrigin?: IssueFiltersInput["eventOrigin"] }>(filter: F | undefined): Record<string, unknown> | undefined {
  if (!filter) return undefined;
  const { eventOrigin, ...rest } = filter;
  return eventOrigin === undefined ? rest : { ...rest, eventOrigin: toEqualsFilter(eventOrigin) };
}
