import type { GraphQLSchema } from "graphql";
import type { z } from "zod";
import type { CanonicalRecordType } from "../../model/canonical/index.js";
import { STREAM_NORMALISERS } from "../normalisers/stream-normaliser.js";
import { WIZ_LADDER } from "../severity/severity-ladder.js";
import { convertToType } from "./field-conversion.js";
import { fieldDependencies, orderFields, parseSourceRef } from "./map-evaluator.js";
import { SAMPLE_RAW_RECORDS } from "./sample-raw-records.js";
import { canonicalPathKind, rawPathKind, type ValueKind } from "./source-paths.js";
import { compileTimeBudgetedExpression, DEFAULT_EXPRESSION_BUDGET_MS, ExpressionError } from "./time-budgeted-expression.js";
import { transformMapSchema, type FieldType, type MapField, type MapFunction, type TransformMap } from "./transform-map.schema.js";

export interface MapProblem {
  /** Where in the map, e.g. `fields.severity.from`. */
  path: string;
  message: string;
}

/** A map refused when saved or loaded: every problem, each naming the field and what to change. */
export class TransformMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly problems: readonly MapProblem[],
  ) {
    super(`The transform map ${mapName} is not valid and was not saved:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}\nFix these fields and save the map again (\`wizbridge map test\` shows the output on sample records).`);
    this.name = "TransformMapError";
  }
}

export interface MapValidationDeps {
  /** schema/wiz.graphql, for `raw.` paths. */
  rawSchema: GraphQLSchema;
  /** Clock for expression budgets (tests inject one). */
  now?: () => number;
}

const UNKNOWN: ValueKind = { kind: "unknown" };

function describe(kind: ValueKind): string {
  return kind.kind === "array" ? `a list of ${describe(kind.element)}` : kind.kind === "unknown" ? "any value" : `a ${kind.kind}`;
}

function kindAfter(fn: MapFunction, kind: ValueKind, at: string, problems: MapProblem[]): ValueKind {
  const name = typeof fn === "string" ? fn : fn.fn;
  const clash = (what: string): ValueKind => {
    problems.push({ path: at, message: `${name} needs ${what} but the source is ${describe(kind)}.` });
    return UNKNOWN;
  };
  switch (name) {
    case "lowercase":
    case "uppercase":
    case "trim":
      if (kind.kind === "string" || kind.kind === "unknown") return kind;
      if (kind.kind === "array" && (kind.element.kind === "string" || kind.element.kind === "unknown") && name !== "trim") return kind;
      return clash("text");
    case "first":
      return kind.kind === "array" ? kind.element : kind;
    case "join":
      if (kind.kind === "object") return clash("a list or a value");
      if (kind.kind === "array" && kind.element.kind === "object") return clash("a list of values");
      return { kind: "string" };
    case "date":
      if (kind.kind === "string" || kind.kind === "number" || kind.kind === "unknown") return typeof fn === "object" && fn.fn === "date" && fn.format.startsWith("epoch") ? { kind: "number" } : { kind: "string" };
      return clash("a timestamp");
    case "lookup": {
      if (kind.kind === "object" || kind.kind === "array") return clash("a single value");
      const table = typeof fn === "object" && fn.fn === "lookup" ? Object.values(fn.table) : [];
      const kinds = new Set(table.filter((v) => v !== null).map((v) => typeof v));
      return kinds.size === 1 ? { kind: [...kinds][0] as "string" | "number" | "boolean" } : UNKNOWN;
    }
  }
  return UNKNOWN;
}

function clashWith(type: FieldType, kind: ValueKind): string | undefined {
  if (type === "json" || kind.kind === "unknown") return undefined;
  const scalar = kind.kind === "string" || kind.kind === "number" || kind.kind === "boolean";
  if (type === "string[]") return kind.kind === "object" || (kind.kind === "array" && kind.element.kind === "object") ? "a list of values" : undefined;
  if (!scalar) return kind.kind === "array" ? `a single value (add apply: [first] or [{fn: join}] to reduce the list)` : "a single value, not an object";
  if ((type === "date" || type === "epoch_ms") && kind.kind === "boolean") return "a timestamp";
  return undefined;
}

