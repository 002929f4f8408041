/**
 * Splits a character stream into top-level JSON texts: NDJSON, concatenated or pretty-printed objects,
 * or whole arrays. It tracks depth outside strings only, so one malformed record ends at its closing
 * brace (or at the size cap) instead of swallowing the rest of the stream.
 */
export class JsonTextSplitter {
  private buffer = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;
  private skipToNewline = false;

  constructor(private readonly maxTextChars: number) {}

  /** Feeds a chunk; returns every complete top-level text and every oversized/stray fragment as an error. */
  push(chunk: string): Array<{ text: string } | { error: string }> {
    const out: Array<{ text: string } | { error: string }> = [];
    this.buffer += chunk;
    let i = this.scanned;
    for (; i < this.buffer.length; i++) {
      if (this.skipToNewline) {
        const nl = this.buffer.indexOf("\n", i);
        if (nl < 0) {
          i = this.buffer.length;
          break;
        }
        this.skipToNewline = false;
        i = nl;
        continue;
      }
      const c = this.buffer.charCodeAt(i);
      if (this.start < 0) {
        // between values: skip whitespace; anything else that cannot open a value is a stray fragment up to the line end
        if (c === 0x7b || c === 0x5b) {
          this.start = i;
          this.depth = 1;
          this.inString = false;
          this.escaped = false;
        } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          const end = this.buffer.indexOf("\n", i);
          if (end < 0) break;
          out.push({ error: `not a JSON object or array: ${this.buffer.slice(i, Math.min(end, i + 60))}` });
          i = end;
        }
        continue;
      }
      if (i - this.start > this.maxTextChars) {
        out.push({ error: `a JSON value longer than ${this.maxTextChars} characters was skipped` });
        this.start = -1;
        this.depth = 0;
        this.inString = false;
        // the rest of the oversized value is dropped up to the next line
        this.skipToNewline = true;
        continue;
      }
      if (c === 0x0a && !this.inString) {
        // A "{" at the start of a line while a value is open means the open one was malformed NDJSON:
        // report it and start over there, so one bad line never swallows the next records.
        if (i + 1 >= this.buffer.length) break;
        if (this.buffer.charCodeAt(i + 1) === 0x7b) {
          out.push({ error: `not valid JSON: ${this.buffer.slice(this.start, Math.min(i, this.start + 60))}` });
          this.start = -1;
          this.depth = 0;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          out.push({ text: this.buffer.slice(this.start, i + 1) });
          this.start = -1;
        }
      }
    }
    // keep only the unfinished part
    const keepFrom = this.start >= 0 ? this.start : i;
    this.buffer = this.buffer.slice(keepFrom);
    this.scanned = i - keepFrom;
    if (this.start >= 0) this.start = 0;
    return out;
  }

  /** True when a value is still open (the stream ended mid-record). */
  get pending(): boolean {
    return this.start >= 0 || this.buffer.trim() !== "";
  }
}
