import { z } from "zod";
import { DURATION_UNITS } from "./wiz-enums.js";

/** Wiz DateTime: RFC 3339 in UTC (`Z`), with 0, 3 or 6 fractional digits as Wiz itself writes them. */
export const wizDateTime = z.iso.datetime({ error: "must be an ISO 8601 UTC date-time such as 2024-05-01T00:00:00.000Z" });

/** DateFilter: `{after}`, `{before}`, both, or `{inLast: {amount, unit}}`; bounds are exclusive. */
export const dateFilterInput = z
  .strictObject({
    after: wizDateTime.optional(),
    before: wizDateTime.optional(),
    inLast: z.strictObject({ amount: z.int().min(1), unit: z.enum(DURATION_UNITS) }).optional(),
  })
  .refine((f) => f.after !== undefined || f.before !== undefined || f.inLast !== undefined, {
    error: "needs after, before or inLast, e.g. {after: \"2024-05-01T00:00:00Z\"}",
  });
