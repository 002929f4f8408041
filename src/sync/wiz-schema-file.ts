import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, type GraphQLSchema } from "graphql";

/** The package's schema/wiz.graphql, found by walking up to package.json (works from src/ and dist/src/). */
export function loadWizSchema(startUrl: string | URL = import.meta.url): GraphQLSchema {
  let dir = dirname(fileURLToPath(startUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return buildSchema(readFileSync(join(dir, "schema", "wiz.graphql"), "utf8"));
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`wizbridge: schema/wiz.graphql not found above ${fileURLToPath(startUrl)}; reinstall the package.`);
    dir = parent;
  }
}
