import { z } from "zod";

/**
 * A detections-style `{equals: [...]}` filter, accepted as the friendly bare list or raw. Detections (and
 * cloudResourcesV2, threat eventOrigin) refuse bare lists, so the operation always sends the wrapper.
 */
export function equalsFilterInput<T extends z.ZodType>(item: T) {
  const values = z.array(item).min(1, { error: "needs at least one value" });
  return z.union([values, z.strictObject({ equals: values })]);
}

/** The wire shape `{equals: [...]}` of a value accepted by equalsFilterInput. */
export function toEqualsFilter<T>(value: readonly T[] | { equals: readonly T[] } | undefined): { equals: T[] } | undefined {
  if (value === undefined) return undefined;
  return { equals: [...("equals" in value ? value.equals : value)] };
}
