/**
 * Wiz timestamps carry microseconds (`2023-08-23T07:56:09.903743Z`) and date filters compare at that
 * precision, so cursors are kept as integer microseconds since the epoch (exact in a double until year 2255).
 */
export type Micros = number;

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Microseconds of an RFC 3339 timestamp; undefined for anything else (null, garbage). */
export function parseWizTimestamp(value: unknown): Micros | undefined {
  if (typeof value !== "string") return undefined;
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, seconds, fraction = "", zone] = match;
  const wholeMs = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(wholeMs)) return undefined;
  return wholeMs * 1000 + Number(fraction.padEnd(6, "0").slice(0, 6));
}

/** The RFC 3339 form Wiz sends, always with six fractional digits and `Z`. */
export function formatWizTimestamp(micros: Micros): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, "0")}Z`;
}

export function microsFromMillis(ms: number): Micros {
  return Math.round(ms * 1000);
}
