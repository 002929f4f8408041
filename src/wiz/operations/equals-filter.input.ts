import { z } from "zod";

type Issue = { input?: unknown };

const isEqualsObject = (value: unknown): boolean => value !== null && typeof value === "object" && !Array.isArray(value) && "equals" in value;

/**
 * A detections-style `{equals: [...]}` filter (detections, threat eventOrigin). Wiz answers a bare list here
 * with BAD_USER_INPUT, so one is refused before sending, with the wrapper to write instead.
 */
export function equalsFilterInput<T extends z.ZodType>(item: T, root: string) {
  return z.strictObject(
    { equals: z.array(item).min(1, { error: "needs at least one value" }) },
    {
      error: (issue: Issue) =>
        Array.isArray(issue.input)
          ? `${root} filters take Wiz's {equals: [...]} wrapper here, not a bare list: write {"equals": ${preview(issue.input)}}`
          : `must be {"equals": [...]} (${root} filters use the wrapper here)`,
    },
  );
}

/**
 * A bare-list filter (issues, threats). Wiz answers an `{equals}` wrapper here with BAD_USER_INPUT, so one is
 * refused before sending, with the list to write instead.
 */
export function bareListInput<T extends z.ZodType>(item: T, root: string) {
  return z.array(item, {
    error: (issue: Issue) =>
      isEqualsObject(issue.input)
        ? `${root} filters take a bare list here, not an {equals} wrapper: write ${preview((issue.input as { equals: unknown }).equals)}`
        : `must be a list such as ["…"] (${root} filters take bare lists here)`,
  });
}

/**
 * A scalar filter value (detections' issueId, matchedRule.id, projectId; threats' id and project): no list,
 * no wrapper. `refine` adds the value's own checks (a UUID pattern) to the base string.
 */
export function scalarFilterInput(root: string, refine: (base: z.ZodString) => z.ZodString = (base) => base.min(1, { error: "must not be empty" })) {
  return refine(
    z.string({
      error: (issue: Issue) => {
        const input = issue.input;
        if (Array.isArray(input)) return `${root} filters take one value here (a scalar), not a list: write ${preview(input[0] ?? "…")}`;
        if (isEqualsObject(input)) return `${root} filters take a scalar here, not an {equals} wrapper: write ${preview((input as { equals: unknown[] }).equals[0] ?? "…")}`;
        return `must be one string value (${root} filters take a scalar here)`;
      },
    }),
  );
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
