/** A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC. */
export interface CronExpression {
  readonly source: string;
  /** The first matching minute strictly after `afterMs` (epoch ms). */
  next(afterMs: number): number;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

/** Parses `*`, `*\/n`, `a`, `a-b`, `a-b/n` and comma lists; throws an Error saying which field is wrong. */
export function parseCronExpression(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), "${source}" has ${parts.length}.`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as (typeof FIELDS)[number]));
  const [minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  const anyDay = parts[2] === "*";
  const anyWeekday = parts[4] === "*";
  const dayMatches = (d: Date): boolean => {
    const dom = days.has(d.getUTCDate());
    const dow = weekdays.has(d.getUTCDay());
    // Classic cron: when both day fields are restricted, either may match.
    if (anyDay) return dow;
    if (anyWeekday) return dom;
    return dom || dow;
  };
  return {
    source,
    next(afterMs: number): number {
      const t = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      // Five years of minutes bounds the search (e.g. "0 0 29 2 *" waits up to four years).
      for (let guard = 0; guard < 5 * 366 * 24 * 60; guard += 1) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        return t.getTime();
      }
      throw new Error(`the cron expression "${source}" never matches.`);
    },
  };
}

function parseField(part: string, field: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const item of part.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw new Error(`the ${field.name} field "${part}" is not valid: use *, */n, a, a-b, a-b/n or a comma list.`);
    const [, , a, b, stepText] = match;
    const from = a === undefined ? field.min : Number(a);
    const to = a === undefined ? field.max : b === undefined ? (stepText === undefined ? from : field.max) : Number(b);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < field.min || to > field.max || from > to || step < 1) {
      throw new Error(`the ${field.name} field "${part}" is out of range: values go from ${field.min} to ${field.max}.`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
