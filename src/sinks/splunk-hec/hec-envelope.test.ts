import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { epochSeconds, HecEnvelopeEncoder } from "./hec-envelope.js";

const OBSERVED_AT = "2025-03-04T05:06:07.890Z";

function record(id: string, stream: string, extra: Record<string, unknown> = {}, observedAt: string | null = OBSERVED_AT): SinkRecord {
  const event = { id, source: "wiz", kind: "upsert", connector: "c", stream, ...(observedAt !== null ? { observedAt } : {}), profile: "canonical", record: extra, raw: null };
  return { seq: 0, eventId: id, connectorId: "c", stream, payload: JSON.stringify(event) };
}

/** Concatenated JSON objects back into values ("}{" only occurs between objects in valid JSON text). */
function splitObjects(body: string): unknown[] {
  return body
    .split("}{")
    .map((part, i, all) => `${i > 0 ? "{" : ""}${part}${i < all.length - 1 ? "}" : ""}`)
    .map((text) => JSON.parse(text) as unknown);
}

describe("HecEnvelopeEncoder", () => {
  it("wraps the payload as `event` untouched, with time from observedAt and the default metadata", () => {
    const encoder = new HecEnvelopeEncoder({}, () => 0);
    const r = record("e1", "issues");
    const [chunk] = encoder.encode([r], 1_000_000);
    expect(chunk?.body.toString("utf8")).toBe(`{"time":1741064767.890,"source":"wizbridge","sourcetype":"wiz:issues","event":${r.payload}}`);
  });

  it("takes each key from the stream's override, then the sink's setting, then the default", () => {
    const encoder = new HecEnvelopeEncoder({ index: "wiz", host: "bridge", source: "wb", streams: { detections: { index: "wiz_det", sourcetype: "wiz:det" }, threats: { source: "t" } } }, () => 0);
    expect(encoder.metaOf("issues")).toEqual({ index: "wiz", sourcetype: "wiz:issues", source: "wb", host: "bridge" });
    expect(encoder.metaOf("detections")).toEqual({ index: "wiz_det", sourcetype: "wiz:det", source: "wb", host: "bridge" });
    expect(encoder.metaOf("threats")).toEqual({ index: "wiz", sourcetype: "wiz:threats", source: "t", host: "bridge" });
    expect(encoder.indexKeyOf("detections")).toBe("streams.detections.index");
    expect(encoder.indexKeyOf("issues")).toBe("index");
    expect(new HecEnvelopeEncoder({}, () => 0).indexKeyOf("issues")).toBeUndefined();
    const [envelope] = splitObjects((encoder.encode([record("e1", "detections")], 1_000_000)[0]?.body ?? Buffer.alloc(0)).toString("utf8")) as Array<Record<string, unknown>>;
    expect(envelope).toMatchObject({ host: "bridge", source: "wb", sourcetype: "wiz:det", index: "wiz_det" });
  });

  it("uses the clock for an event without a readable observedAt", () => {
    const encoder = new HecEnvelopeEncoder({}, () => 1_700_000_000_123);
    expect(encoder.timeOf(record("e1", "issues", {}, null).payload)).toBe("1700000000.123");
    expect(encoder.timeOf(record("e1", "issues", {}, "not a date").payload)).toBe("1700000000.123");
    // A nested observedAt in the record does not fool it: the top-level key comes first.
    expect(encoder.timeOf(record("e1", "issues", { observedAt: "1999-01-01T00:00:00Z" }).payload)).toBe("1741064767.890");
  });

  it("formats epoch milliseconds as seconds with exactly three decimals", () => {
    expect(epochSeconds(1_741_064_767_890)).toBe("1741064767.890");
    expect(epochSeconds(5)).toBe("0.005");
    expect(epochSeconds(1_000)).toBe("1.000");
  });

  it("cuts bodies at maxBytes (an event larger goes alone), keeps order and encodes multi-byte text exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("issues", "threats"), fc.string({ unit: fc.constantFrom("a", "é", "日", "🔒", '"', "\\", "}{"), maxLength: 400 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 200, max: 4000 }),
        (items, maxBytes) => {
          const encoder = new HecEnvelopeEncoder({ index: "wiz" }, () => 0);
          const records = items.map(([stream, text], i) => record(`e${i}`, stream, { text }));
          const chunks = encoder.encode(records, maxBytes);
          let next = 0;
          for (const chunk of chunks) {
            expect(chunk.first).toBe(next);
            next += chunk.count;
            if (chunk.count > 1) expect(chunk.body.length).toBeLessThanOrEqual(maxBytes);
            const expected = records
              .slice(chunk.first, chunk.first + chunk.count)
              .map((r) => `{"time":1741064767.890,"source":"wizbridge","sourcetype":"wiz:${r.stream}","index":"wiz","event":${r.payload}}`)
              .join("");
            expect(chunk.body.toString("utf8")).toBe(expected);
          }
          expect(next).toBe(records.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
