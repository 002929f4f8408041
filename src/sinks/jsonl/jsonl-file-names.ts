/**
 * How this sink names its files in its directory: `<base>.jsonl` is written, `<base>.<index>.jsonl` are
 * rotated (index zero-padded to 6 digits so names sort in order), `<base>.sink-test.jsonl` is the
 * self-test's. Anything else in the directory is not this sink's and is never touched.
 */
export class JsonlFileNames {
  readonly base: string;
  private readonly rotatedPattern: RegExp;

  constructor(readonly current: string) {
    this.base = current.replace(/\.jsonl$/, "");
    this.rotatedPattern = new RegExp(`^${this.base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d{6,})\\.jsonl$`);
  }

  rotated(index: number): string {
    return `${this.base}.${String(index).padStart(6, "0")}.jsonl`;
  }

  get selfTest(): string {
    return `${this.base}.sink-test.jsonl`;
  }

  /** Hidden file remembering the last rotation index, so names stay unique after every rotated file was moved away. */
  get indexMarker(): string {
    return `.${this.current}.rotation-index`;
  }

  /** The index in a rotated file's name, or undefined when the name is not one of this sink's rotated files. */
  indexOf(name: string): number | undefined {
    const digits = this.rotatedPattern.exec(name)?.[1];
    if (digits === undefined) return undefined;
    const index = Number(digits);
    return Number.isSafeInteger(index) ? index : undefined;
  }

  /** This sink's rotated files among directory entries, oldest (lowest index) first. */
  rotatedAmong(names: readonly string[]): Array<{ name: string; index: number }> {
    const out: Array<{ name: string; index: number }> = [];
    for (const name of names) {
      const index = this.indexOf(name);
      if (index !== undefined) out.push({ name, index });
    }
    return out.sort((a, b) => a.index - b.index);
  }
}
