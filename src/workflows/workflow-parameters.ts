import { z } from "zod";
import { ISSUE_STATUSES, SEVERITIES } from "../wiz/operations/wiz-enums.js";

/** Parameter pieces the workflows share, with the enum values Wiz takes. */
export const severityList = z.array(z.enum(SEVERITIES)).min(1, { error: "name at least one severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL)" });
export const issueStatusList = z.array(z.enum(ISSUE_STATUSES)).min(1, { error: "name at least one status (OPEN, IN_PROGRESS, RESOLVED, REJECTED)" });
export const providerId = z.string().trim().min(1, { error: "must be the provider's id of the resource (an ARN, an Azure resource id, ...)" });
