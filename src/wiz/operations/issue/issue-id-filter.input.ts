import { z } from "zod";
import { wizUuid } from "../wiz-id.input.js";

const issueUuid = wizUuid("issue");

/** `{filterBy: {id}}`: how issue get and getEvidence name their issue (XW's issuesV2 call); a list of one is accepted too. */
export const issueIdFilterInput = z.strictObject({
  filterBy: z.strictObject({ id: z.union([issueUuid, z.array(issueUuid).length(1, { error: "takes exactly one issue id" })]) }),
});

/** The id of `{filterBy: {id}}`, whichever form it came in. */
export function issueIdOf(input: z.output<typeof issueIdFilterInput>): string {
  const { id } = input.filterBy;
  return typeof id === "string" ? id : (id[0] ?? "");
}

/** For an `id` given at the top level: the documented place is filterBy.id. */
export function issueIdHints(operation: string): Readonly<Record<string, string>> {
  return Object.freeze({ id: `${operation} takes Wiz's filter shape: write {"filterBy": {"id": "<issue uuid>"}}` });
}
