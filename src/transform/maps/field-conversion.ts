import { parseWizTimestamp } from "../../model/wiz-timestamp.js";
import type { FieldType, MapFunction } from "./transform-map.schema.js";

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function epochMsOf(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return null;
  const micros = parseWizTimestamp(value);
  if (micros !== undefined) return Math.floor(micros / 1000);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** One named function; a value it cannot take becomes null (a map never throws on data). */
export function applyFunction(fn: MapFunction, value: unknown): unknown {
  if (value === null || value === undefined) return typeof fn === "object" && fn.fn === "lookup" ? (fn.default ?? null) : null;
  if (fn === "lowercase") return typeof value === "string" ? value.toLowerCase() : Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v.toLowerCase() : v)) : value;
  if (fn === "uppercase") return typeof value === "string" ? value.toUpperCase() : Array.isArray(value) ? value.map((v) => (typeof v === "string" ? v.toUpperCase() : v)) : value;
  if (fn === "trim") return typeof value === "string" ? value.trim() : value;
  if (fn === "first") return Array.isArray(value) ? (value[0] ?? null) : value;
  switch (fn.fn) {
    case "join":
      return Array.isArray(value) ? value.filter(isScalar).map(String).join(fn.separator) : isScalar(value) ? String(value) : null;
    case "date": {
      const ms = epochMsOf(value);
      if (ms === null) return null;
      if (fn.format === "epoch_ms") return ms;
      if (fn.format === "epoch_s") return Math.floor(ms / 1000);
      const iso = new Date(ms).toISOString();
      return fn.format === "date" ? iso.slice(0, 10) : iso;
    }
    case "lookup": {
      const key = isScalar(value) ? String(value) : null;
      return key !== null && Object.hasOwn(fn.table, key) ? fn.table[key] : (fn.default ?? null);
    }
  }
}

/** Converts a value to the field's declared type; null when it cannot be (so outputs never have the wrong type). */
export function convertToType(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "json":
      return value;
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return null;
    case "number":
    case "integer": {
      let n: number | null = null;
      if (typeof value === "number") n = value;
      else if (typeof value === "string" && value.trim() !== "") n = Number(value);
      else if (typeof value === "boolean") n = value ? 1 : 0;
      if (n === null || !Number.isFinite(n)) return null;
      return type === "integer" ? Math.trunc(n) : n;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string") return /^(true|yes|1)$/i.test(value) ? true : /^(false|no|0)$/i.test(value) ? false : null;
      if (typeof value === "number") return value !== 0;
      return null;
    case "date": {
      const ms = epochMsOf(value);
      return ms === null ? null : new Date(ms).toISOString();
    }
    case "epoch_ms":
      return epochMsOf(value);
    case "string[]": {
      const items = Array.isArray(value) ? value : [value];
      const out: string[] = [];
      for (const item of items) if (isScalar(item)) out.push(String(item));
      return out;
    }
  }
}

/** Whether a value already has the field's type (what the property tests check every output against). */
export function hasFieldType(type: FieldType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case "json":
      return true;
    case "string":
      return typeof value === "string";
    case "number":
    case "epoch_ms":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return typeof value === "string" && !Number.isNaN(Date.parse(value));
    case "string[]":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
  }
}
