import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectMembers, scanWizEvent, WizEventScanError } from "./wiz-event-scan.js";

describe("scanWizEvent", () => {
  it("finds kind, observedAt, profile, the record span and the record's severity as JSON.parse does", () => {
    const str = fc.string({ unit: "grapheme", maxLength: 12 });
    const event = fc.record({
      kind: fc.oneof(str, fc.integer()),
      observedAt: str,
      profile: fc.oneof(str, fc.constant(null)),
      record: fc.oneof(fc.record({ severity: fc.oneof(str, fc.constant(null)), recordType: str, nested: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
      raw: fc.jsonValue({ maxDepth: 3 }),
      id: str,
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(event, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const scan = scanWizEvent(text);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
        expect(scan.kind).toBe(asString(parsed.kind));
        expect(scan.observedAt).toBe(asString(parsed.observedAt));
        expect(scan.profile).toBe(asString(parsed.profile));
        const record = parsed.record;
        if (typeof record === "object" && record !== null && !Array.isArray(record)) {
          expect(scan.recordStart).toBeDefined();
          const spec = Object.fromEntries(Object.keys(record).map((k) => [k, true as const]));
          expect(Object.fromEntries(objectMembers(text, scan.recordStart as number, spec))).toEqual(record);
          expect(scan.severity).toBe(asString((record as Record<string, unknown>).severity));
          expect(scan.recordType).toBe(asString((record as Record<string, unknown>).recordType));
        } else {
          expect(scan.recordStart).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("reads only the named members, nested ones as Maps, and skips the rest", () => {
    const text = JSON.stringify({ a: 1, skip: { deep: [1, { x: "}" }] }, r: { id: "r1", name: "n", big: "x".repeat(50) }, s: { id: 2 }, t: "t" });
    const members = objectMembers(text, 0, { r: { id: true }, s: true, t: true, absent: true });
    expect([...members.keys()]).toEqual(["r", "s", "t"]);
    expect(members.get("r")).toEqual(new Map([["id", "r1"]]));
    expect(members.get("s")).toEqual({ id: 2 });
  });

  it("reads escaped keys and values", () => {
    expect(scanWizEvent('{"k\\u0069nd":"a\\"b","record":{"severity":"HI\\u0047H"}}')).toMatchObject({ kind: 'a"b', severity: "HIGH" });
  });

  it("fails on text that is not a JSON object", () => {
    for (const text of ["", "[1]", "{not json", '{"kind":"x"', '{"kind" "x"}', '{"record":{"a":[1,2}']) expect(() => scanWizEvent(text), text).toThrow(WizEventScanError);
    expect(() => objectMembers('{"a":[1,2}', 0, { b: true })).toThrow(WizEventScanError);
  });
});
