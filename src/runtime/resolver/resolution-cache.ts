import type { ResolvedEntity } from "./resource-directory.js";

export interface ResolutionCacheOptions {
  /** How long a found resource is trusted; Wiz re-inventories about daily. Default 6 h. */
  positiveTtlMs?: number;
  /** How long "not in Wiz" is trusted, short so newly inventoried workloads are picked up. Default 60 s. */
  negativeTtlMs?: number;
  /** Entries kept before the oldest are dropped. Default 50,000. */
  maxEntries?: number;
  now: () => number;
}

interface Entry {
  entities: readonly ResolvedEntity[];
  expiresAt: number;
}

/**
 * Look-up results by sensor-side key (`pid:<arn>`, `pod:<name>`...): long positive and short negative
 * TTLs on an injected clock. In memory: a restart only costs one round of batched look-ups.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly positiveTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(private readonly options: ResolutionCacheOptions) {
    this.positiveTtlMs = options.positiveTtlMs ?? 6 * 3_600_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  /** The cached entities (possibly none: a cached miss), or undefined when the key must be looked up. */
  get(key: string): readonly ResolvedEntity[] | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.options.now()) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry.entities;
  }

  set(key: string, entities: readonly ResolvedEntity[]): void {
    const ttl = entities.length > 0 ? this.positiveTtlMs : this.negativeTtlMs;
    this.entries.delete(key);
    this.entries.set(key, { entities, expiresAt: this.options.now() + ttl });
    // Maps iterate in insertion order, so the first keys are the oldest.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Forgets one key, e.g. after Wiz refused an asset the cache pointed at. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