function checkValue(type: FieldType, value: unknown, at: string, problems: MapProblem[]): void {
  if (value === null) return;
  if (convertToType(type, value) === null) problems.push({ path: at, message: `${JSON.stringify(value)} cannot be a ${type}; give a ${type} (or change the field's type).` });
}

function sourceKind(ref: ReturnType<typeof parseSourceRef>, recordType: CanonicalRecordType, deps: MapValidationDeps, kinds: Map<string, ValueKind>): ValueKind | undefined {
  if (ref.scope === "field") return kinds.get(ref.name) ?? UNKNOWN;
  if (ref.scope === "raw") return ref.segments.length === 0 ? { kind: "object" } : rawPathKind(deps.rawSchema, recordType, ref.segments);
  return canonicalPathKind(recordType, ref.segments);
}

function outputKind(field: MapField): ValueKind {
  switch (field.type) {
    case "string":
    case "date":
      return { kind: "string" };
    case "number":
    case "integer":
    case "epoch_ms":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "string[]":
      return { kind: "array", element: { kind: "string" } };
    case "json":
      return UNKNOWN;
  }
}

/**
 * Validates a map before it is saved or used: its shape, unknown source paths (against the canonical zod
 * schemas and schema/wiz.graphql), `@field` references and cycles, type clashes between a source, its
 * functions and the declared type, and JSONata expressions (syntax, then a test run on sample records of
 * every kind the map is for, under the time budget: a slow expression is refused here, not in a sync).
 */
