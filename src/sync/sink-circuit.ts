/** closed: writes flow; open: no write until the cooldown ends; half-open: one probe batch decides. */
export type SinkCircuitState = "closed" | "open" | "half-open";

/**
 * A circuit breaker per connector x sink: after `failureThreshold` failed batches in a row the
 * destination gets no write for `cooldownMs`; then one probe batch goes (half-open). A success closes the
 * circuit; a failure opens it again for another cooldown. Events wait in the outbox meanwhile.
 */
export class SinkCircuit {
  private current: SinkCircuitState = "closed";
  private failures = 0;
  private openedAt = 0;

  constructor(
    private readonly settings: { failureThreshold: number; cooldownMs: number },
    private readonly now: () => number,
  ) {}

  get state(): SinkCircuitState {
    if (this.current === "open" && this.now() - this.openedAt >= this.settings.cooldownMs) this.current = "half-open";
    return this.current;
  }

  /** Milliseconds to wait before the next write may go (0 when it may go now). */
  waitBeforeWrite(): number {
    return this.state === "open" ? Math.max(0, this.openedAt + this.settings.cooldownMs - this.now()) : 0;
  }

  succeeded(): void {
    this.current = "closed";
    this.failures = 0;
  }

  /** Counts a failed batch; true when this failure opened the circuit. */
  failed(): boolean {
    this.failures += 1;
    const state = this.state;
    if (state === "half-open" || (state === "closed" && this.failures >= this.settings.failureThreshold)) {
      this.current = "open";
      this.openedAt = this.now();
      return true;
    }
    return false;
  }
}
