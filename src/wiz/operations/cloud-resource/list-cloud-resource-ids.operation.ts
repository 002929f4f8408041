import { z } from "zod";
import type { RelayConnection } from "../../paginate.js";
import { defineOperation } from "../define-operation.js";
import { SCOPES } from "../wiz-scopes.js";

const DOCUMENT = /* GraphQL */ `
  query ListCloudResourceIds($filterBy: CloudResourceFilters, $first: Int, $after: String) {
    cloudResources(filterBy: $filterBy, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id graphEntity { providerUniqueId } }
    }
  }
`;

const BATCH = 500;
const MAX_IDS = 10_000;

type IdNode = { id: string; graphEntity: { providerUniqueId: string | null } | null };
type IdData = { cloudResources: RelayConnection<IdNode> | null };

export interface ResourceIdMapping {
  /** Found resources, in the order the provider ids were given. */
  resources: Array<{ providerUniqueId: string; id: string }>;
  /** Provider ids Wiz has no resource for. */
  missing: string[];
}

const input = z.strictObject({
  providerUniqueIds: z
    .array(z.string().min(1, { error: "must not be empty" }))
    .min(1, { error: "needs at least one provider unique id" })
    .max(MAX_IDS, { error: `takes at most ${MAX_IDS} ids per call` }),
});

function batchVariables(batch: readonly string[]): Record<string, unknown> {
  return { filterBy: { providerUniqueId: [...batch] }, first: BATCH };
}

function mapping(given: readonly string[], found: ReadonlyMap<string, string>): ResourceIdMapping {
  const resources: ResourceIdMapping["resources"] = [];
  const missing: string[] = [];
  for (const providerUniqueId of new Set(given)) {
    const id = found.get(providerUniqueId);
    if (id === undefined) missing.push(providerUniqueId);
    else resources.push({ providerUniqueId, id });
  }
  return { resources, missing };
}

function collect(nodes: readonly IdNode[], into: Map<string, string>): void {
  for (const node of nodes) {
    const providerUniqueId = node.graphEntity?.providerUniqueId;
    if (providerUniqueId && !into.has(providerUniqueId)) into.set(providerUniqueId, node.id);
  }
}

export const listCloudResourceIdsOperation = defineOperation({
  resource: "cloudResource",
  name: "listIDs",
  description: `Turn provider unique ids (ARNs, Azure resource ids...) into Wiz resource ids, ${BATCH} per request (at most ${MAX_IDS}).`,
  input,
  document: DOCUMENT,
  mutating: false,
  scopes: SCOPES.readResources,
  // The first batch's variables; execute sends one request per batch of ids.
  variables: (parsed) => batchVariables(parsed.providerUniqueIds.slice(0, BATCH)),
  output: (data, parsed): ResourceIdMapping => {
    const found = new Map<string, string>();
    collect((data as IdData).cloudResources?.nodes ?? [], found);
    return mapping(parsed.providerUniqueIds, found);
  },
  async execute(parsed, context) {
    const unique = [...new Set(parsed.providerUniqueIds)];
    const found = new Map<string, string>();
    for (let start = 0; start < unique.length; start += BATCH) {
      const pages = context.pages<IdNode, IdData>(DOCUMENT, batchVariables(unique.slice(start, start + BATCH)), (data) => data.cloudResources, { pageSizeCap: BATCH });
      for await (const page of pages) collect(page.nodes, found);
    }
    return mapping(unique, found);
  },
});
