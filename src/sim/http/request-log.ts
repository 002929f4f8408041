/** One request the simulator served; tokens are identified by their id (jti), never stored. */
export interface RequestLogEntry {
  seq: number;
  /** Wall-clock start, epoch ms. */
  startedAt: number;
  /** Simulator time at the start. */
  simTime: number;
  durationMs: number;
  method: string;
  path: string;
  status: number;
  userAgent?: string;
  contentType?: string;
  clientId?: string;
  tokenId?: string;
  operationName?: string;
  rootFields?: string[];
  variables?: Record<string, unknown>;
  errorCodes?: string[];
  /** Requests already in flight when this one started (itself excluded). */
  concurrency: number;
  fault?: string;
}

/** A bounded in-memory log of served requests, so tests can assert counts, rates and concurrency. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private seq = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(private readonly capacity = 100_000) {}

  /** Marks a request as started; returns the concurrency it saw and a finisher that records it. */
  start(): { concurrency: number; seq: number; finish(entry: Omit<RequestLogEntry, "seq" | "concurrency">): void } {
    const concurrency = this.inFlight;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const seq = ++this.seq;
    let done = false;
    return {
      concurrency,
      seq,
      finish: (entry) => {
        if (done) return;
        done = true;
        this.inFlight -= 1;
        this.entries.push({ ...entry, seq, concurrency });
        if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
      },
    };
  }

  list(filter?: { path?: string; operationName?: string; rootField?: string }): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (!filter?.path || e.path === filter.path) &&
        (!filter?.operationName || e.operationName === filter.operationName) &&
        (!filter?.rootField || (e.rootFields ?? []).includes(filter.rootField)),
    );
  }

  /** Highest number of requests in flight at once since the last clear. */
  peakConcurrency(): number {
    return this.maxInFlight;
  }

  clear(): void {
    this.entries.length = 0;
    this.maxInFlight = this.inFlight;
  }
}
