/** Simulator time. Every timestamp the simulator produces comes from here, so tests can move time. */
export interface SimClock {
  /** Current simulated time in epoch milliseconds. */
  now(): number;
  /** Moves simulated time forward (0 just notifies, for realtime mode); listeners see (now, time of the previous notification). */
  advance(ms: number): Promise<void>;
  /** Registers a callback run on every advance and on real-time ticks; returns an unsubscribe function. */
  onAdvance(listener: (now: number, previous: number) => void | Promise<void>): () => void;
  /**
   * The wall clock plus every advance() so far: what token `iat`/`exp` use, so a client that checks expiry
   * against its own clock accepts a fresh token, while advancing the simulator still expires tokens.
   */
  wallTime(): number;
}

export interface SimClockOptions {
  /** Simulated start time (epoch ms). Default: 2026-01-01T00:00:00Z, so a seed always gives the same data. */
  start?: number;
  /**
   * Start at the wall clock plus this many ms instead of `start` (e.g. a persisted simulator resuming with
   * the offset it had, so simulated time went on while it was stopped). Ignored when `start` is given.
   */
  offset?: number;
  /** When true, simulated time also follows the wall clock (scaled by `speed`). Tests leave it off. */
  realtime?: boolean;
  /** Simulated milliseconds per real millisecond when realtime is on. */
  speed?: number;
  /** Wall clock used for realtime mode (injectable). */
  wallNow?: () => number;
}

export const DEFAULT_SIM_START = Date.parse("2026-01-01T00:00:00.000Z");

/** Creates a simulator clock. In realtime mode `now()` follows the wall clock; `advance` always jumps. */
export function createSimClock(options: SimClockOptions = {}): SimClock {
  const wallNow = options.wallNow ?? Date.now;
  const speed = options.speed ?? 1;
  const wallStart = wallNow();
  let offset = options.start ?? (options.offset !== undefined ? wallStart + options.offset : DEFAULT_SIM_START);
  if (!Number.isFinite(offset)) throw new RangeError(`the simulator clock needs a finite start or offset in epoch ms, got ${options.start ?? options.offset}`);
  let advanced = 0;
  const listeners = new Set<(now: number, previous: number) => void | Promise<void>>();
  const now = (): number => (options.realtime ? offset + (wallNow() - wallStart) * speed : offset);
  // Listeners see every stretch of time exactly once, also the stretches realtime mode adds on its own.
  let lastNotified = now();
  return {
    now,
    async advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of milliseconds, got ${ms}`);
      offset += ms;
      advanced += ms;
      const current = now();
      const previous = lastNotified;
      lastNotified = current;
      for (const listener of [...listeners]) await listener(current, previous);
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wallTime: () => wallNow() + advanced,
  };
}

/** Wiz timestamps are RFC3339 with microseconds, e.g. 2023-08-23T07:56:09.903743Z. */
export function toWizTimestamp(ms: number): string {
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  // Formatting by hand: a page of records carries thousands of timestamps and Date#toISOString dominated.
  return `${datePartOf(seconds)}.${String(micros - seconds * 1_000_000).padStart(6, "0")}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DDThh:mm:ss` (UTC) of epoch seconds; the civil-from-days algorithm (H. Hinnant), valid for years 0..9999. */
function datePartOf(epochSeconds: number): string {
  const days = Math.floor(epochSeconds / 86_400);
  const secondOfDay = epochSeconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(secondOfDay % 60)}`;
}

/**
 * Rounds epoch ms to whole microseconds, the precision Wiz timestamps carry. Store times this way so a
 * timestamp printed by toWizTimestamp and parsed back by parseWizTimestamp compares equal to the stored value.
 */
export function quantizeToMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Parses an RFC3339 timestamp to epoch ms keeping microseconds; NaN when it is not a date-time. */
export function parseWizTimestamp(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return NaN;
  const fraction = /\.\d{3}(\d{1,3})/.exec(value)?.[1];
  return fraction ? (ms * 1000 + Number(fraction.padEnd(3, "0"))) / 1000 : ms;
}
