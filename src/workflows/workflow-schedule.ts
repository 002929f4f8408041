import { parseCronExpression } from "../sync/cron-expression.js";

/** When a scheduled job runs: a five-field cron expression (UTC) or a fixed interval. */
export interface WorkflowSchedule {
  readonly source: string;
  /** The next run strictly after `afterMs` (epoch ms). */
  next(afterMs: number): number;
}

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `"0 7 * * *"` (cron, UTC) or an interval (`30s`, `5m`, `1h`, `1d`). Unlike a stream, a workflow does not
 * also run at start-up: a restart must not send a second morning digest. Throws an Error naming the forms.
 */
export function parseWorkflowSchedule(text: string): WorkflowSchedule {
  const source = text.trim();
  const interval = /^(\d+)\s*(s|m|h|d)$/.exec(source);
  if (interval) {
    const ms = Number(interval[1]) * (UNITS[interval[2] as string] ?? 0);
    if (ms < 1000) throw new Error(`the interval "${source}" is too short: use at least 1s.`);
    return { source, next: (afterMs) => afterMs + ms };
  }
  if (source.split(/\s+/).length === 5) {
    const cron = parseCronExpression(source);
    return { source, next: (afterMs) => cron.next(afterMs) };
  }
  throw new Error(`"${source}" is not a schedule: use a cron expression in UTC ("0 7 * * *", "*/5 * * * *") or an interval (30s, 5m, 1h, 1d).`);
}
