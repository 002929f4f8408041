import { describe, expect, it } from "vitest";
import { PageProgress } from "./page-progress.js";

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (text: string) => chunks.push(text) };
};

describe("PageProgress", () => {
  it("rewrites one line on a terminal with records, pages and rate, and ends it", () => {
    const out = stream(true);
    let now = 0;
    const progress = new PageProgress(out, () => now);
    now = 1000;
    progress.page(500, 1200);
    now = 2000;
    progress.clear();
    progress.page(500, 1200);
    progress.finish();
    expect(out.chunks).toEqual(["\r\x1b[K500 of 1,200 records, 1 page, 500 records/s", "\r\x1b[K", "\r\x1b[K1,000 of 1,200 records, 2 pages, 500 records/s", "\n"]);
  });

  it("writes nothing when stderr is a file or a pipe", () => {
    const out = stream(false);
    const progress = new PageProgress(out);
    progress.page(10, undefined);
    progress.finish();
    expect(out.chunks).toEqual([]);
    expect(progress.line()).toMatch(/^10 records, 1 page, /);
  });
});
