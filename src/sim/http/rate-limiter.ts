export type RateLimitMode = "http429" | "graphql200";

export interface RateLimitOptions {
  /** Sustained requests per second for the tenant; 0 disables the limit. Default 5 (the ceiling public measurements report). */
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. Default: one second's worth. */
  burst?: number;
  /** How excess requests are refused: HTTP 429 with Retry-After, or HTTP 200 with a RATE_LIMIT_EXCEEDED error. */
  mode: RateLimitMode;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A token bucket per tenant, on wall-clock time (requests arrive in real time even when the tenant clock is frozen). */
export class TenantRateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = this.capacity();
    this.last = now();
  }

  get mode(): RateLimitMode {
    return this.options.mode;
  }

  configure(options: Partial<RateLimitOptions>): void {
    this.options = { ...this.options, ...options };
    this.tokens = Math.min(this.tokens, this.capacity());
  }

  take(): RateDecision {
    const rate = this.options.requestsPerSecond;
    if (!(rate > 0)) return { allowed: true };
    const now = this.now();
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - this.tokens) / rate) * 1000) };
  }

  private capacity(): number {
    return Math.max(1, this.options.burst ?? this.options.requestsPerSecond);
  }
}
