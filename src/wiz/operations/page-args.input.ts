import { z } from "zod";
import { DEFAULT_PAGE_SIZE } from "../paginate.js";

/** `first` and `after` of a list operation; a page size above the query's cap is refused before sending. */
export function pageArgs(cap: number, defaultSize = Math.min(DEFAULT_PAGE_SIZE, cap)) {
  return {
    first: z
      .int({ error: "must be a whole number of rows per page" })
      .min(1, { error: "must be at least 1" })
      .max(cap, { error: `must be at most ${cap}, the page cap of this query (the iterator follows the pages for you)` })
      .default(defaultSize),
    after: z.string().min(1, { error: "must be a cursor returned as pageInfo.endCursor" }).optional(),
  };
}
