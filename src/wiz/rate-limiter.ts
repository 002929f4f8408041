import { abortableSleep, type Sleep } from "./abortable-sleep.js";

export interface RateLimiterOptions {
  /** Requests per second for the tenant; 0 or Infinity means unpaced. Default 3 (Wiz's public guidance). */
  requestsPerSecond: number;
  /** Requests in flight at once. Default 3. */
  maxConcurrency: number;
  /**
   * How far a late caller may catch up on the ideal schedule, in ms (default 100, at least one interval):
   * starts that a busy event loop delayed are made up, so the sustained rate is the configured one, while
   * any window still holds at most `window / interval + catch-up slots + 1` starts.
   */
  catchUpMs: number;
  /** Monotonic clock in ms. */
  now: () => number;
  sleep: Sleep;
}

export const DEFAULT_RATE_LIMIT = Object.freeze({ requestsPerSecond: 3, maxConcurrency: 3, catchUpMs: 100 });

/** Held while a request is in flight; release it exactly once when the answer (or failure) is in. */
export interface RateLimitPermit {
  release(): void;
}

/**
 * Paces requests to one Wiz tenant: at most `requestsPerSecond`, spaced evenly on an ideal schedule (1/rate
 * apart; a start the event loop delayed is made up within `catchUpMs`, never more, so a server-side bucket
 * sized for a fraction of a second at the same rate never refuses) and at most `maxConcurrency` in flight.
 * Share one instance between all clients of a tenant, since the tenant's limit is shared too.
 */
export class RateLimiter {
  readonly options: RateLimiterOptions;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** Serialises pacing so starts are spaced by real elapsed time even when timers fire late. */
  private pacing: Promise<void> = Promise.resolve();
  /** The ideal start time of the next request. */
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<RateLimiterOptions> = {}) {
    this.options = { ...DEFAULT_RATE_LIMIT, now: () => performance.now(), sleep: abortableSleep, ...options };
    if (!(this.options.maxConcurrency >= 1)) throw new RangeError(`maxConcurrency must be at least 1, got ${this.options.maxConcurrency}.`);
    if (!(this.options.requestsPerSecond >= 0)) throw new RangeError(`requestsPerSecond must be 0 (unpaced) or positive, got ${this.options.requestsPerSecond}.`);
  }

  /** Waits for a concurrency slot, then for this request's turn in time. */
  async acquire(signal?: AbortSignal): Promise<RateLimitPermit> {
    await this.takeSlot(signal);
    try {
      await this.waitForTurn(signal);
    } catch (error) {
      this.releaseSlot();
      throw error;
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.releaseSlot();
      },
    };
  }

  /** Runs `task` under the limit. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const permit = await this.acquire(signal);
    try {
      return await task();
    } finally {
      permit.release();
    }
  }

  /** Requests in flight now. */
  inFlight(): number {
    return this.active;
  }

  private takeSlot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.active < this.options.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` is unchanged.
    if (next) next();
    else this.active -= 1;
  }

  private waitForTurn(signal?: AbortSignal): Promise<void> {
    const rate = this.options.requestsPerSecond;
    if (!(rate > 0) || rate === Number.POSITIVE_INFINITY) return Promise.resolve();
    const interval = 1000 / rate;
    const catchUp = Math.max(1, Math.floor(this.options.catchUpMs / interval)) * interval;
    const turn = this.pacing.then(async () => {
      const now = this.options.now();
      // Slightly late (a busy loop): keep the ideal schedule. Idle for longer: start afresh, no burst.
      const slot = this.nextSlot >= now - catchUp ? this.nextSlot : now;
      for (;;) {
        const wait = slot - this.options.now();
        if (wait <= 0) break;
        await this.options.sleep(Math.ceil(wait), signal);
      }
      this.nextSlot = slot + interval;
    });
    // A cancelled waiter must not stall the ones behind it.
    this.pacing = turn.catch(() => undefined);
    return turn;
  }
}
