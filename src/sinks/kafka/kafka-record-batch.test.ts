import { Reader, readRecordsBatch } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { encodeProduceRequest, encodeRecordBatch, type KafkaRecordInput } from "./kafka-record-batch.js";

function record(key: string, value: string, headers: Array<[string, string]> = []): KafkaRecordInput {
  return { key: Buffer.from(key), value, valueBytes: Buffer.byteLength(value), headers: headers.map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const) };
}

describe("RecordBatch v2 encoder", () => {
  const records = [record("e1", '{"a":"ünïcødé"}', [["wiz-stream", "issues"]]), record("e2", "x".repeat(300), []), record("e3", "", [["h", ""]])];

  for (const compression of ["none", "gzip"] as const) {
    it(`writes a batch the library's decoder reads back (${compression})`, () => {
      const batch = encodeRecordBatch(records, { producerId: 4242n, producerEpoch: 3, baseSequence: 17, timestamp: 1_780_000_000_123, compression });
      const decoded = readRecordsBatch(Reader.from(batch));
      expect(decoded.magic).toBe(2);
      expect(decoded.producerId).toBe(4242n);
      expect(decoded.producerEpoch).toBe(3);
      expect(decoded.firstSequence).toBe(17);
      expect(decoded.lastOffsetDelta).toBe(2);
      expect(decoded.firstTimestamp).toBe(1_780_000_000_123n);
      expect(decoded.attributes & 7).toBe(compression === "gzip" ? 1 : 0);
      expect(decoded.records.map((r) => [r.key.toString(), r.value.toString(), r.offsetDelta])).toEqual([
        ["e1", '{"a":"ünïcødé"}', 0],
        ["e2", "x".repeat(300), 1],
        ["e3", "", 2],
      ]);
      expect(decoded.records[0]?.headers.map(([k, v]) => [k.toString(), v.toString()])).toEqual([["wiz-stream", "issues"]]);
      expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    });
  }

  it("frames a Produce v9+ request: null transactional id, acks, timeout, topics with their partitions' batches", () => {
    const a = encodeRecordBatch([records[0] as KafkaRecordInput], { producerId: 1n, producerEpoch: 0, baseSequence: 0, timestamp: 0, compression: "none" });
    const body = Buffer.concat(encodeProduceRequest(-1, 30_000, [{ topic: "wiz.issues", partition: 2, batch: a }]));
    const r = Reader.from(body);
    expect(r.readNullableString()).toBeNull();
    expect(r.readInt16()).toBe(-1);
    expect(r.readInt32()).toBe(30_000);
    expect(r.readUnsignedVarInt()).toBe(2);
    expect(r.readString()).toBe("wiz.issues");
    expect(r.readUnsignedVarInt()).toBe(2);
    expect(r.readInt32()).toBe(2);
    expect(r.readUnsignedVarInt()).toBe(a.length + 1);
  });
});
