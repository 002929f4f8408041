import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CANONICAL_RECORD_SCHEMAS, canonicalRecordSchema, type CanonicalRecordType } from "../../src/model/canonical/index.js";
import { BUILT_IN_MAPS } from "../../src/transform/maps/built-in-maps.js";
import { hasFieldType } from "../../src/transform/maps/field-conversion.js";
import { compileTransformMap } from "../../src/transform/maps/map-evaluator.js";
import { validateTransformMap } from "../../src/transform/maps/map-validator.js";
import { loadRawSchema } from "../../src/transform/maps/source-paths.js";
import { FIELD_TYPES, type FieldType, type TransformMap } from "../../src/transform/maps/transform-map.schema.js";
import { MissingFieldError } from "../../src/transform/normalisers/raw-fields.js";
import { RECORD_TYPE_OF_STREAM, STREAM_NORMALISERS } from "../../src/transform/normalisers/stream-normaliser.js";
import { WIZ_LADDER } from "../../src/transform/severity/severity-ladder.js";
import { tenantRecords, type RawRecord } from "./wiz-records.js";

const context = { portalOrigin: "https://app.wiz.io", ladder: WIZ_LADDER };
const records = tenantRecords(11);
const rawSchema = loadRawSchema();

/** A simulator record with some of its fields (at any depth) dropped or replaced by arbitrary JSON. */
function mutated(record: RawRecord, edits: ReadonlyArray<{ pick: number; value: unknown; drop: boolean }>): Record<string, unknown> {
  const copy = structuredClone(record.raw);
  for (const edit of edits) {
    const objects: Array<Record<string, unknown>> = [];
    const walk = (value: unknown): void => {
      if (value && typeof value === "object") {
        if (!Array.isArray(value)) objects.push(value as Record<string, unknown>);
        for (const v of Object.values(value as object)) walk(v);
      }
    };
    walk(copy);
    const target = objects[edit.pick % objects.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys[edit.pick % Math.max(1, keys.length)];
    if (key === undefined) continue;
    if (edit.drop) delete target[key];
    else target[key] = edit.value;
  }
  return copy;
}

const edits = fc.array(fc.record({ pick: fc.nat(), value: fc.jsonValue(), drop: fc.boolean() }), { maxLength: 6 });

describe("property: normalisation and maps", () => {
  it("any simulator record, however mangled, normalises to a valid canonical record or is refused for a missing required field", () => {
    let normalised = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: records.length - 1 }), edits, (index, changes) => {
        const record = records[index] as RawRecord;
        let canonical;
        try {
          canonical = STREAM_NORMALISERS[record.stream](mutated(record, changes), context);
        } catch (error) {
          expect(error).toBeInstanceOf(MissingFieldError);
          return;
        }
        const parsed = canonicalRecordSchema.safeParse(canonical);
        if (!parsed.success) throw new Error(`${record.origin}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
        normalised += 1;
      }),
      { numRuns: 3000 },
    );
    // Most mangled records still normalise: unknown or odd fields never break a record.
    expect(normalised).toBeGreaterThan(2000);
  });

  it("unmangled simulator records all round-trip (no record of any kind is refused)", () => {
    for (const record of records) expect(() => canonicalRecordSchema.parse(STREAM_NORMALISERS[record.stream](record.raw, context))).not.toThrow();
  });

  it("the built-in maps never produce a field of the wrong type", async () => {
    const maps = await Promise.all(Object.values(BUILT_IN_MAPS).map(async (m) => compileTransformMap(await validateTransformMap(m, { rawSchema }))));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: records.length - 1 }), edits, (index, changes) => {
        const record = records[index] as RawRecord;
        let canonical;
        try {
          canonical = STREAM_NORMALISERS[record.stream](mutated(record, changes), context);
        } catch {
          return;
        }
        for (const map of maps) {
          if (!map.map.recordTypes.includes(canonical.recordType)) continue;
          const out = map.applySync(canonical, record.raw);
          for (const [name, field] of Object.entries(map.map.fields)) expect(hasFieldType(field.type, out[name]), `${map.map.name}.${name} = ${JSON.stringify(out[name])}`).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("any valid map (random paths, types and functions) never produces a field of the wrong type", async () => {
    const recordType: CanonicalRecordType = "vulnerabilityFinding";
    const shape = CANONICAL_RECORD_SCHEMAS[recordType].shape as Record<string, unknown>;
    const paths = [...Object.keys(shape), "resource.name", "resource.ipAddresses", "resource.tags", "cve.score", "cve.id", "projects.name", "raw.vulnerableAsset.operatingSystem", "raw.score", "raw.projects"];
    const fn = fc.constantFrom<unknown>("lowercase", "uppercase", "first", "trim", { fn: "join", separator: "," }, { fn: "date", format: "iso" }, { fn: "date", format: "epoch_ms" }, { fn: "lookup", table: { HIGH: 1, OPEN: "x" } });
    const field = fc.record({ from: fc.constantFrom(...paths), type: fc.constantFrom<FieldType>(...FIELD_TYPES), apply: fc.array(fn, { maxLength: 2 }) });
    const finding = records.filter((r) => RECORD_TYPE_OF_STREAM[r.stream] === recordType);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("a", "b", "c", "d"), field, { minKeys: 1 }), fc.integer({ min: 0, max: finding.length - 1 }), async (fields, index) => {
        let map: TransformMap;
        try {
          map = await validateTransformMap({ name: "random", recordTypes: [recordType], fields }, { rawSchema });
        } catch {
          return; // refused maps are the validator's business (tested elsewhere)
        }
        accepted += 1;
        const record = finding[index] as RawRecord;
        const out = compileTransformMap(map).applySync(STREAM_NORMALISERS[record.stream](record.raw, context), record.raw);
        for (const [name, f] of Object.entries(map.fields)) expect(hasFieldType(f.type, out[name]), `${name} (${f.type}) = ${JSON.stringify(out[name])}`).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
