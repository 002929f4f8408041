import { crc32c as libraryCrc32c } from "@platformatic/kafka";
import { createRequire } from "node:module";
import zlib from "node:zlib";

/** One record as the batch encoder takes it: the value stays a string until it is written into the batch. */
export interface KafkaRecordInput {
  key: Buffer;
  value: string;
  /** UTF-8 bytes of `value` (Buffer.byteLength), measured once. */
  valueBytes: number;
  headers: ReadonlyArray<readonly [Buffer, Buffer]>;
}

export interface RecordBatchOptions {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** Epoch ms for every record of the batch (timestamp deltas are 0). */
  timestamp: number;
  compression: "none" | "gzip" | "zstd";
}

/**
 * CRC-32C of the batch: @node-rs/crc32 (the library's optional native helper) called directly when it is
 * installed, since the library's wrapper copies the whole batch first; the library's own otherwise.
 */
const crc32c: (data: Buffer) => number = ((): ((data: Buffer) => number) => {
  try {
    const native = (createRequire(import.meta.url)("@node-rs/crc32") as { crc32c?: (data: Buffer) => number }).crc32c;
    if (typeof native === "function" && native(Buffer.from("123456789")) === 0xe3069283) return native;
  } catch {
    // not installed: the library's implementation below
  }
  return (data) => libraryCrc32c(data);
})();

/** Bits 0-2 of the batch attributes (Kafka's CompressionType ids). */
const COMPRESSION_ID = { none: 0, gzip: 1, zstd: 4 } as const;
/** baseOffset(8) length(4) partitionLeaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4) baseTimestamp(8) maxTimestamp(8) producerId(8) producerEpoch(2) baseSequence(4) count(4). */
const HEADER_BYTES = 61;
/** Where the CRC-32C coverage starts: the attributes field. */
const CRC_FROM = 21;

/**
 * A RecordBatch v2 (magic 2) in one allocation: Kafka's on-disk and wire format for produced records.
 * Written here rather than through the library's per-field buffers, which cost a dozen small
 * allocations per record; the layout is Kafka's (DefaultRecordBatch / DefaultRecord), and the fake broker's
 * independent decoder checks it, CRC included.
 */
export function encodeRecordBatch(records: readonly KafkaRecordInput[], options: RecordBatchOptions): Buffer {
  if (records.length === 0) throw new RangeError("a record batch needs at least one record");
  let bodyBytes = 0;
  const lengths = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as KafkaRecordInput;
    let n = 1 + 1 + zigzagSize(i) + zigzagSize(r.key.length) + r.key.length + zigzagSize(r.valueBytes) + r.valueBytes + zigzagSize(r.headers.length);
    for (const [k, v] of r.headers) n += zigzagSize(k.length) + k.length + zigzagSize(v.length) + v.length;
    lengths[i] = n;
    bodyBytes += zigzagSize(n) + n;
  }
  const compressed = options.compression !== "none";
  const out = Buffer.allocUnsafe(compressed ? bodyBytes : HEADER_BYTES + bodyBytes);
  let at = compressed ? 0 : HEADER_BYTES;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as KafkaRecordInput;
    at = writeZigzag(out, at, lengths[i] as number);
    out[at++] = 0; // attributes
    out[at++] = 0; // timestampDelta: every record carries the batch timestamp
    at = writeZigzag(out, at, i); // offsetDelta
    at = writeZigzag(out, at, r.key.length);
    at += r.key.copy(out, at);
    at = writeZigzag(out, at, r.valueBytes);
    at += out.write(r.value, at, r.valueBytes, "utf8");
    at = writeZigzag(out, at, r.headers.length);
    for (const [k, v] of r.headers) {
      at = writeZigzag(out, at, k.length);
      at += k.copy(out, at);
      at = writeZigzag(out, at, v.length);
      at += v.copy(out, at);
    }
  }
  let batch = out;
  if (compressed) {
    const body = options.compression === "gzip" ? zlib.gzipSync(out) : zstdCompress(out);
    batch = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    body.copy(batch, HEADER_BYTES);
  }
  batch.writeBigInt64BE(0n, 0);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(-1, 12); // partitionLeaderEpoch: set by the broker
  batch.writeInt8(2, 16);
  batch.writeInt16BE(COMPRESSION_ID[options.compression], 21);
  batch.writeInt32BE(records.length - 1, 23);
  batch.writeBigInt64BE(BigInt(options.timestamp), 27);
  batch.writeBigInt64BE(BigInt(options.timestamp), 35);
  batch.writeBigInt64BE(options.producerId, 43);
  batch.writeInt16BE(options.producerEpoch, 51);
  batch.writeInt32BE(options.baseSequence, 53);
  batch.writeInt32BE(records.length, 57);
  batch.writeUInt32BE(crc32c(batch.subarray(CRC_FROM)), 17);
  return batch;
}

/** One partition's batch in a Produce request. */
export interface ProducePartitionData {
  topic: string;
  partition: number;
  batch: Buffer;
}

/**
 * Produce request body, versions 9-11 (flexible: compact strings and arrays, tagged fields):
 * transactional_id acks timeout_ms [topic_data [partition_data index records] ].
 * Returned as parts, so the batches are not copied before the connection frames the request.
 */
export function encodeProduceRequest(acks: number, timeoutMs: number, partitions: readonly ProducePartitionData[]): Buffer[] {
  const byTopic = new Map<string, ProducePartitionData[]>();
  for (const p of partitions) {
    const list = byTopic.get(p.topic);
    if (list) list.push(p);
    else byTopic.set(p.topic, [p]);
  }
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(7);
  head[0] = 0; // transactional_id: null
  head.writeInt16BE(acks, 1);
  head.writeInt32BE(timeoutMs, 3);
  parts.push(head, uvarint(byTopic.size + 1));
  for (const [topic, list] of byTopic) {
    const name = Buffer.from(topic, "utf8");
    parts.push(uvarint(name.length + 1), name, uvarint(list.length + 1));
    for (const p of list) {
      const index = Buffer.allocUnsafe(4);
      index.writeInt32BE(p.partition, 0);
      parts.push(index, uvarint(p.batch.length + 1), p.batch, TAGS);
    }
    parts.push(TAGS);
  }
  parts.push(TAGS);
  return parts;
}

/** An empty tagged-field section. */
const TAGS = Buffer.from([0]);

function uvarint(value: number): Buffer {
  const b = Buffer.allocUnsafe(zigzagSize(value / 2));
  writeUVarint(b, 0, value);
  return b;
}

/** Bytes of the zigzag varint of a non-negative int (zigzag(n) = 2n). */
function zigzagSize(n: number): number {
  const v = n * 2;
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function writeZigzag(b: Buffer, at: number, n: number): number {
  return writeUVarint(b, at, n * 2);
}

function writeUVarint(b: Buffer, at: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    b[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  b[at++] = v;
  return at;
}

function zstdCompress(data: Buffer): Buffer {
  const zstd = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
  if (!zstd) throw new Error("zstd compression needs Node.js 22.15 or later; set compression to gzip or none");
  return zstd(data);
}
