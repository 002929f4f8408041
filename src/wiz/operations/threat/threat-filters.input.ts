import { z } from "zod";
import { dateFilterInput } from "../date-filter.input.js";
import { bareListInput, equalsFilterInput, scalarFilterInput } from "../equals-filter.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, DETECTION_ORIGINS, ORDER_DIRECTIONS, SEVERITIES, ISSUE_STATUSES } from "../wiz-enums.js";

const text = z.string().min(1, { error: "must not be empty" });
const ROOT = "threat";

/**
 * The threat filters of XD (REFERENCE 2.7, OPERATIONS.md): bare lists, scalar id and project, eventOrigin in
 * {equals}, the platform nested under relatedEntity. type and filterScope are fixed by the threat operations.
 */
export const threatFiltersInput = z.strictObject({
  id: scalarFilterInput(ROOT, (base) => wizUuid("threat issue", base)).optional(),
  status: bareListInput(z.enum(ISSUE_STATUSES), ROOT).optional(),
  severity: bareListInput(z.enum(SEVERITIES), ROOT).optional(),
  createdAt: dateFilterInput.optional(),
  /** The platform goes here without a wrapper, as XD sends it. */
  relatedEntity: z
    .strictObject({
      id: z.union([text, z.array(text).min(1)]).optional(),
      ids: bareListInput(text, ROOT).optional(),
      cloudPlatform: bareListInput(z.enum(CLOUD_PLATFORMS), ROOT).optional(),
    })
    .optional(),
  cloudAccountOrCloudOrganizationId: bareListInput(text, ROOT).optional(),
  threatResource: z.strictObject({ ids: bareListInput(text, ROOT).min(1, { error: "needs at least one resource id" }) }).optional(),
  eventOrigin: equalsFilterInput(z.enum(DETECTION_ORIGINS), "threat eventOrigin").optional(),
  project: scalarFilterInput(ROOT, (base) => wizUuid("project", base)).optional(),
});

/** Where the fields users put at the wrong level of a threat filter belong. */
export const THREAT_FILTER_HINTS: Readonly<Record<string, string>> = Object.freeze({
  "filterBy.cloudPlatform": 'threat filters take the platform nested under relatedEntity (unlike detections): write {"relatedEntity": {"cloudPlatform": ["AWS"]}}',
  "filterBy.origin": 'threat filters name the origin eventOrigin, in a wrapper: write {"eventOrigin": {"equals": ["WIZ_SENSOR"]}}',
  "filterBy.type": "threat list always sends type [THREAT_DETECTION]; leave type out",
  "filterBy.projectId": 'threat filters name the project "project" (one id): write {"project": "<project uuid>"}',
});

/** Threats order by SEVERITY or CREATED_AT (XD). */
export const threatOrderInput = z.strictObject({ field: z.enum(["SEVERITY", "CREATED_AT"]), direction: z.enum(ORDER_DIRECTIONS) });