export async function validateTransformMap(input: unknown, deps: MapValidationDeps): Promise<TransformMap> {
  const name = typeof input === "object" && input !== null && typeof (input as { name?: unknown }).name === "string" ? (input as { name: string }).name : "(unnamed)";
  const parsed = transformMapSchema.safeParse(input);
  if (!parsed.success) {
    throw new TransformMapError(
      name,
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({ path: issue.path.map(String).join(".") || "(map)", message: issue.message.replace(/^Invalid input: /, "") + "." })),
    );
  }
  const map = parsed.data;
  const problems: MapProblem[] = [];
  const fieldNames = Object.keys(map.fields);
  if (fieldNames.length === 0) problems.push({ path: "fields", message: "a map needs at least one field." });
  for (const fieldName of fieldNames) {
    for (const dep of fieldDependencies(map.fields[fieldName] as MapField, fieldNames)) {
      if (!fieldNames.includes(dep)) problems.push({ path: `fields.${fieldName}.from`, message: `@${dep} is not a field of this map; known fields: ${fieldNames.join(", ")}.` });
    }
    const from = map.fields[fieldName]?.from;
    for (const path of from === undefined ? [] : Array.isArray(from) ? from : [from]) {
      const ref = parseSourceRef(path);
      if (ref.scope === "field" && !fieldNames.includes(ref.name)) problems.push({ path: `fields.${fieldName}.from`, message: `@${ref.name} is not a field of this map; known fields: ${fieldNames.join(", ")}.` });
    }
  }
  const ordered = orderFields(map.fields);
  if ("cycle" in ordered) {
    problems.push({ path: `fields.${ordered.cycle[0] ?? ""}`, message: `the fields ${ordered.cycle.join(" -> ")} depend on each other in a cycle; make one of them read the record instead of another field.` });
    throw new TransformMapError(map.name, problems);
  }
  for (const recordType of map.recordTypes) {
    const kinds = new Map<string, ValueKind>();
    for (const fieldName of ordered.order) {
      const field = map.fields[fieldName] as MapField;
      const at = `fields.${fieldName}`;
      let kind: ValueKind = UNKNOWN;
      if (field.from !== undefined) {
        const paths = Array.isArray(field.from) ? field.from : [field.from];
        const found: ValueKind[] = [];
        for (const path of paths) {
          const ref = parseSourceRef(path);
          if (ref.scope === "field" && !fieldNames.includes(ref.name)) continue;
          const k = sourceKind(ref, recordType, deps, kinds);
          if (!k) {
            const where = ref.scope === "raw" ? `the raw Wiz ${recordType} node (schema/wiz.graphql)` : `the canonical ${recordType} record`;
            problems.push({ path: `${at}.from`, message: `${path} is not a path of ${where}; check the spelling, or prefix raw. for a field of the Wiz payload.` });
          } else found.push(k);
        }
        kind = found.length > 0 && found.every((k) => JSON.stringify(k) === JSON.stringify(found[0])) ? (found[0] as ValueKind) : UNKNOWN;
        if (found.length > 0 && kind === UNKNOWN && found[0]?.kind !== "unknown") kind = found.find((k) => k.kind !== "unknown") ?? UNKNOWN;
      } else if (field.const !== undefined) {
        checkValue(field.type, field.const, `${at}.const`, problems);
        kind = field.const === null ? UNKNOWN : { kind: typeof field.const as "string" | "number" | "boolean" };
      }
      for (const [i, fn] of (field.apply ?? []).entries()) kind = kindAfter(fn, kind, `${at}.apply[${i}]`, problems);
      if (field.values) {
        for (const [key, value] of Object.entries(field.values)) checkValue(field.type, value, `${at}.values.${key}`, problems);
      } else if (field.expr === undefined) {
        const clash = clashWith(field.type, kind);
        if (clash) problems.push({ path: `${at}.type`, message: `type ${field.type} needs ${clash}, but ${describe(kind)} comes from the source.` });
      }
      if (field.default !== undefined) {
        if (Array.isArray(field.default) && field.type !== "string[]" && field.type !== "json") problems.push({ path: `${at}.default`, message: `a list default needs type string[] (the field is ${field.type}).` });
        else if (!Array.isArray(field.default)) checkValue(field.type, field.default, `${at}.default`, problems);
      }
      kinds.set(fieldName, outputKind(field));
    }
  }
  // Dedupe (a path problem repeats for every record kind).
  const unique = [...new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p])).values()];
  if (unique.length > 0) throw new TransformMapError(map.name, unique);
  await testExpressions(map, deps);
  return map;
}

async function testExpressions(map: TransformMap, deps: MapValidationDeps): Promise<void> {
  const budget = map.expressionBudgetMs ?? DEFAULT_EXPRESSION_BUDGET_MS;
  const problems: MapProblem[] = [];
  for (const [fieldName, field] of Object.entries(map.fields)) {
    if (field.expr === undefined) continue;
    let expression;
    try {
      expression = compileTimeBudgetedExpression(field.expr, budget, deps.now);
    } catch (error) {
      problems.push({ path: `fields.${fieldName}.expr`, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    for (const recordType of map.recordTypes) {
      const sample = SAMPLE_RAW_RECORDS[recordType];
      const record = STREAM_NORMALISERS[sample.stream](sample.raw, { portalOrigin: "https://app.wiz.io", ladder: WIZ_LADDER });
      try {
        await expression.evaluate({ record, raw: sample.raw, out: {} });
      } catch (error) {
        if (error instanceof ExpressionError && error.reason === "budget") {
          problems.push({ path: `fields.${fieldName}.expr`, message: `on a sample ${recordType}, ${error.message}` });
          break;
        }
        if (error instanceof ExpressionError) {
          problems.push({ path: `fields.${fieldName}.expr`, message: `on a sample ${recordType}, ${error.message}` });
          break;
        }
        throw error;
      }
    }
  }
  if (problems.length > 0) throw new TransformMapError(map.name, problems);
}
