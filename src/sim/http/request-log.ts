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
  // Totals since start, kept apart from the bounded entry list so /metrics never goes backwards.
  private readonly totals = new Map<string, number>();
  private durationSumMs = 0;

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
        const key = `${entry.path.startsWith("/upload/") ? "/upload" : entry.path.startsWith("/_sim/") ? "/_sim" : entry.path}|${entry.status}|${entry.errorCodes?.[0] ?? ""}|${entry.fault ?? ""}`;
        this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
        this.durationSumMs += entry.durationMs;
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

  /** Prometheus text exposition of request totals (never reset by clear()). */
  metrics(): string {
    const lines = [
      "# HELP wizsim_requests_total Requests served by the simulator, by path, HTTP status, first GraphQL error code and injected fault.",
      "# TYPE wizsim_requests_total counter",
    ];
    for (const [key, count] of [...this.totals.entries()].sort()) {
      const [path, status, code, fault] = key.split("|");
      lines.push(`wizsim_requests_total{path="${path}",status="${status}",code="${code}",fault="${fault}"} ${count}`);
    }
    lines.push(
      "# HELP wizsim_request_duration_ms_sum Total time spent serving requests.",
      "# TYPE wizsim_request_duration_ms_sum counter",
      `wizsim_request_duration_ms_sum ${Math.round(this.durationSumMs)}`,
      "# HELP wizsim_requests_in_flight Requests being served now.",
      "# TYPE wizsim_requests_in_flight gauge",
      `wizsim_requests_in_flight ${this.inFlight}`,
    );
    return `${lines.join("\n")}\n`;
  }

  clear(): void {
    this.entries.length = 0;
    this.maxInFlight = this.inFlight;
  }
}
