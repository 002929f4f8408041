import { abortableSleep, type Sleep } from "./abortable-sleep.js";
import { classifyFailure, type FailureClass } from "./failure-class.js";
import { RetryBudget } from "./retry-budget.js";
import { WizAuthError, WizError } from "./wiz-errors.js";

export interface RetryPolicyOptions {
  /** Requests per call at most, the first included. Default 5. */
  maxAttempts: number;
  /** Backoff base for transient and server failures, ms. Default 500. */
  baseDelayMs: number;
  /** Backoff base for throttling when Wiz gives no Retry-After, ms. Default 1000. */
  throttleBaseDelayMs: number;
  /** Ceiling of one computed backoff, ms. Default 30 s. */
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one fails the call now rather than hang it. Default 5 min. */
  maxRetryAfterMs: number;
  /** Uniform [0, 1) source for jitter. */
  random: () => number;
  sleep: Sleep;
  /** Shared retry quota; share one instance between the clients of a tenant. */
  budget: RetryBudget;
}

export const DEFAULT_RETRY_OPTIONS: Readonly<Omit<RetryPolicyOptions, "random" | "sleep" | "budget">> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  throttleBaseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
});

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  failure: FailureClass;
  error: WizError;
}

export interface RetryContext {
  /** A mutation is replayed only when the failed attempt certainly did not run at Wiz. */
  mutating: boolean;
  signal?: AbortSignal;
  /** Drop the refused token; the next attempt fetches a fresh one. At most one re-authenticated retry follows per call. */
  onUnauthenticated(error: WizAuthError): void;
  onRetry?(event: RetryEvent): void;
}

/**
 * Decides, after each failed attempt, whether to try again and when: exponential backoff with full
 * jitter, Retry-After honoured, a shared retry budget, one re-authentication on a refused token, and
 * never a second execution of a mutation that may already have run.
 */
export class RetryPolicy {
  readonly options: RetryPolicyOptions;

  constructor(options: Partial<RetryPolicyOptions> = {}) {
    this.options = {
      ...DEFAULT_RETRY_OPTIONS,
      random: Math.random,
      sleep: abortableSleep,
      budget: new RetryBudget(),
      ...options,
    };
  }

  async run<T>(attempt: (attemptNumber: number) => Promise<T>, context: RetryContext): Promise<T> {
    const { budget } = this.options;
    let attempts = 0;
    let retries = 0;
    let totalDelayMs = 0;
    let reauthenticated = false;
    let lastRetryCost = 0;
    for (;;) {
      attempts += 1;
      let error: WizError;
      try {
        const result = await attempt(attempts);
        if (lastRetryCost > 0) budget.release(lastRetryCost);
        else if (attempts === 1) budget.recordSuccess();
        return result;
      } catch (thrown) {
        // Anything that is not a WizError is a bug or a cancellation, not a Wiz failure: never retried.
        if (!(thrown instanceof WizError)) throw thrown;
        error = thrown;
      }
      const failure = classifyFailure(error);
      const giveUp = (note?: string): WizError => error.recordAttempts(attempts, totalDelayMs, note);

      if (failure === "unauthenticated" && error instanceof WizAuthError) {
        // A refused token is refreshed and the call tried once more; a second refusal is a real auth problem.
        // The refused token is dropped either way, so the next call does not start with it.
        context.onUnauthenticated(error);
        if (reauthenticated) throw giveUp("A freshly issued token was refused too.");
        reauthenticated = true;
        continue;
      }
      if (failure === "client") throw giveUp();
      if (context.mutating && error.mayHaveExecuted) {
        throw giveUp("The mutation was not replayed because Wiz may already have applied it; check its effect before running it again.");
      }
      if (context.signal?.aborted) throw giveUp();
      if (attempts >= this.options.maxAttempts) throw giveUp();
      const delayMs = this.delayFor(error, failure, retries);
      if (delayMs > this.options.maxRetryAfterMs) {
        throw giveUp(`Wiz asked to wait ${Math.ceil(delayMs / 1000)} s, longer than maxRetryAfterMs allows.`);
      }
      const cost = budget.tryAcquire(failure);
      if (cost === undefined) {
        throw giveUp("Retry budget exhausted: Wiz has been failing for many recent calls, so this client stopped retrying to avoid adding load; it recovers as calls succeed.");
      }
      lastRetryCost = cost;
      retries += 1;
      context.onRetry?.({ attempt: attempts, delayMs, failure, error });
      await this.options.sleep(delayMs, context.signal);
      totalDelayMs += delayMs;
    }
  }

  /** Full jitter over an exponential ceiling; a server's Retry-After is a floor. */
  delayFor(error: WizError, failure: FailureClass, retries: number): number {
    const base = failure === "throttle" ? this.options.throttleBaseDelayMs : this.options.baseDelayMs;
    const ceiling = Math.min(this.options.maxDelayMs, base * 2 ** retries);
    const jittered = Math.floor(this.options.random() * ceiling);
    return Math.max(error.retryAfterMs ?? 0, jittered);
  }
}
