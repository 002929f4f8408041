import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from "node:fs";
import { errorCode } from "./jsonl-file-ops.js";

/**
 * Truncates a file after its last newline at or before `limit` bytes (a line half-written when the
 * process died, or a failed batch that could not be cut off while the file was open); returns the size
 * kept, or undefined when the file does not exist.
 */
export function cutTornTail(path: string, limit = Number.POSITIVE_INFINITY): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.alloc(64 * 1024);
    let end = Math.min(size, limit);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep !== size) ftruncateSync(fd, keep);
        return keep;
      }
      end = start;
    }
    if (size !== 0) ftruncateSync(fd, 0);
    return 0;
  } finally {
    closeSync(fd);
  }
}
