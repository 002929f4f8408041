import { describe, expect, it } from "vitest";
import { TenantRateLimiter } from "./rate-limiter.js";

describe("tenant rate limiter", () => {
  it("allows a burst of one second's worth, then refills at the sustained rate", () => {
    const clock = { t: 0 };
    const limiter = new TenantRateLimiter({ requestsPerSecond: 5, mode: "http429" }, () => clock.t);
    const burst = Array.from({ length: 6 }, () => limiter.take().allowed);
    expect(burst).toEqual([true, true, true, true, true, false]);
    const refused = limiter.take();
    expect(refused.allowed === false && refused.retryAfterMs).toBe(200);
    clock.t += 200;
    expect(limiter.take().allowed).toBe(true);
    expect(limiter.take().allowed).toBe(false);
    // Over 10 simulated seconds exactly 50 requests get through at 5/s.
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      clock.t += 10;
      if (limiter.take().allowed) allowed += 1;
    }
    expect(allowed).toBe(50);
  });

  it("is off at 0 requests per second", () => {
    const limiter = new TenantRateLimiter({ requestsPerSecond: 0, mode: "graphql200" }, () => 0);
    expect(Array.from({ length: 100 }, () => limiter.take().allowed).every(Boolean)).toBe(true);
  });
});
