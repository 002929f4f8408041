import { z } from "zod";
import { CANONICAL_RECORD_TYPES, type CanonicalRecordType } from "../../model/canonical/index.js";

export const MAP_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type MapScalar = z.infer<typeof scalarSchema>;

/** The target types a field can declare; values are converted to them, or become null (then the default). */
export const FIELD_TYPES = ["string", "number", "integer", "boolean", "date", "epoch_ms", "string[]", "json"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The small set of named functions, applied in order after the source is read. */
export const functionSchema = z.union([
  z.enum(["lowercase", "uppercase", "first", "trim"]),
  z.strictObject({ fn: z.literal("join"), separator: z.string().default(", ") }),
  z.strictObject({ fn: z.literal("date"), format: z.enum(["iso", "epoch_ms", "epoch_s", "date"]).default("iso") }),
  z.strictObject({ fn: z.literal("lookup"), table: z.record(z.string(), scalarSchema), default: scalarSchema.optional() }),
]);
export type MapFunction = z.output<typeof functionSchema>;

/**
 * One target field. Exactly one source: `from` (a path, or a list of paths where the first non-empty wins),
 * `const`, or `expr` (JSONata over {record, raw, out}). Paths are canonical (`resource.name`), raw Wiz
 * (`raw.vulnerableAsset.operatingSystem`), or another target field of this map (`@asset_name`).
 */
export const fieldSchema = z
  .strictObject({
    from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    const: scalarSchema.optional(),
    expr: z.string().min(1).optional(),
    apply: z.array(functionSchema).optional(),
    /** Value map applied to the (string form of the) value, e.g. OPEN -> Active. Unlisted values pass through. */
    values: z.record(z.string(), scalarSchema).optional(),
    type: z.enum(FIELD_TYPES).default("string"),
    default: z.union([scalarSchema, z.array(z.string())]).optional(),
  })
  .refine((f) => [f.from, f.const, f.expr].filter((s) => s !== undefined).length === 1, { message: "give exactly one of from, const or expr" });
export type MapField = z.output<typeof fieldSchema>;

export const transformMapSchema = z.strictObject({
  name: z.string().regex(MAP_NAME, "lower-case letters, digits, '.', '_' or '-' (at most 64)"),
  description: z.string().optional(),
  /** The canonical record kinds the map is written for; paths are checked against each of them. */
  recordTypes: z.array(z.enum(CANONICAL_RECORD_TYPES as [CanonicalRecordType, ...CanonicalRecordType[]])).min(1),
  /** Per-expression time budget (ms) while mapping one record. */
  expressionBudgetMs: z.number().int().min(1).max(1000).optional(),
  fields: z.record(z.string().regex(/^[A-Za-z_@][A-Za-z0-9_.-]*$/, "field names are letters, digits, '_', '-' and '.' (dots nest)"), fieldSchema),
});
export type TransformMap = z.output<typeof transformMapSchema>;
export type TransformMapInput = z.input<typeof transformMapSchema>;
