import { coerceInputValue, isInputType, type GraphQLSchema } from "graphql";
import type { StreamDefinition } from "./stream-definition.js";

export interface FilterProblem {
  /** Path inside the filter object, e.g. `status[0]`; empty for the object itself. */
  path: string;
  message: string;
}

/**
 * Checks a user's filter against the Wiz input type the stream sends it as (schema/wiz.graphql), so a
 * misspelt key or enum value is refused at config load instead of failing every run at Wiz.
 */
export class WizFilterValidator {
  constructor(private readonly schema: GraphQLSchema) {}

  validate(stream: StreamDefinition, filter: unknown): FilterProblem[] {
    const type = this.schema.getType(stream.filterType);
    if (!type || !isInputType(type)) return [{ path: "", message: `the schema has no input type ${stream.filterType}; reinstall wizbridge.` }];
    const problems: FilterProblem[] = [];
    if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
      return [{ path: "", message: `must be an object of ${stream.filterType} fields, e.g. {"severity": ["HIGH"]}.` }];
    }
    for (const key of stream.managedFilterKeys) {
      if (key in filter) {
        problems.push({
          path: key,
          message:
            key === stream.cursorField
              ? `${key} is set by the incremental sync (cursor plus overlap window); remove it, and use backfillDays to limit the first export.`
              : `${key} is fixed by the ${stream.name} stream; remove it (use the issues stream with a type filter for other issue types).`,
        });
      }
    }
    coerceInputValue(filter, type, (path, _invalid, error) => {
      // graphql reports an unknown field at its parent object; name the field itself.
      const unknown = /^Field "([^"]+)" is not defined by type/.exec(error.message)?.[1];
      problems.push({ path: formatPath(unknown ? [...path, unknown] : path), message: error.message });
    });
    return problems;
  }
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
