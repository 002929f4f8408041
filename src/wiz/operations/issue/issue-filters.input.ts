import { z } from "zod";
import { dateFilterInput } from "../date-filter.input.js";
import { bareListInput, equalsFilterInput } from "../equals-filter.input.js";
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

/** A value Wiz declares as a list but clients send as a scalar too (XW's `id`, XD's `project`); GraphQL coerces it. */
function oneOrMany<T extends z.ZodType>(item: T) {
  return z.union([item, z.array(item).min(1, { error: "needs at least one value" })]);
}

/** relatedEntity: `{id}` (a graph entity id, scalar as XW sends it, or a list), `{ids}`, `{type}` or `{cloudPlatform}`. */
export const issueRelatedEntityInput = z.strictObject({
  id: oneOrMany(text).optional(),
  ids: z.array(text).optional(),
  type: bareListInput(z.enum(GRAPH_ENTITY_TYPES), "issue").optional(),
  cloudPlatform: bareListInput(z.enum(CLOUD_PLATFORMS), "issue").optional(),
});

/** The issuesV2 filterBy fields clients send (REFERENCE 2.1), as Wiz takes them: bare lists, ISO dates, nested relatedEntity. */
export const issueFiltersInput = z.strictObject({
  id: oneOrMany(wizUuid("issue")).optional(),
  search: text.optional(),
  status: bareListInput(z.enum(ISSUE_STATUSES), "issue").optional(),
  severity: bareListInput(z.enum(SEVERITIES), "issue").optional(),
  type: bareListInput(z.enum(ISSUE_TYPES), "issue").optional(),
  createdAt: dateFilterInput.optional(),
  updatedAt: dateFilterInput.optional(),
  statusChangedAt: dateFilterInput.optional(),
  resolvedAt: dateFilterInput.optional(),
  dueAt: dateFilterInput.optional(),
  relatedEntity: issueRelatedEntityInput.optional(),
  project: oneOrMany(wizUuid("project")).optional(),
  cloudAccountOrCloudOrganizationId: bareListInput(text, "issue").optional(),
  /** The one wrapped field of issue filters. */
  eventOrigin: equalsFilterInput(z.enum(DETECTION_ORIGINS), "issue eventOrigin").optional(),
  threatResource: z.strictObject({ ids: z.array(text).min(1) }).optional(),
  sourceRule: z.strictObject({ id: z.array(text).min(1) }).optional(),
  resolutionReason: bareListInput(z.enum(ISSUE_RESOLUTION_REASONS), "issue").optional(),
  hasServiceTicket: z.boolean().optional(),
  hasNote: z.boolean().optional(),
  hasRemediation: z.boolean().optional(),
});

export type IssueFiltersInput = z.output<typeof issueFiltersInput>;

/** Where the fields users put at the wrong level of an issue filter belong. */
export const ISSUE_FILTER_HINTS: Readonly<Record<string, string>> = Object.freeze({
  "filterBy.cloudPlatform": 'issue filters take the platform nested under relatedEntity: write {"relatedEntity": {"cloudPlatform": ["AWS"]}}',
  "filterBy.entityType": 'issue filters take the resource type under relatedEntity: write {"relatedEntity": {"type": ["VIRTUAL_MACHINE"]}}',
  "filterBy.resourceId": 'issue filters take the resource under relatedEntity: write {"relatedEntity": {"id": "<graph entity id>"}}',
});

export const issueOrderInput = z.strictObject({ field: z.enum(ISSUE_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) });
