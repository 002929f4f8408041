/**
 * Deterministic randomness keyed by (seed, kind, index): any record, or any single field of it, can be
 * regenerated alone without replaying the records before it.
 */

/** murmur3's 32-bit finaliser: a fast bijective mix with full avalanche. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any finite number (seeds may exceed 32 bits) into 32 bits. */
function fold(seed: number): number {
  const n = Math.floor(Math.abs(seed));
  return (n >>> 0) ^ mix32(Math.floor(n / 4294967296) + (seed < 0 ? 0x5bd1e995 : 0));
}

/** Two lowercase hex digits per byte value; a constant table because number.toString(16) dominates id-heavy loops. */
const HEX_BYTES: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0")));

/** The 8 lowercase hex digits of a 32-bit value. */
export function hex32(value: number): string {
  return (
    (HEX_BYTES[(value >>> 24) & 0xff] as string) +
    (HEX_BYTES[(value >>> 16) & 0xff] as string) +
    (HEX_BYTES[(value >>> 8) & 0xff] as string) +
    (HEX_BYTES[value & 0xff] as string)
  );
}

/** Key of one record stream, e.g. the issues of one tenant seed. */
export function streamKey(seed: number, kind: number): number {
  return mix32(mix32(fold(seed) ^ 0x9e3779b9) + Math.imul(kind + 1, 0x27d4eb2f));
}

/** Key of one record in a stream. */
export function rowKey(stream: number, index: number): number {
  return mix32(stream ^ mix32(Math.imul(index + 1, 0x9e3779b1) + Math.floor(index / 4294967296)));
}

/** 32 random bits for one field of one record. */
export function fieldBits(row: number, field: number): number {
  return mix32(row + Math.imul(field + 1, 0x85ebca77));
}

/** A number in [0, 1) for one field of one record. */
export function fieldUnit(row: number, field: number): number {
  return fieldBits(row, field) / 4294967296;
}

/** A sequential generator (mulberry32) for the many cosmetic fields of one materialised record. */
export class SeededRandom {
  private state: number;

  constructor(key: number) {
    this.state = key >>> 0;
  }

  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("SeededRandom.pick needs a non-empty list");
    return items[this.int(items.length)] as T;
  }

  /** Picks by relative weights (same length as items). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < items.length; i += 1) {
      u -= weights[i] ?? 0;
      if (u < 0) return items[i] as T;
    }
    return this.pick(items);
  }

  /** Lowercase hex string of n characters. */
  hex(n: number): string {
    let out = "";
    while (out.length < n) out += hex32(this.nextU32());
    return out.length === n ? out : out.slice(0, n);
  }

  /** n characters drawn from an alphabet. */
  chars(n: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < n; i += 1) out += alphabet[this.int(alphabet.length)] ?? "";
    return out;
  }

  digits(n: number): string {
    return this.chars(n, "0123456789");
  }

  /** A random lowercase v4 UUID (for sub-entities that need no decoding). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((this.nextU32() & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** An IPv4 address in a private (10.0.0.0/8) or public documentation-like range. */
  ipv4(isPublic: boolean): string {
    if (!isPublic) return `10.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
    const first = this.pick([3, 13, 18, 34, 35, 52, 54, 20, 40, 104, 129, 141, 158]);
    return `${first}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
}

/** The generator for one record: stream `kind` of `seed`, record `index`, sub-stream `stream`. */
export function recordRandom(seed: number, kind: number, index: number, stream = 0): SeededRandom {
  return new SeededRandom(fieldBits(rowKey(streamKey(seed, kind), index), 1000 + stream));
}

/** A plain `() => number` in [0, 1) for callers outside the tenant (upload ids, signing keys). */
export function createSeededRandom(seed: number): () => number {
  const random = new SeededRandom(streamKey(seed, 0xffff));
  return () => random.next();
}
