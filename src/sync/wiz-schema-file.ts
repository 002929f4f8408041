import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";
import { packageRoot } from "../version.js";

/** The package's schema/wiz.graphql (works from src/ and dist/src/). */
export function loadWizSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(packageRoot(), "schema", "wiz.graphql"), "utf8"));
}
