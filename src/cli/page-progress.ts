/** A one-line progress report for `--all`, rewritten in place on a terminal's stderr. */
export class PageProgress {
  private records = 0;
  private pages = 0;
  private readonly started: number;
  private written = false;

  constructor(
    private readonly stream: { write(text: string): unknown; isTTY?: boolean },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Only a terminal gets progress; a file or pipe on stderr would fill up with carriage returns. */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  page(records: number, totalCount: number | undefined): void {
    this.records += records;
    this.pages += 1;
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[K${this.line(totalCount)}`);
    this.written = true;
  }

  /** Erases the line before other output, so a terminal showing both stdout and stderr does not mix them. */
  clear(): void {
    if (this.written) this.stream.write("\r\x1b[K");
    this.written = false;
  }

  /** Ends the line so later output starts on a fresh one. */
  finish(): void {
    if (this.written) this.stream.write("\n");
    this.written = false;
  }

  line(totalCount?: number): string {
    const seconds = Math.max((this.now() - this.started) / 1000, 0.001);
    const of = totalCount === undefined ? "" : ` of ${totalCount.toLocaleString("en")}`;
    return `${this.records.toLocaleString("en")}${of} records, ${this.pages} page${this.pages === 1 ? "" : "s"}, ${Math.round(this.records / seconds).toLocaleString("en")} records/s`;
  }
}
