import { murmur2 as libraryMurmur2 } from "@platformatic/kafka";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { murmur2, partitionForKey } from "./kafka-partitioner.js";

describe("murmur2 partitioner", () => {
  it("matches the Java client's Utils.murmur2 test vectors", () => {
    const cases: Array<[string, number]> = [
      ["21", -973932308],
      ["foobar", -790332482],
      ["a-little-bit-long-string", -985981536],
      ["a-little-bit-longer-string", -1486304829],
      ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
      ["abc", 479470107],
    ];
    for (const [text, hash] of cases) expect(murmur2(Buffer.from(text)), text).toBe(hash);
  });

  it("agrees with the library's BigInt implementation on any bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => murmur2(bytes) === libraryMurmur2(Buffer.from(bytes))));
  });

  it("maps negative hashes the way Java's toPositive does (not unsigned)", () => {
    const key = Buffer.from("foobar");
    expect(murmur2(key)).toBeLessThan(0);
    expect(partitionForKey(key, 7)).toBe((-790332482 & 0x7fffffff) % 7);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 500 }), (bytes, n) => {
      const p = partitionForKey(bytes, n);
      return p >= 0 && p < n;
    }));
  });
});
