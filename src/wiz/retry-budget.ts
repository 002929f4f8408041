import type { FailureClass } from "./failure-class.js";

export interface RetryBudgetOptions {
  /** Tokens in a full bucket. Default 500 (smithy's standard quota). */
  capacity: number;
  /** Tokens a retry after a throttle or server failure costs. Default 5. */
  retryCost: number;
  /** Tokens a retry after a timeout or dropped connection costs; those hint at an unhealthy path, so more. Default 10. */
  transientCost: number;
  /** Tokens a call that succeeds at its first attempt gives back. Default 1. */
  successRefill: number;
}

export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = Object.freeze({ capacity: 500, retryCost: 5, transientCost: 10, successRefill: 1 });

/**
 * A retry quota shared by every call of a client (or of several clients of one tenant): each retry
 * spends tokens, first-attempt successes slowly refill it. When Wiz keeps failing, the bucket empties
 * and calls fail fast instead of multiplying the load on an API that is already struggling.
 */
export class RetryBudget {
  private readonly options: RetryBudgetOptions;
  private tokens: number;

  constructor(options: Partial<RetryBudgetOptions> = {}) {
    this.options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.tokens = this.options.capacity;
  }

  /** Spends the cost of one retry; undefined (and nothing spent) when the budget cannot pay for it. */
  tryAcquire(failure: FailureClass): number | undefined {
    const cost = failure === "transient" ? this.options.transientCost : this.options.retryCost;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /** A retried call finally succeeded: the failure was passing, give its last retry's cost back. */
  release(cost: number): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + cost);
  }

  /** A call succeeded at its first attempt. */
  recordSuccess(): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefill);
  }

  available(): number {
    return this.tokens;
  }
}
