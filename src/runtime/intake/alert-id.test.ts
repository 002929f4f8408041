import { describe, expect, it } from "vitest";
import { createAlertIdGenerator, uuidV7 } from "./alert-id.js";

describe("alert ids", () => {
  it("are RFC 9562 version 7 UUIDs carrying the intake time, sortable by it", () => {
    const id = uuidV7(Date.UTC(2026, 0, 2, 3, 4, 5, 678), (b) => b.fill(0xff));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(parseInt(id.replace(/-/gu, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect(uuidV7(1000) < uuidV7(2000)).toBe(true);
  });

  it("the pooled generator gives distinct ids across pool refills", () => {
    const next = createAlertIdGenerator();
    const ids = new Set(Array.from({ length: 2000 }, () => next(1_700_000_000_000)));
    expect(ids.size).toBe(2000);
  });
});
