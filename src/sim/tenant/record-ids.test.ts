import { describe, expect, it } from "vitest";
import { decodeRecordId, recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("record ids", () => {
  it("look like lowercase v4 UUIDs and decode back to (index, sub)", () => {
    for (const index of [0, 1, 2, 41, 1_000, 999_999, 1_000_000, 4_294_967_295]) {
      for (const sub of [0, 1, 65_535]) {
        const id = recordId(7, KIND.issue, index, sub);
        expect(id).toMatch(UUID_V4);
        expect(decodeRecordId(7, KIND.issue, id)).toEqual({ index, sub });
      }
    }
  });

  it("are unique across indexes and kinds", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) ids.add(recordId(3, KIND.vulnerabilityFinding, i));
    for (let i = 0; i < 1_000; i += 1) ids.add(recordId(3, KIND.issue, i));
    expect(ids.size).toBe(21_000);
  });

  it("accept upper case, reject forged ids, other seeds and other kinds", () => {
    const id = recordId(7, KIND.issue, 123);
    expect(decodeRecordId(7, KIND.issue, id.toUpperCase())).toEqual({ index: 123, sub: 0 });
    const flipped = id.slice(0, -1) + (id.endsWith("0") ? "1" : "0");
    expect(decodeRecordId(7, KIND.issue, flipped)).toBeUndefined();
    expect(decodeRecordId(8, KIND.issue, id)).toBeUndefined();
    expect(decodeRecordId(7, KIND.detection, id)).toBeUndefined();
    expect(decodeRecordId(7, KIND.issue, "b8a4a4a6-1c0d-4f6e-9a55-1f2e3d4c5b6a")).toBeUndefined();
    expect(decodeRecordId(7, KIND.issue, "not-a-uuid")).toBeUndefined();
  });

  it("reject indexes that cannot be ids", () => {
    expect(() => recordId(1, KIND.issue, -1)).toThrow(RangeError);
    expect(() => recordId(1, KIND.issue, 1.5)).toThrow(RangeError);
  });
});
