/**
 * Record ids that look like Wiz's (lowercase v4 UUIDs) yet encode the record index: the first group is
 * the index through a keyed 32-bit Feistel permutation, the second a sub-number (a note's ordinal), the
 * rest a keyed hash. Decoding is O(1) and a decoded id is accepted only if it regenerates exactly, so
 * ids from another tenant, another kind or a typo are rejected.
 */
import { createHash } from "node:crypto";
import { fieldBits, hex32, mix32, rowKey, streamKey } from "./seeded-random.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ROUNDS = 4;

export interface DecodedId {
  index: number;
  sub: number;
}

function roundKey(key: number, round: number): number {
  return mix32(key + Math.imul(round + 1, 0x632be5ab));
}

function permute(index: number, key: number): number {
  let left = index >>> 16;
  let right = index & 0xffff;
  for (let r = 0; r < ROUNDS; r += 1) {
    const next = left ^ (mix32(right ^ roundKey(key, r)) & 0xffff);
    left = right;
    right = next;
  }
  return ((left << 16) | right) >>> 0;
}

function unpermute(value: number, key: number): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (let r = ROUNDS - 1; r >= 0; r -= 1) {
    const previous = right ^ (mix32(left ^ roundKey(key, r)) & 0xffff);
    right = left;
    left = previous;
  }
  return ((left << 16) | right) >>> 0;
}

const hex = (value: number, width: number): string => (width === 8 ? hex32(value) : hex32(value).slice(8 - width));

/** The id of record `index` (and optional sub-record `sub`, 0..65535) of a kind in a tenant. */
export function recordId(seed: number, kind: number, index: number, sub = 0): string {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) throw new RangeError(`record index out of range: ${index}`);
  const key = streamKey(seed, kind);
  const row = rowKey(key, index);
  const subMask = fieldBits(row, 0) & 0xffff;
  const tail = mix32(row ^ Math.imul((sub & 0xffff) + 1, 0x2c1b3c6d));
  const tail2 = mix32(tail + 0x68e31da4);
  const tail3 = mix32(tail + 0x1b56c4e9);
  return [
    hex(permute(index, key), 8),
    hex((sub + subMask) & 0xffff, 4),
    `4${hex(tail & 0xfff, 3)}`,
    hex(0x8000 | ((tail >>> 12) & 0x3fff), 4),
    `${hex(tail2, 8)}${hex(tail3 & 0xffff, 4)}`,
  ].join("-");
}

/** Index and sub-number of an id made by recordId for this seed and kind; undefined for anything else. */
export function decodeRecordId(seed: number, kind: number, id: string): DecodedId | undefined {
  const lower = id.toLowerCase();
  if (!UUID_PATTERN.test(lower)) return undefined;
  const key = streamKey(seed, kind);
  const index = unpermute(Number.parseInt(lower.slice(0, 8), 16), key);
  const subMask = fieldBits(rowKey(key, index), 0) & 0xffff;
  const sub = (Number.parseInt(lower.slice(9, 13), 16) - subMask) & 0xffff;
  return recordId(seed, kind, index, sub) === lower ? { index, sub } : undefined;
}

/**
 * A stable id for a nested node that has none of its own: a recorded one lacking a required id
 * (IssueNote.id, ServiceTicket.id) or a generated related entity (a pod's controller). UUID-shaped (v5
 * style), from the owner's id, the kind and the position, so it is the same on every load.
 */
export function derivedNestedId(ownerId: string, kind: string, position: number): string {
  const h = createHash("sha256").update(`${ownerId}\u0000${kind}\u0000${position}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
