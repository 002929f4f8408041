import type { CanonicalRecord } from "../../model/canonical/index.js";
import { applyFunction, convertToType } from "./field-conversion.js";
import { compileTimeBudgetedExpression, DEFAULT_EXPRESSION_BUDGET_MS, type TimeBudgetedExpression } from "./time-budgeted-expression.js";
import { splitPath } from "./source-paths.js";
import type { MapField, TransformMap } from "./transform-map.schema.js";

export type MapOutput = Record<string, unknown>;

/** A source reference inside a map: a canonical path, a raw Wiz path (`raw.`), or another target field (`@name`). */
export type SourceRef = { scope: "canonical" | "raw"; segments: string[] } | { scope: "field"; name: string };

export function parseSourceRef(path: string): SourceRef {
  if (path.startsWith("@")) return { scope: "field", name: path.slice(1) };
  if (path === "raw") return { scope: "raw", segments: [] };
  if (path.startsWith("raw.")) return { scope: "raw", segments: splitPath(path.slice(4)) };
  return { scope: "canonical", segments: splitPath(path) };
}

/** Target fields an expression reads through `out.<name>` (so they are computed first). */
export function expressionFieldRefs(expr: string, fieldNames: readonly string[]): string[] {
  const refs = new Set<string>();
  for (const match of expr.matchAll(/\bout\.([A-Za-z0-9_.-]+)/g)) {
    const text = match[1] ?? "";
    const hit = [...fieldNames].sort((a, b) => b.length - a.length).find((name) => text === name || text.startsWith(`${name}.`));
    if (hit) refs.add(hit);
  }
  return [...refs];
}

/** The fields a field depends on (its `@` sources and `out.` reads). */
export function fieldDependencies(field: MapField, fieldNames: readonly string[]): string[] {
  if (field.expr !== undefined) return expressionFieldRefs(field.expr, fieldNames);
  const paths = field.from === undefined ? [] : Array.isArray(field.from) ? field.from : [field.from];
  return paths.map(parseSourceRef).flatMap((ref) => (ref.scope === "field" ? [ref.name] : []));
}

/** Fields in an order where every dependency comes first; returns the cycle when there is one. */
export function orderFields(fields: Readonly<Record<string, MapField>>): { order: string[] } | { cycle: string[] } {
  const names = Object.keys(fields);
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === "done") return undefined;
    if (seen === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    const field = fields[name];
    if (!field) return undefined;
    state.set(name, "visiting");
    stack.push(name);
    for (const dep of fieldDependencies(field, names)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    order.push(name);
    return undefined;
  };
  for (const name of names) {
    const cycle = visit(name);
    if (cycle) return { cycle };
  }
  return { order };
}

/** Reads a path; through an array, a name segment maps over the elements (as JSONata does). */
function readPath(root: unknown, segments: readonly string[]): unknown {
  let value: unknown = root;
  for (let i = 0; i < segments.length; i += 1) {
    if (value === null || value === undefined) return null;
    const segment = segments[i] as string;
    if (Array.isArray(value)) {
      if (/^\d+$/.test(segment)) {
        value = value[Number(segment)];
        continue;
      }
      const rest = segments.slice(i);
      const out: unknown[] = [];
      for (const item of value) {
        const v = readPath(item, rest);
        if (Array.isArray(v)) out.push(...(v as unknown[]));
        else if (v !== null && v !== undefined) out.push(v);
      }
      return out;
    }
    if (typeof value !== "object") return null;
    value = (value as Record<string, unknown>)[segment];
  }
  return value ?? null;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function setNested(out: MapOutput, name: string, value: unknown): void {
  const parts = name.split(".");
  let node = out;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const key = parts[i] as string;
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as MapOutput;
  }
  node[parts[parts.length - 1] as string] = value;
}

interface CompiledField {
  name: string;
  field: MapField;
  sources: SourceRef[];
  expression?: TimeBudgetedExpression;
}

export interface CompiledMap {
  readonly map: TransformMap;
  readonly hasExpressions: boolean;
  /** Maps one record; with expressions this evaluates them under their time budget. */
  apply(record: CanonicalRecord, raw: unknown): Promise<MapOutput>;
  /** Maps one record synchronously; only for maps without expressions. */
  applySync(record: CanonicalRecord, raw: unknown): MapOutput;
}

function finish(compiled: CompiledField, value: unknown): unknown {
  const { field } = compiled;
  let v = value;
  for (const fn of field.apply ?? []) v = applyFunction(fn, v);
  if (field.values && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) {
    const key = String(v);
    if (Object.hasOwn(field.values, key)) v = field.values[key];
  }
  const converted = convertToType(field.type, v);
  if (converted !== null || field.default === undefined) return converted;
  return convertToType(field.type, field.default);
}

function sourceValue(compiled: CompiledField, record: CanonicalRecord, raw: unknown, values: Map<string, unknown>): unknown {
  if (compiled.field.const !== undefined) return compiled.field.const;
  for (const source of compiled.sources) {
    const v = source.scope === "field" ? values.get(source.name) : readPath(source.scope === "raw" ? raw : record, source.segments);
    if (!isEmpty(v)) return v;
  }
  return null;
}

/** Compiles a validated map (see validateTransformMap) into a fast evaluator. */
export function compileTransformMap(map: TransformMap, now?: () => number): CompiledMap {
  const ordered = orderFields(map.fields);
  if ("cycle" in ordered) throw new Error(`map ${map.name}: the fields ${ordered.cycle.join(" -> ")} depend on each other in a cycle; validate maps before compiling them.`);
  const budget = map.expressionBudgetMs ?? DEFAULT_EXPRESSION_BUDGET_MS;
  const fields: CompiledField[] = ordered.order.map((name) => {
    const field = map.fields[name] as MapField;
    const paths = field.from === undefined ? [] : Array.isArray(field.from) ? field.from : [field.from];
    return {
      name,
      field,
      sources: paths.map(parseSourceRef),
      ...(field.expr !== undefined ? { expression: compileTimeBudgetedExpression(field.expr, budget, now) } : {}),
    };
  });
  const hasExpressions = fields.some((f) => f.expression);
  const applySync = (record: CanonicalRecord, raw: unknown): MapOutput => {
    if (hasExpressions) throw new Error(`map ${map.name} has expressions; use apply().`);
    const values = new Map<string, unknown>();
    const out: MapOutput = {};
    for (const f of fields) {
      const v = finish(f, sourceValue(f, record, raw, values));
      values.set(f.name, v);
      setNested(out, f.name, v);
    }
    return out;
  };
  return {
    map,
    hasExpressions,
    applySync,
    async apply(record: CanonicalRecord, raw: unknown): Promise<MapOutput> {
      if (!hasExpressions) return applySync(record, raw);
      const values = new Map<string, unknown>();
      const out: MapOutput = {};
      for (const f of fields) {
        const source = f.expression ? await f.expression.evaluate({ record, raw, out }) : sourceValue(f, record, raw, values);
        const v = finish(f, source);
        values.set(f.name, v);
        setNested(out, f.name, v);
      }
      return out;
    },
  };
}
