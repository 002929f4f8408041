import { z } from "zod";
import { dateFilterInput } from "../date-filter.input.js";
import { equalsFilterInput } from "../equals-filter.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, DETECTION_ORIGINS, ISSUE_ORDER_FIELDS, ISSUE_STATUSES, ORDER_DIRECTIONS, SEVERITIES } from "../wiz-enums.js";

const text = z.string().min(1, { error: "must not be empty" });

/** The threat filters of XD (REFERENCE 2.7); type and filterScope are fixed by the threat operations. */
export const threatFiltersInput = z.strictObject({
  id: z.array(wizUuid("threat issue")).optional(),
  status: z.array(z.enum(ISSUE_STATUSES)).optional(),
  severity: z.array(z.enum(SEVERITIES)).optional(),
  createdAt: dateFilterInput.optional(),
  /** The platform goes here without a wrapper, as XD sends it. */
  relatedEntity: z
    .strictObject({ id: z.array(text).optional(), ids: z.array(text).optional(), cloudPlatform: z.array(z.enum(CLOUD_PLATFORMS)).optional() })
    .optional(),
  cloudAccountOrCloudOrganizationId: z.array(text).optional(),
  threatResource: z.strictObject({ ids: z.array(text).min(1) }).optional(),
  eventOrigin: equalsFilterInput(z.enum(DETECTION_ORIGINS)).optional(),
  project: z.array(wizUuid("project")).optional(),
});

export const threatOrderInput = z.strictObject({ field: z.enum(ISSUE_ORDER_FIELDS), direction: z.enum(ORDER_DIRECTIONS) });
