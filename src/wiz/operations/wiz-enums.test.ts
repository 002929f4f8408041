import { readFileSync } from "node:fs";
import { buildSchema, GraphQLEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { WIZ_ENUMS } from "./wiz-enums.js";

// Read from the file, not through the simulator: the SDK's copy must match the schema itself.
const schema = buildSchema(readFileSync(new URL("../../../schema/wiz.graphql", import.meta.url), "utf8"));

describe("the SDK's enum copies", () => {
  it.each(Object.entries(WIZ_ENUMS))("%s matches schema/wiz.graphql", (name, values) => {
    const type = schema.getType(name);
    expect(type).toBeInstanceOf(GraphQLEnumType);
    expect([...values]).toEqual((type as GraphQLEnumType).getValues().map((v) => v.name));
  });
});
