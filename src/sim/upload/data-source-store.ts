/**
 * What each enrichment data source currently contributes to the tenant, kept compact: item keys,
 * when each was last sent, and for events the issue index they raised. Whole documents are never
 * kept, so a connector uploading every minute for weeks costs memory in proportion to its live
 * findings, not to its upload history.
 *
 * Two Wiz behaviours are modelled here (tutorial: "data that gets no updates for 7 days goes stale
 * and auto-resolves"; third-party reports: a new upload for the same data source id replaces the
 * earlier content): replacement on a new upload and staleness after a quiet period.
 */

export interface Actor {
  id: string;
  name: string;
}

/** The tenant operations the store needs, injected so it can be tested without a tenant. */
export interface IssueHooks {
  /** True while the issue is OPEN or IN_PROGRESS, i.e. still worth resolving. */
  isIssueOpen(issueIndex: number): boolean;
  resolveIssue(issueIndex: number, by: Actor, at: number): void;
}

/** One data source's content from one upload: keys of findings and tags, events with a way to raise their issue. */
export interface IncomingContent {
  findings: Set<string>;
  tags: Set<string>;
  /** Event key → raises (or re-raises) the THREAT_DETECTION issue and returns its index. */
  events: Map<string, () => number>;
}

export interface ApplyOutcome {
  raisedIssues: number;
  resolvedFindings: number;
  resolvedEvents: number;
  resolvedIssues: number[];
}

export interface DataSourceSummary {
  key: string;
  findings: number;
  events: number;
  tags: number;
  lastUploadId: string;
  refreshedAt: number;
  /** When the oldest item goes stale (NaN when staleness is off or nothing is held). */
  staleAt: number;
}

export interface EventEntry {
  issue: number;
  seenAt: number;
}

/** A data source store's content: per data source key, its items with the time each was last sent. */
export type DataSourceStoreState = Array<{
  key: string;
  findings: Array<[string, number]>;
  tags: Array<[string, number]>;
  events: Array<[string, EventEntry]>;
  by: Actor;
  lastUploadId: string;
  refreshedAt: number;
}>;

interface SourceState {
  findings: Map<string, number>;
  tags: Map<string, number>;
  events: Map<string, EventEntry>;
  by: Actor;
  lastUploadId: string;
  refreshedAt: number;
  oldestSeenAt: number;
}

export class DataSourceStore {
  private readonly sources = new Map<string, SourceState>();
  /** How many live event entries (across all data sources) point at each issue. */
  private readonly issueRefs = new Map<number, number>();

  constructor(private readonly hooks: IssueHooks) {}

  /**
   * Applies one data source block of a processed upload at simulator time `at`. With `replace`, items
   * the source held before but did not send now are dropped (their issues resolved); without it the
   * new items are merged in and the old ones wait for staleness.
   */
  apply(key: string, incoming: IncomingContent, replace: boolean, by: Actor, uploadId: string, at: number): ApplyOutcome {
    const outcome: ApplyOutcome = { raisedIssues: 0, resolvedFindings: 0, resolvedEvents: 0, resolvedIssues: [] };
    let state = this.sources.get(key);
    if (!state) {
      state = { findings: new Map(), tags: new Map(), events: new Map(), by, lastUploadId: uploadId, refreshedAt: at, oldestSeenAt: at };
      this.sources.set(key, state);
    }
    state.by = by;
    state.lastUploadId = uploadId;
    state.refreshedAt = at;

    for (const [eventKey, raise] of incoming.events) {
      const existing = state.events.get(eventKey);
      // Re-sending an event whose issue is still open is a refresh, not a new detection: the event id
      // is the uploader's dedup key, and raising again would produce a spurious issue update.
      if (existing && this.hooks.isIssueOpen(existing.issue)) {
        existing.seenAt = at;
        continue;
      }
      const issue = raise();
      outcome.raisedIssues++;
      if (existing) this.release(existing.issue);
      this.retain(issue);
      state.events.set(eventKey, { issue, seenAt: at });
    }
    for (const findingKey of incoming.findings) state.findings.set(findingKey, at);
    for (const tagKey of incoming.tags) state.tags.set(tagKey, at);

    if (replace) {
      for (const findingKey of [...state.findings.keys()]) {
        if (!incoming.findings.has(findingKey)) {
          state.findings.delete(findingKey);
          outcome.resolvedFindings++;
        }
      }
      for (const tagKey of [...state.tags.keys()]) if (!incoming.tags.has(tagKey)) state.tags.delete(tagKey);
      for (const [eventKey, entry] of [...state.events]) {
        if (incoming.events.has(eventKey)) continue;
        state.events.delete(eventKey);
        outcome.resolvedEvents++;
        const resolved = this.releaseAndMaybeResolve(entry.issue, state.by, at);
        if (resolved !== undefined) outcome.resolvedIssues.push(resolved);
      }
    }
    this.settle(key, state);
    return outcome;
  }

