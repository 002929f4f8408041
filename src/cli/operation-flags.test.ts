import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CliInputError } from "./cli-input-error.js";
import { inputFromFlags, kebabCase, optionKey, planOperationFlags, type OperationFlag } from "./operation-flags.js";

const STATUS = ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"] as const;
const input = z.strictObject({
  filterBy: z
    .strictObject({
      status: z.array(z.enum(STATUS)).optional().describe("issue statuses"),
      severity: z.enum(["LOW", "HIGH"]).optional(),
      id: z.union([z.string(), z.array(z.string())]).optional(),
      hasNote: z.boolean().optional(),
      region: z.string().optional(),
      createdAt: z.strictObject({ after: z.string() }).optional(),
      project: z.string().nullable().optional(),
    })
    .default({}),
  patch: z.strictObject({ status: z.enum(STATUS).optional(), note: z.string().optional() }).optional(),
  first: z.int().min(1).max(500).default(100),
  after: z.string().optional(),
  orderBy: z.object({ field: z.string(), direction: z.enum(["ASC", "DESC"]) }).optional(),
  tags: z.array(z.object({ key: z.string() })).optional(),
});
const reserved = new Set(["region", "output", "all"]);
const plan = planOperationFlags(z.toJSONSchema(input, { io: "input" }), reserved);
const flag = (name: string): OperationFlag => {
  const found = plan.flags.find((f) => f.name === name);
  if (!found) throw new Error(`no flag --${name} in ${plan.flags.map((f) => f.name).join(", ")}`);
  return found;
};

describe("planOperationFlags", () => {
  it("derives flags from top-level scalars and from the fields of top-level objects", () => {
    expect(plan.flags.map((f) => [f.name, f.path.join(".")])).toEqual([
      ["first", "first"],
      ["after", "after"],
      ["status", "filterBy.status"],
      ["severity", "filterBy.severity"],
      ["id", "filterBy.id"],
      ["has-note", "filterBy.hasNote"],
      ["filter-by-region", "filterBy.region"],
      ["project", "filterBy.project"],
      ["patch-status", "patch.status"],
      ["note", "patch.note"],
      ["order-by-field", "orderBy.field"],
      ["order-by-direction", "orderBy.direction"],
    ]);
  });

  it("types each flag: enums with their choices, arrays repeatable, T | T[] as an array, nullable as its type", () => {
    expect(flag("status")).toMatchObject({ kind: "string", multiple: true, choices: STATUS, description: expect.stringMatching(/issue statuses.*repeatable/) });
    expect(flag("severity")).toMatchObject({ kind: "string", multiple: false, choices: ["LOW", "HIGH"] });
    expect(flag("id")).toMatchObject({ kind: "string", multiple: true });
    expect(flag("has-note")).toMatchObject({ kind: "boolean", multiple: false });
    expect(flag("first")).toMatchObject({ kind: "integer", multiple: false, description: expect.stringContaining("(default 100)") });
    expect(flag("project")).toMatchObject({ kind: "string", multiple: false });
  });

  it("leaves nested objects and arrays of objects to --input / --json-input", () => {
    expect(plan.jsonOnly).toEqual(["tags", "filterBy.createdAt"]);
  });
});

describe("inputFromFlags", () => {
  it("maps flag values into the input, splitting commas, canonicalising enum case and coercing numbers", () => {
    const built = inputFromFlags(plan.flags, { status: ["open", "IN_PROGRESS,resolved"], severity: "high", first: "25", hasNote: true, filterByRegion: "us-east-1" });
    expect(built).toEqual({ filterBy: { status: ["OPEN", "IN_PROGRESS", "RESOLVED"], severity: "HIGH", hasNote: true, region: "us-east-1" }, first: 25 });
    expect(input.safeParse(built).success).toBe(true);
  });

  it("lays flags over the JSON input without losing the JSON's other fields", () => {
    const base = { filterBy: { status: ["RESOLVED"], createdAt: { after: "2024-01-01T00:00:00Z" } }, first: 10 };
    expect(inputFromFlags(plan.flags, { status: ["OPEN"] }, base)).toEqual({ filterBy: { status: ["OPEN"], createdAt: { after: "2024-01-01T00:00:00Z" } }, first: 10 });
    expect(base.filterBy.status).toEqual(["RESOLVED"]);
  });

  it("reads boolean values given explicitly", () => {
    expect(inputFromFlags(plan.flags, { hasNote: "false" })).toEqual({ filterBy: { hasNote: false } });
  });

  it("refuses an unknown enum value, naming the flag and the allowed values", () => {
    expect(() => inputFromFlags(plan.flags, { status: ["OPEN,CLOSED"] })).toThrow(CliInputError);
    expect(() => inputFromFlags(plan.flags, { status: ["CLOSED"] })).toThrow(/--status: "CLOSED" is not one of OPEN, IN_PROGRESS, RESOLVED, REJECTED/);
  });

  it("refuses a number that is not one", () => {
    expect(() => inputFromFlags(plan.flags, { first: "ten" })).toThrow(/--first: "ten" is not a whole number/);
    expect(() => inputFromFlags(plan.flags, { first: "2.5" })).toThrow(/whole number/);
  });
});

describe("names", () => {
  it("converts between input keys, flags and commander's option keys", () => {
    expect(kebabCase("filterBy")).toBe("filter-by");
    expect(kebabCase("vulnerabilityFinding")).toBe("vulnerability-finding");
    expect(kebabCase("resolveResourceGraphID")).toBe("resolve-resource-graph-id");
    expect(kebabCase("listIDs")).toBe("list-ids");
    expect(optionKey("filter-by-region")).toBe("filterByRegion");
  });
});
