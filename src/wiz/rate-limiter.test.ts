import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../sim/index.js";
import { RateLimiter } from "./rate-limiter.js";
import { ISSUES_PAGE, simClient, startTestSimulator } from "./sim-client.test-fixtures.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/** A manual clock whose sleep advances it, so pacing is checked exactly and instantly. */
function manualTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

/** Largest number of timestamps inside any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("RateLimiter (unit)", () => {
  it("spaces starts 1/rate apart instead of bursting", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ requestsPerSecond: 4, maxConcurrency: 100, now: time.now, sleep: time.sleep });
    await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(() => Promise.resolve())));
    // The first goes at once, each later one waits one interval after the previous start.
    expect(time.slept).toEqual([250, 250, 250, 250]);
    expect(time.now()).toBe(1000);
  });

  it("makes up starts a busy event loop delayed, within the catch-up window and no further", async () => {
    let t = 0;
    let overshoot = 8;
    // Timers fire late, as they do while a page's commit holds the event loop.
    const sleep = (ms: number): Promise<void> => {
      t += ms + overshoot;
      return Promise.resolve();
    };
    const limiter = new RateLimiter({ requestsPerSecond: 50, maxConcurrency: 100, catchUpMs: 60, now: () => t, sleep });
    const starts: number[] = [];
    const burst = (n: number): Promise<unknown> => Promise.all(Array.from({ length: n }, () => limiter.schedule(() => Promise.resolve(starts.push(t)))));
    await burst(50);
    // 50/s kept: the 50th start is 49 intervals after the first (plus one late timer), not 49 x 28 ms.
    expect(starts.at(-1)).toBe(49 * 20 + 8);
    // A 50 ms stall is made up: a few starts at once (never more than the 3 catch-up slots + 1), then paced.
    overshoot = 50;
    starts.length = 0;
    await burst(2);
    overshoot = 0;
    await burst(8);
    const atOnce = starts.filter((s) => s === starts[1]).length;
    expect(atOnce).toBeGreaterThan(1);
    expect(atOnce).toBeLessThanOrEqual(4);
    // Idle far longer than the window: no burst at all.
    t += 5000;
    starts.length = 0;
    for (let i = 0; i < 3; i += 1) await burst(1);
    expect(starts.map((s) => s - (starts[0] ?? 0))).toEqual([0, 20, 40]);
  });

  it("caps the requests in flight and hands slots over in order", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 0, maxConcurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.schedule(async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(i);
          inFlight -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.inFlight()).toBe(0);
  });

  it("lets a cancelled waiter go without holding up the others", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 0, maxConcurrency: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const cancelled = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error("caller gave up"));
    await expect(cancelled).rejects.toThrow("caller gave up");
    held.release();
    const permit = await next;
    expect(limiter.inFlight()).toBe(1);
    permit.release();
    expect(limiter.inFlight()).toBe(0);
  });

  it("refuses nonsense limits", () => {
    expect(() => new RateLimiter({ maxConcurrency: 0 })).toThrow(/maxConcurrency/);
    expect(() => new RateLimiter({ requestsPerSecond: -1 })).toThrow(/requestsPerSecond/);
  });
});

describe("rate limiting against the simulator", () => {
  it("keeps 40 requests under a 10 req/s tenant limit: nothing refused, no 1 s window over the rate", async () => {
    const s: Simulator = await startTestSimulator({ rateLimit: { requestsPerSecond: 10, mode: "http429" } });
    open.push(s);
    const limiter = new RateLimiter({ requestsPerSecond: 10, maxConcurrency: 4 });
    // Two clients of one tenant share the limiter, as a pull worker and an operator's CLI would.
    const a = simClient(s, { rateLimiter: limiter });
    const b = simClient(s, { rateLimiter: limiter });
    open.push(a, b);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).graphql(ISSUES_PAGE, { first: 1 })));

    const log = s.requests.list({ path: "/graphql" });
    expect(log).toHaveLength(40);
    expect(log.filter((e) => e.status === 429)).toHaveLength(0);
    // Exact pacing puts at most 10 starts in any 1 s window; the slack covers a loaded machine delaying one
    // request between the limiter and the server's clock. The zero-429 check above is the strict one.
    expect(busiestWindow(log.map((e) => e.startedAt), 1000)).toBeLessThanOrEqual(12);
    expect(s.requests.peakConcurrency()).toBeLessThanOrEqual(5);
  });
});