  /** Earliest time any held item goes stale; Infinity when nothing can. */
  nextStaleAt(staleMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.sources.values()) next = Math.min(next, state.oldestSeenAt + staleMs);
    return next;
  }

  /** Drops every item last sent at or before `at - staleMs`, resolving issues nothing else keeps open. */
  sweep(at: number, staleMs: number): ApplyOutcome {
    const outcome: ApplyOutcome = { raisedIssues: 0, resolvedFindings: 0, resolvedEvents: 0, resolvedIssues: [] };
    const cutoff = at - staleMs;
    for (const [key, state] of [...this.sources]) {
      if (state.oldestSeenAt > cutoff) continue;
      for (const [findingKey, seenAt] of [...state.findings]) {
        if (seenAt <= cutoff) {
          state.findings.delete(findingKey);
          outcome.resolvedFindings++;
        }
      }
      for (const [tagKey, seenAt] of [...state.tags]) if (seenAt <= cutoff) state.tags.delete(tagKey);
      for (const [eventKey, entry] of [...state.events]) {
        if (entry.seenAt > cutoff) continue;
        state.events.delete(eventKey);
        outcome.resolvedEvents++;
        const resolved = this.releaseAndMaybeResolve(entry.issue, state.by, at);
        if (resolved !== undefined) outcome.resolvedIssues.push(resolved);
      }
      this.settle(key, state);
    }
    return outcome;
  }

  summaries(staleMs: number | null): DataSourceSummary[] {
    return [...this.sources].map(([key, s]) => ({
      key,
      findings: s.findings.size,
      events: s.events.size,
      tags: s.tags.size,
      lastUploadId: s.lastUploadId,
      refreshedAt: s.refreshedAt,
      staleAt: staleMs === null ? Number.NaN : s.oldestSeenAt + staleMs,
    }));
  }

  /** What every data source holds, as JSON-safe data (for the simulator's saved state). */
  snapshot(): DataSourceStoreState {
    return [...this.sources].map(([key, state]) => ({
      key,
      findings: [...state.findings],
      tags: [...state.tags],
      events: [...state.events].map(([eventKey, entry]) => [eventKey, { ...entry }] as [string, EventEntry]),
      by: { ...state.by },
      lastUploadId: state.lastUploadId,
      refreshedAt: state.refreshedAt,
    }));
  }

  /** Replaces the content with a snapshot; the issue reference counts are rebuilt from its events. */
  restore(snapshot: DataSourceStoreState): void {
    this.sources.clear();
    this.issueRefs.clear();
    for (const source of snapshot) {
      const state: SourceState = { findings: new Map(source.findings), tags: new Map(source.tags), events: new Map(source.events.map(([k, e]) => [k, { ...e }])), by: { ...source.by }, lastUploadId: source.lastUploadId, refreshedAt: source.refreshedAt, oldestSeenAt: source.refreshedAt };
      for (const entry of state.events.values()) this.retain(entry.issue);
      this.sources.set(source.key, state);
      this.settle(source.key, state);
    }
  }

  /** Issue indexes currently kept alive by uploaded events (for tests and the admin view). */
  liveIssueIndexes(): number[] {
    return [...this.issueRefs.keys()];
  }

  private retain(issue: number): void {
    this.issueRefs.set(issue, (this.issueRefs.get(issue) ?? 0) + 1);
  }

  private release(issue: number): number {
    const left = (this.issueRefs.get(issue) ?? 1) - 1;
    if (left <= 0) this.issueRefs.delete(issue);
    else this.issueRefs.set(issue, left);
    return left;
  }

  /** Returns the issue index when this release resolved it. */
  private releaseAndMaybeResolve(issue: number, by: Actor, at: number): number | undefined {
    if (this.release(issue) > 0) return undefined;
    // A user may already have resolved or rejected it; their decision stands.
    if (!this.hooks.isIssueOpen(issue)) return undefined;
    this.hooks.resolveIssue(issue, by, at);
    return issue;
  }

  /** Recomputes the staleness horizon and forgets a data source that holds nothing. */
  private settle(key: string, state: SourceState): void {
    if (state.findings.size === 0 && state.tags.size === 0 && state.events.size === 0) {
      this.sources.delete(key);
      return;
    }
    let oldest = Number.POSITIVE_INFINITY;
    for (const seenAt of state.findings.values()) oldest = Math.min(oldest, seenAt);
    for (const seenAt of state.tags.values()) oldest = Math.min(oldest, seenAt);
    for (const entry of state.events.values()) oldest = Math.min(oldest, entry.seenAt);
    state.oldestSeenAt = oldest;
  }
}
