import { z } from "zod";
import { describe, expect, it } from "vitest";
import { buildParameters, fieldsOf, type JsonSchema } from "./schema-form";

// Built the way the server builds an operation's parameters schema (z.toJSONSchema, input side).
const updateLike = z.toJSONSchema(
  z.strictObject({
    issueId: z.string().describe("the issue's id"),
    patch: z.strictObject({ status: z.enum(["OPEN", "IN_PROGRESS", "RESOLVED"]).optional(), note: z.string().optional(), dueAt: z.iso.datetime().optional() }),
  }),
  { io: "input" },
) as JsonSchema;

const listLike = z.toJSONSchema(
  z.strictObject({
    first: z.number().int().optional(),
    filterBy: z
      .strictObject({
        severity: z.array(z.enum(["LOW", "HIGH", "CRITICAL"])).optional(),
        search: z.string().optional(),
        projectIds: z.array(z.string()).optional(),
        relatedEntity: z.strictObject({ id: z.string(), where: z.strictObject({ name: z.string() }).optional() }).optional(),
        hasNote: z.boolean().optional(),
        createdAt: z.strictObject({ after: z.string().optional(), before: z.string().optional() }).optional(),
      })
      .optional(),
    filterScope: z.union([z.literal("ALL"), z.literal("OPEN")]).optional(),
  }),
  { io: "input" },
) as JsonSchema;

describe("forms generated from an operation's JSON Schema", () => {
  it("turns properties into labelled fields of the right kind, nesting objects as groups", () => {
    const fields = fieldsOf(updateLike);
    expect(fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ["issueId", "text", true],
      ["patch", "group", true],
    ]);
    expect(fields[0]?.description).toBe("the issue's id");
    const patch = fields[1]?.fields ?? [];
    expect(patch.map((f) => [f.path, f.kind])).toEqual([
      ["patch.status", "choice"],
      ["patch.note", "text"],
      ["patch.dueAt", "text"],
    ]);
    expect(patch[0]?.options).toEqual(["OPEN", "IN_PROGRESS", "RESOLVED"]);

    const list = fieldsOf(listLike);
    const byPath = new Map(list.flatMap((f) => [f, ...(f.fields ?? []), ...(f.fields ?? []).flatMap((g) => g.fields ?? [])]).map((f) => [f.path, f]));
    expect(byPath.get("first")?.kind).toBe("integer");
    expect(byPath.get("filterBy.severity")).toMatchObject({ kind: "choices", options: ["LOW", "HIGH", "CRITICAL"] });
    expect(byPath.get("filterBy.projectIds")?.kind).toBe("list");
    expect(byPath.get("filterBy.hasNote")?.kind).toBe("boolean");
    expect(byPath.get("filterScope")).toMatchObject({ kind: "choice", options: ["ALL", "OPEN"] });
    expect(byPath.get("filterBy.relatedEntity")?.kind).toBe("group");
    // Deeper than two levels an object is edited as JSON.
    expect(byPath.get("filterBy.relatedEntity.where")?.kind).toBe("json");
  });

  it("builds the parameters from the values, leaving out what is empty and coercing numbers, lists and booleans", () => {
    const fields = fieldsOf(listLike);
    const built = buildParameters(fields, { first: "25", "filterBy.severity": ["HIGH", "CRITICAL"], "filterBy.projectIds": " p1, p2 ,", "filterBy.search": "", "filterBy.hasNote": false, "filterBy.relatedEntity.id": "e1", "filterBy.relatedEntity.where": '{"name": "web"}', "filterBy.createdAt.after": "2026-01-01T00:00:00Z" });
    expect(built.problems).toEqual({});
    expect(built.parameters).toEqual({ first: 25, filterBy: { severity: ["HIGH", "CRITICAL"], projectIds: ["p1", "p2"], hasNote: false, relatedEntity: { id: "e1", where: { name: "web" } }, createdAt: { after: "2026-01-01T00:00:00Z" } } });
  });

  it("names each field it cannot use: required and missing, not a number, not JSON", () => {
    const update = buildParameters(fieldsOf(updateLike), { "patch.note": "hello" });
    expect(update.problems).toEqual({ issueId: "required" });
    expect(update.parameters).toEqual({ patch: { note: "hello" } });
    const list = buildParameters(fieldsOf(listLike), { first: "2.5", "filterBy.relatedEntity.id": "e1", "filterBy.relatedEntity.where": "{id:" });
    expect(list.problems.first).toBe("must be a whole number");
    expect(list.problems["filterBy.relatedEntity.where"]).toMatch(/^not valid JSON/);
  });

  it("an optional object left empty is left out, and its required fields are not asked for", () => {
    const schema = z.toJSONSchema(z.strictObject({ scope: z.strictObject({ id: z.string(), kind: z.string().optional() }).optional() }), { io: "input" }) as JsonSchema;
    expect(buildParameters(fieldsOf(schema), {})).toEqual({ parameters: {}, problems: {} });
    expect(buildParameters(fieldsOf(schema), { "scope.kind": "x" }).problems).toEqual({ "scope.id": "required" });
  });
});
