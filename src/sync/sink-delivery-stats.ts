/** Batch latency buckets (seconds) for the Prometheus histogram. */
export const BATCH_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

export interface SinkDeliverySnapshot {
  /** Events the sink acknowledged since start. */
  delivered: number;
  /** Event writes that failed and were tried again (a batch of 500 retried once counts 500). */
  retried: number;
  deadLettered: number;
  batches: number;
  /** Cumulative counts per BATCH_LATENCY_BUCKETS bound, then the sum of latencies in seconds. */
  latencyBuckets: number[];
  latencySumSeconds: number;
}

/** Per connector x sink counters for /metrics and status: in memory, since start. */
export class SinkDeliveryStats {
  private delivered = 0;
  private retriedEvents = 0;
  private deadLetteredEvents = 0;
  private batches = 0;
  private readonly buckets = new Array<number>(BATCH_LATENCY_BUCKETS.length).fill(0);
  private latencySum = 0;

  batchDelivered(events: number, latencyMs: number): void {
    this.delivered += events;
    this.batches += 1;
    const seconds = latencyMs / 1000;
    this.latencySum += seconds;
    for (let i = 0; i < BATCH_LATENCY_BUCKETS.length; i += 1) if (seconds <= (BATCH_LATENCY_BUCKETS[i] as number)) this.buckets[i] = (this.buckets[i] as number) + 1;
  }

  retried(events: number): void {
    this.retriedEvents += events;
  }

  deadLettered(events: number): void {
    this.deadLetteredEvents += events;
  }

  snapshot(): SinkDeliverySnapshot {
    return { delivered: this.delivered, retried: this.retriedEvents, deadLettered: this.deadLetteredEvents, batches: this.batches, latencyBuckets: [...this.buckets], latencySumSeconds: this.latencySum };
  }
}
