import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addSimOptions, simStartOf } from "./sim.command.js";

describe("where simulated time starts", () => {
  const wall = () => Date.parse("2026-12-08T10:00:00Z");

  it("a realtime simulator starts at the wall clock so backfill windows find its records; a stepped one at the fixed default", () => {
    expect(simStartOf(undefined, true, wall)).toBe(wall());
    expect(simStartOf(undefined, false, wall)).toBeUndefined();
    expect(simStartOf("now", false, wall)).toBe(wall());
    expect(simStartOf(Date.parse("2026-06-01T00:00:00Z"), true, wall)).toBe(Date.parse("2026-06-01T00:00:00Z"));
  });

  it("--start takes now or an RFC 3339 timestamp, and says what it takes otherwise", () => {
    const parse = (args: string[]) => addSimOptions(new Command().exitOverride().configureOutput({ writeErr: () => undefined })).parse(args, { from: "user" }).opts();
    expect(parse(["--start", "now"]).start).toBe("now");
    expect(parse(["--start", "2026-06-01T00:00:00Z"]).start).toBe(Date.parse("2026-06-01T00:00:00Z"));
    expect(() => parse(["--start", "yesterday"])).toThrow(/--start takes "now" or an RFC 3339 timestamp/);
  });
});
