/**
 * The tenant's mutable state as JSON, so a simulator that stops (the embedded `npm start` default)
 * resumes with the changes its clients and its activity made instead of a freshly generated tenant.
 * Only what changed is kept: base rows a mutation or activity touched, rows appended since, overlays
 * (notes, resolutions, uploaded threats), and rules and origins added at run time. Everything else is
 * a pure function of the seed (or the recorded files) and the tenant's creation instant, so a snapshot
 * of a tenant with a million findings is as small as its history of changes.
 */
import { appendDetection } from "./detection.records.js";
import type { ColumnStore, TypedColumn } from "./column-store.js";
import type { TenantRule } from "./rule.catalogue.js";
import { markChanged, type CollectionName, type DetectionOverlay, type IssueOverlay, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

/** Rows of one column store: row indexes and, per column, the value of each row (null for NaN). */
export interface ColumnRows {
  indexes: number[];
  columns: Record<string, Array<number | null>>;
}

export interface SimTenantState {
  format: 1;
  seed: number;
  /** The instant (epoch ms) the tenant was generated or loaded: generated rows are a function of it. */
  createdAt: number;
  /** Collection sizes at generation or load, to refuse a state taken from another tenant. */
  baseCounts: Partial<Record<CollectionName, number>>;
  version: number;
  issues: ColumnRows;
  vulnerabilityFindings: ColumnRows;
  /** Detections appended since generation, in order (their links to issues are rebuilt on restore). */
  detections: ColumnRows;
  issueOverlays: Array<[number, IssueOverlay]>;
  detectionOverlays: Array<[number, DetectionOverlay]>;
  /** Rules and detection origins added at run time (custom rules for uploaded events, unknown origins). */
  rules: TenantRule[];
  detectionOrigins: string[];
}

/** What the tenant had at creation, to tell base from run-time additions. */
export interface TenantBase {
  rules: number;
  detectionOrigins: number;
}

const MUTABLE: ReadonlyArray<CollectionName> = ["issues", "vulnerabilityFindings", "detections"];

function rowsOf<C extends { [K in keyof C]: TypedColumn }>(store: ColumnStore<C>, indexes: number[]): ColumnRows {
  const columns: Record<string, Array<number | null>> = {};
  for (const [name, column] of Object.entries(store.cols) as Array<[string, TypedColumn]>) {
    columns[name] = indexes.map((i) => {
      const value = column[i] ?? Number.NaN;
      return Number.isNaN(value) ? null : value;
    });
  }
  return { indexes, columns };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

/** The tenant's changes since creation, as JSON-safe data. */
export function snapshotTenant(model: TenantModel, base: TenantBase): SimTenantState {
  const s = model.stores;
  const changedAndNew = (changed: Set<number>, baseCount: number, size: number): number[] => [...[...changed].sort((a, b) => a - b), ...range(baseCount, size)];
  return {
    format: 1,
    seed: model.seed,
    createdAt: model.createdAt,
    baseCounts: Object.fromEntries(MUTABLE.map((c) => [c, model.baseCounts[c]])),
    version: model.version,
    issues: rowsOf(s.issues, changedAndNew(model.changed.issues, model.baseCounts.issues, s.issues.size())),
    vulnerabilityFindings: rowsOf(s.vulnerabilityFindings, changedAndNew(model.changed.vulnerabilityFindings, model.baseCounts.vulnerabilityFindings, s.vulnerabilityFindings.size())),
    detections: rowsOf(s.detections, range(model.baseCounts.detections, s.detections.size())),
    issueOverlays: structuredClone([...model.issueOverlays]),
    detectionOverlays: structuredClone([...model.detectionOverlays]),
    rules: structuredClone(model.rules.slice(base.rules)),
    detectionOrigins: model.detectionOrigins.slice(base.detectionOrigins),
  };
}

function value(rows: ColumnRows, column: string, k: number): number {
  const v = rows.columns[column]?.[k];
  return v === null || v === undefined ? Number.NaN : v;
}

function writeRows<C extends { [K in keyof C]: TypedColumn }>(store: ColumnStore<C>, rows: ColumnRows, k: number, index: number): void {
  for (const [name, column] of Object.entries(store.cols) as Array<[string, TypedColumn]>) {
    if (rows.columns[name]) column[index] = value(rows, name, k);
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function refuse(problem: string): never {
  throw new Error(`cannot restore the simulator state: ${problem}; start the simulator with the seed, size or --tenant-dir the state was saved from, or delete the saved state to start afresh.`);
}

/** Applies a snapshot to a tenant just created the same way (same seed or files, same creation instant). */
export function restoreTenant(model: TenantModel, base: TenantBase, state: SimTenantState): void {
  if (state?.format !== 1) refuse(`unknown state format ${JSON.stringify(state?.format)} (expected 1)`);
  if (state.seed !== model.seed) refuse(`it was saved from seed ${state.seed}, this tenant has seed ${model.seed}`);
  if (state.createdAt !== model.createdAt) refuse(`it was saved from a tenant created at ${iso(state.createdAt)}, this one was created at ${iso(model.createdAt)}`);
  for (const collection of MUTABLE) {
    const expected = state.baseCounts[collection];
    if (expected !== model.baseCounts[collection]) refuse(`it holds ${expected} base ${collection}, this tenant ${model.baseCounts[collection]}`);
    if (model.stores[collection].size() !== model.baseCounts[collection]) refuse(`this tenant already changed (${collection} grew); restore right after creating it`);
  }
  for (const rule of state.rules) {
    model.rules.push(structuredClone(rule));
    model.picks.byRule.push(new Int32Array(0));
  }
  model.detectionOrigins.push(...state.detectionOrigins);
  const s = model.stores;
  state.issues.indexes.forEach((index, k) => {
    while (s.issues.size() <= index) {
      s.issues.append();
      s.issueLinks.append();
    }
    writeRows(s.issues, state.issues, k, index);
    markChanged(model, "issues", index);
  });
  state.vulnerabilityFindings.indexes.forEach((index, k) => {
    while (s.vulnerabilityFindings.size() <= index) s.vulnerabilityFindings.append();
    writeRows(s.vulnerabilityFindings, state.vulnerabilityFindings, k, index);
    markChanged(model, "vulnerabilityFindings", index);
  });
  // Appending again links each detection to its issue exactly as it was linked when it was created.
  const d = state.detections;
  d.indexes.forEach((_, k) => {
    const v = (column: string): number => value(d, column, k);
    appendDetection(model, { type: v("type"), issue: v("issue"), resource: v("resource"), project: v("project"), rule: v("rule"), origin: v("origin"), severity: v("severity"), createdAt: v("createdAt"), startedAt: v("startedAt"), updatedAt: v("updatedAt") });
  });
  for (const [index, overlay] of state.issueOverlays) model.issueOverlays.set(index, structuredClone(overlay));
  for (const [index, overlay] of state.detectionOverlays) model.detectionOverlays.set(index, structuredClone(overlay) as { description: string | null; details: WizRecord | null });
  model.version = Math.max(model.version, state.version) + 1;
}
