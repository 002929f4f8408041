import { parseCronExpression, type CronExpression } from "./cron-expression.js";

export type StreamSchedule = { kind: "interval"; ms: number; source: string } | { kind: "cron"; cron: CronExpression; source: string } | { kind: "once"; source: string };

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `1h`, `1d`; a five-field cron expression; or `once`. Throws an Error naming the accepted forms. */
export function parseStreamSchedule(text: string): StreamSchedule {
  const source = text.trim();
  if (source === "once") return { kind: "once", source };
  const interval = /^(\d+)\s*(s|m|h|d)$/.exec(source);
  if (interval) {
    const ms = Number(interval[1]) * (UNITS[interval[2] as string] ?? 0);
    if (ms < 1000) throw new Error(`the interval "${source}" is too short: use at least 1s.`);
    return { kind: "interval", ms, source };
  }
  if (source.split(/\s+/).length === 5) return { kind: "cron", cron: parseCronExpression(source), source };
  throw new Error(`"${source}" is not a schedule: use an interval (30s, 5m, 1h, 1d), a cron expression ("*/15 * * * *") or "once".`);
}

/** When a stream is due next; every stream runs once at start-up, then on its schedule. undefined: never again. */
export function nextRunAt(schedule: StreamSchedule, lastStartedAt: number | undefined, now: number): number | undefined {
  if (lastStartedAt === undefined) return now;
  switch (schedule.kind) {
    case "once":
      return undefined;
    case "interval":
      return lastStartedAt + schedule.ms;
    case "cron":
      return schedule.cron.next(Math.max(lastStartedAt, now - 60_000));
  }
}
