import { z } from "zod";
import { GRAPH_ENTITY_TYPES, GRAPH_RELATIONSHIP_TYPES } from "../wiz-enums.js";

/** A free-form JSON object (`where` with Wiz's upper-case operators, `aggregateConstraint`). */
const jsonObject = z.record(z.string(), z.unknown());

/**
 * GraphEntityQueryInput, recursive through relationships: `{type: [CLOUD_RESOURCE], select: true,
 * where: {providerUniqueId: {EQUALS: ["arn:..."]}}}`. An issue's evidenceQuery has this shape.
 */
export const graphEntityQueryInput = z.strictObject({
  type: z.array(z.enum(GRAPH_ENTITY_TYPES)).min(1, { error: "needs at least one entity type, e.g. [\"CLOUD_RESOURCE\"]" }),
  select: z.boolean().optional(),
  as: z.string().optional(),
  where: jsonObject.optional(),
  get relationships() {
    return z.array(graphRelationshipQueryInput).optional();
  },
  aggregate: z.boolean().optional(),
  aggregateConstraint: jsonObject.optional(),
});

export const graphRelationshipQueryInput = z.strictObject({
  type: z.array(z.strictObject({ type: z.enum(GRAPH_RELATIONSHIP_TYPES), reverse: z.boolean().optional() })).min(1),
  get with() {
    return graphEntityQueryInput;
  },
  negate: z.boolean().optional(),
  optional: z.boolean().optional(),
});
