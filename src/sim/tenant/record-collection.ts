import type { ColumnStore, TypedColumn } from "./column-store.js";
import type { Collection, WizRecord } from "./types.js";

/** How a collection names its records: id of an index, and index of an id (undefined when unknown). */
export interface RecordIdCodec {
  idAt(index: number): string;
  indexOf(id: string): number | undefined;
}

/** A collection over a column store: records are built on demand by `build`, never stored. */
export class RecordCollection<C extends { [K in keyof C]: TypedColumn }> implements Collection<WizRecord, C> {
  constructor(
    readonly kind: string,
    private readonly store: ColumnStore<C>,
    private readonly ids: RecordIdCodec,
    private readonly build: (index: number) => WizRecord,
  ) {}

  get cols(): C {
    return this.store.cols;
  }

  size(): number {
    return this.store.size();
  }

  get(index: number): WizRecord {
    this.check(index);
    return this.build(index);
  }

  indexOf(id: string): number | undefined {
    if (typeof id !== "string" || id.length === 0) return undefined;
    const index = this.ids.indexOf(id);
    return index !== undefined && index >= 0 && index < this.store.size() ? index : undefined;
  }

  idAt(index: number): string {
    this.check(index);
    return this.ids.idAt(index);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.store.size()) {
      throw new RangeError(`${this.kind}: no record at index ${index} (size ${this.store.size()})`);
    }
  }
}
