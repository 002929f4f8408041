import { describe, expect, it } from "vitest";
import { parseCronExpression } from "./cron-expression.js";
import { nextRunAt, parseStreamSchedule } from "./stream-schedule.js";

const at = (iso: string) => Date.parse(iso);

describe("stream schedules", () => {
  it("intervals run at start-up, then every interval after the last start", () => {
    const every5 = parseStreamSchedule("5m");
    expect(nextRunAt(every5, undefined, at("2026-01-01T00:00:00Z"))).toBe(at("2026-01-01T00:00:00Z"));
    expect(nextRunAt(every5, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:01:00Z"))).toBe(at("2026-01-01T00:05:00Z"));
  });

  it("`once` runs at start-up only", () => {
    const once = parseStreamSchedule("once");
    expect(nextRunAt(once, undefined, 5)).toBe(5);
    expect(nextRunAt(once, 5, 10)).toBeUndefined();
  });

  it("cron expressions find the next matching minute in UTC", () => {
    expect(parseCronExpression("*/15 * * * *").next(at("2026-01-01T10:07:30Z"))).toBe(at("2026-01-01T10:15:00Z"));
    expect(parseCronExpression("0 2 * * *").next(at("2026-01-01T03:00:00Z"))).toBe(at("2026-01-02T02:00:00Z"));
    expect(parseCronExpression("30 9 * * 1-5").next(at("2026-01-03T12:00:00Z"))).toBe(at("2026-01-05T09:30:00Z")); // Sat -> Mon
    expect(parseCronExpression("0 0 1 */3 *").next(at("2026-01-15T00:00:00Z"))).toBe(at("2026-04-01T00:00:00Z"));
    expect(parseCronExpression("0 12 * * 7").next(at("2026-01-01T00:00:00Z"))).toBe(at("2026-01-04T12:00:00Z")); // 7 = Sunday
  });

  it("refuses what it cannot run, saying which part is wrong", () => {
    expect(() => parseStreamSchedule("sometimes")).toThrow(/interval.*cron.*once/);
    expect(() => parseStreamSchedule("0s")).toThrow(/at least 1s/);
    expect(() => parseCronExpression("61 * * * *")).toThrow(/minute field/);
    expect(() => parseCronExpression("* * *")).toThrow(/5 fields/);
  });
});
