import type { z } from "zod";
import { AdapterInputError } from "./adapter-input-error.js";

/** Parses `payload` with `schema`; on failure throws an AdapterInputError naming the first bad field. */
export function readPayload<T extends z.ZodType>(source: string, schema: T, payload: unknown): z.output<T> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "$";
  throw new AdapterInputError(source, field, issue?.message ?? "invalid value");
}

// Years 1970..9999 keep Date.toISOString() valid and reject nonsense like ns values read as ms.
const MIN_MS = 0;
const MAX_MS = 253402300799999;

function isoFromMs(source: string, field: string, ms: number): string {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new AdapterInputError(source, field, `timestamp ${String(ms)} is out of range (expected a date between 1970 and 9999)`);
  }
  return new Date(Math.floor(ms)).toISOString();
}

/** RFC 3339 / ISO 8601 text -> canonical ISO (ms precision, UTC). */
export function isoFromText(source: string, field: string, text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new AdapterInputError(source, field, `"${text.slice(0, 60)}" is not a date-time (expected RFC 3339)`);
  return isoFromMs(source, field, ms);
}

export type EpochUnit = "s" | "ms" | "ns";

/** Epoch number (or numeric string) in `unit` -> canonical ISO. */
export function isoFromEpoch(source: string, field: string, value: number | string, unit: EpochUnit): string {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) throw new AdapterInputError(source, field, `"${String(value).slice(0, 60)}" is not a number`);
  const ms = unit === "s" ? n * 1000 : unit === "ms" ? n : n / 1e6;
  return isoFromMs(source, field, ms);
}

/** Apache/ModSecurity time `25/Mar/2022:11:15:35 +0100` -> canonical ISO. */
export function isoFromApacheTime(source: string, field: string, text: string): string {
  const m = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-])(\d{2})(\d{2})$/u.exec(text.trim());
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const month = m ? months.indexOf(m[2] ?? "") : -1;
  if (!m || month < 0) {
    // ModSecurity v3 writes other formats (e.g. "Thu Mar 24 11:15:35 2022"); accept whatever Date understands.
    return isoFromText(source, field, text);
  }
  const pad = (s: string | undefined): string => s ?? "00";
  const iso = `${m[3]}-${String(month + 1).padStart(2, "0")}-${pad(m[1])}T${pad(m[4])}:${pad(m[5])}:${pad(m[6])}${m[8]}${m[9]}:${m[10]}`;
  return isoFromText(source, field, iso);
}

/** Non-empty trimmed text or null; numbers become text. */
export function textOrNull(value: unknown, max = 4000): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const t = value.trim();
  if (t === "" || t === "<NA>" || t === "-") return null;
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Integer or null (accepts numeric strings, as Sysdig sends pids). */
export function intOrNull(value: unknown): number | null {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : null;
}

/** Distinct non-empty strings in first-seen order. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v === "string" && v.trim() !== "") seen.add(v.trim());
  }
  return [...seen];
}
