import { describe, expect, it } from "vitest";
import { fsAdviceFor } from "./jsonl-fs-advice.js";

const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

describe("file-system advice for the JSONL sink", () => {
  it.each([
    ["EACCES", /permission denied/, /chown the directory to the user running wizbridge .*or pick another directory/],
    ["EPERM", /permission denied/, /chown the directory/],
    ["ENOSPC", /is full/, /free space on that volume, or set maxFiles \/ maxAgeDays/],
    ["EDQUOT", /quota/, /free space/],
    ["EROFS", /read-only/, /remount it read-write/],
    ["ENOTDIR", /is a file, not a directory/, /point directory at a directory/],
    ["EIO", /I\/O error/, /check the disk/],
    ["EMFILE", /too many files open/, /ulimit -n/],
  ])("%s: says the cause and the fix", (code, cause, fix) => {
    const advice = fsAdviceFor(error(code), "/var/lib/wizbridge/events");
    expect(advice.code).toBe(code);
    expect(advice.cause).toMatch(cause);
    expect(advice.fix).toMatch(fix);
  });

  it("an error without a code still gets a fix", () => {
    expect(fsAdviceFor(new Error("odd"), "/x")).toMatchObject({ code: "error", fix: expect.stringMatching(/writable/) as unknown });
  });
});
