/**
 * Growable typed columns. A column is replaced (copied into a larger array) when capacity runs out, so
 * readers must go through `cols` each time rather than keep an array.
 */
export type TypedColumn = Float64Array | Uint8Array | Uint16Array | Int32Array;

export type ColumnFactories<C> = { readonly [K in keyof C]: (length: number) => C[K] };

/** Timestamps: NaN means null. */
export const timeColumn = (length: number): Float64Array => new Float64Array(length).fill(Number.NaN);
/** Record references: -1 means none. */
export const refColumn = (length: number): Int32Array => new Int32Array(length).fill(-1);
export const byteColumn = (length: number): Uint8Array => new Uint8Array(length);
export const shortColumn = (length: number): Uint16Array => new Uint16Array(length);

export class ColumnStore<C extends { [K in keyof C]: TypedColumn }> {
  readonly cols: C;
  private length: number;
  private capacity: number;

  constructor(
    private readonly factories: ColumnFactories<C>,
    size: number,
  ) {
    this.length = size;
    this.capacity = size;
    const cols: Partial<C> = {};
    for (const key of this.keys()) cols[key] = factories[key](size);
    this.cols = cols as C;
  }

  size(): number {
    return this.length;
  }

  /** Appends one row holding the column defaults (NaN, -1, 0); returns its index. */
  append(): number {
    if (this.length === this.capacity) this.grow(Math.max(16, Math.ceil(this.capacity * 1.5)));
    const index = this.length;
    this.length += 1;
    return index;
  }

  private grow(capacity: number): void {
    for (const key of this.keys()) {
      const next = this.factories[key](capacity);
      next.set(this.cols[key] as ArrayLike<number>);
      this.cols[key] = next;
    }
    this.capacity = capacity;
  }

  private keys(): Array<keyof C> {
    return Object.keys(this.factories) as Array<keyof C>;
  }
}
