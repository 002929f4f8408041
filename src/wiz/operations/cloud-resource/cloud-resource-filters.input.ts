import { z } from "zod";
import { dateFilterInput } from "../date-filter.input.js";
import { bareListInput } from "../equals-filter.input.js";
import { wizUuid } from "../wiz-id.input.js";
import { CLOUD_PLATFORMS, GRAPH_ENTITY_TYPES } from "../wiz-enums.js";

const text = z.string().min(1, { error: "must not be empty" });
const ROOT = "cloudResource";

/** CloudResourceFilters (cloudResources v1) as XW and BP send them: bare lists, `search` text. */
export const cloudResourceFiltersInput = z.strictObject({
  id: bareListInput(wizUuid("cloud resource"), ROOT).optional(),
  search: text.optional(),
  providerUniqueId: bareListInput(text, ROOT).optional(),
  type: bareListInput(z.enum(GRAPH_ENTITY_TYPES), ROOT).optional(),
  cloudPlatform: bareListInput(z.enum(CLOUD_PLATFORMS), ROOT).optional(),
  subscriptionId: bareListInput(text, ROOT).optional(),
  /** The account's own id: AWS account id, Azure subscription id, GCP project id. */
  subscriptionExternalId: bareListInput(text, ROOT).optional(),
  projectId: bareListInput(wizUuid("project"), ROOT).optional(),
  updatedAt: dateFilterInput.optional(),
  firstSeen: dateFilterInput.optional(),
  lastSeen: dateFilterInput.optional(),
});

/** Top-level fields that belong in filterBy. */
export const CLOUD_RESOURCE_FILTER_HINTS: Readonly<Record<string, string>> = Object.freeze({
  search: 'the search text goes in filterBy: write {"filterBy": {"search": "..."}}',
  providerUniqueId: 'the provider id goes in filterBy: write {"filterBy": {"providerUniqueId": ["arn:..."]}}',
  "filterBy.accountId": 'filter by the account\'s own id with {"filterBy": {"subscriptionExternalId": ["123456789012"]}}',
});
