import { PassThrough, Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createProgressReporter } from "./sync-progress.js";

const progress = { stream: "issues", elapsedMs: 2000, pages: 3, records: 1234, emitted: 1200, requests: 4 };

describe("sync progress", () => {
  it("logs `wiz: fetched N <stream>` lines when not on a terminal", () => {
    let logged = "";
    const logger = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, done) => ((logged += c.toString()), done()) }));
    const reporter = createProgressReporter({ tty: false, out: new PassThrough(), logger });
    reporter.onProgress("prod", progress, { ...progress, status: "completed" });
    const line = JSON.parse(logged) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: "wiz: fetched 1234 issues (1200 new or changed)", connector: "prod", stream: "issues", records: 1234, pages: 3, perSecond: 617 });
  });

  it("rewrites one line per stream on a terminal: records, pages, rate", () => {
    const out = new PassThrough();
    let text = "";
    out.setEncoding("utf8").on("data", (c: string) => (text += c));
    const reporter = createProgressReporter({ tty: true, out, logger: pino({ level: "silent" }) });
    reporter.onProgress("prod", progress, { ...progress, status: "completed" });
    expect(text).toMatch(/prod\s+issues\s+1234 records\s+3 pages\s+617\/s\s+1200 new\s+done\n$/);
  });
});
