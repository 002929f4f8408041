import { describe, expect, it } from "vitest";
import { createSimClock, parseWizTimestamp, quantizeToMicros, toWizTimestamp } from "./clock.js";

describe("Wiz timestamps", () => {
  it("formats like Date#toISOString with six fraction digits, across eras, leap days and negative epochs", () => {
    const samples = [0, -1, 951_782_400_000, 1_709_164_799_999, 1_795_462_848_859, 4_102_444_800_000, -62_135_596_800_000];
    for (let i = 0; i < 2000; i += 1) samples.push(Math.floor(Math.sin(i) * 4e12));
    for (const ms of samples) expect(toWizTimestamp(ms)).toBe(`${new Date(ms).toISOString().slice(0, 23)}000Z`);
  });

  it("round-trips microseconds exactly through quantize, format and parse", () => {
    for (let i = 0; i < 2000; i += 1) {
      const ms = quantizeToMicros(1_767_225_600_000 + Math.abs(Math.sin(i)) * 7.7e9);
      const text = toWizTimestamp(ms);
      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(parseWizTimestamp(text)).toBe(ms);
    }
    expect(parseWizTimestamp("2023-08-23T07:56:09.903743Z")).toBe(quantizeToMicros(Date.parse("2023-08-23T07:56:09.903Z") + 0.743));
    expect(Number.isNaN(parseWizTimestamp("yesterday"))).toBe(true);
  });
});

describe("simulator clock", () => {
  it("advances on demand and tells listeners each stretch of time once", async () => {
    const clock = createSimClock({ start: 1000 });
    const seen: Array<[number, number]> = [];
    const stop = clock.onAdvance((now, previous) => {
      seen.push([previous, now]);
    });
    await clock.advance(500);
    await clock.advance(0);
    stop();
    await clock.advance(10);
    expect(seen).toEqual([
      [1000, 1500],
      [1500, 1500],
    ]);
    expect(clock.now()).toBe(1510);
    await expect(clock.advance(-1)).rejects.toThrow(/non-negative/);
  });

  it("follows the wall clock in realtime mode, scaled by speed", async () => {
    const wall = { t: 0 };
    const clock = createSimClock({ start: 0, realtime: true, speed: 60, wallNow: () => wall.t });
    wall.t = 1000;
    expect(clock.now()).toBe(60_000);
    const seen: number[] = [];
    clock.onAdvance((now, previous) => {
      seen.push(now - previous);
    });
    await clock.advance(0);
    expect(seen).toEqual([60_000]);
  });
});
