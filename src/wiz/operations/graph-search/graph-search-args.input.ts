import { z } from "zod";
import { graphEntityQueryInput } from "./graph-entity-query.input.js";

/**
 * graphSearch's `query`: a GraphEntityQueryInput object, or the same as a JSON string (an issue's
 * evidenceQuery is often handed on serialised), parsed before it is checked and sent.
 */
export const graphQueryArgument = z.union([
  graphEntityQueryInput,
  z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.issues.push({ code: "custom", input: text, message: "is a string but not JSON: give the GraphEntityQueryInput object, or its JSON text (issue getEvidence's evidenceQuery)" });
        return z.NEVER;
      }
    })
    .pipe(graphEntityQueryInput),
]);

/** graphSearch's `projectId`: Wiz requires it; "*" searches every project. */
export const graphProjectIdArgument = z.string({ error: 'is required by Wiz: a project UUID, or "*" for all projects' }).min(1, { error: 'must be a project UUID or "*" for all projects' });
