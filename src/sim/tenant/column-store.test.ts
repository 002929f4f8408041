import { describe, expect, it } from "vitest";
import { byteColumn, ColumnStore, refColumn, timeColumn } from "./column-store.js";

describe("ColumnStore", () => {
  it("grows by replacing its arrays, keeping values and filling defaults", () => {
    const store = new ColumnStore({ at: timeColumn, ref: refColumn, flag: byteColumn }, 2);
    store.cols.at[1] = 5;
    store.cols.ref[1] = 7;
    const before = store.cols.at;
    for (let i = 0; i < 40; i += 1) store.append();
    expect(store.size()).toBe(42);
    expect(store.cols.at).not.toBe(before);
    expect(store.cols.at.length).toBeGreaterThanOrEqual(42);
    expect(store.cols.at[1]).toBe(5);
    expect(store.cols.ref[1]).toBe(7);
    expect(Number.isNaN(store.cols.at[41] ?? 0)).toBe(true);
    expect(store.cols.ref[41]).toBe(-1);
    expect(store.cols.flag[41]).toBe(0);
  });
});
