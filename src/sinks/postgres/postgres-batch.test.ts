import { describe, expect, it } from "vitest";
import type { WizEvent } from "../../model/wiz-event.js";
import type { SinkRecord } from "../sink.js";
import { canonicalFieldsOf, encodeBatch, isRemovalCandidate } from "./postgres-batch.js";

const issueRaw = {
  id: "issue-1",
  type: "TOXIC_COMBINATION",
  status: "OPEN",
  severity: "HIGH",
  createdAt: "2026-01-01T00:00:00.000000Z",
  updatedAt: "2026-01-02T00:00:00.000000Z",
  projects: [{ id: "p1", name: "One" }],
  entitySnapshot: { id: "r1", type: "VIRTUAL_MACHINE", name: "vm" },
  sourceRule: { __typename: "Control", id: "c1", name: "rule" },
};

function event(overrides: Partial<WizEvent>): WizEvent {
  return { id: "e1", source: "wiz", kind: "upsert", connector: "prod", stream: "issues", observedAt: "2026-01-03T00:00:00.000Z", profile: "canonical", record: { id: "issue-1" }, raw: issueRaw, ...overrides };
}

function record(e: WizEvent, seq = 1): SinkRecord {
  return { seq, eventId: e.id, connectorId: e.connector, stream: e.stream, payload: JSON.stringify(e) };
}

describe("postgres batch encoding", () => {
  it("is jsonb's binary form of one array holding each payload as it is, with the sink's keys after it", () => {
    const a = event({ id: "a", record: { id: "issue-1", note: "naïve ✓ \u2028" } });
    const b = event({ id: "b", stream: "projects", raw: { id: "proj" } });
    const buffer = encodeBatch([record(a, 7), record(b, 8)]);
    expect(buffer[0]).toBe(1);
    const parsed = JSON.parse(buffer.subarray(1).toString("utf8")) as Array<Record<string, unknown>>;
    expect(parsed).toEqual([
      { p: JSON.parse(JSON.stringify(a)), e: "a", s: 7, t: "issues", n: "prod" },
      { p: JSON.parse(JSON.stringify(b)), e: "b", s: 8, t: "projects", n: "prod" },
    ]);
    // Byte-exact: nothing after the closing bracket.
    expect(buffer.at(-1)).toBe(0x5d);
  });

  it("adds the canonical fields the typed columns read when the payload is not canonical", () => {
    const ocsf = event({ profile: "ocsf", record: { class_uid: 2001 } });
    expect(canonicalFieldsOf("issues", JSON.stringify(ocsf))).toMatchObject({ severity: "HIGH", status: "OPEN", projectIds: ["p1"], resource: { id: "r1", type: "VIRTUAL_MACHINE" } });
    expect(canonicalFieldsOf("issues", JSON.stringify(event({})))).toBeUndefined();
    expect(canonicalFieldsOf("issues", JSON.stringify(event({ profile: "ecs", kind: "removal", raw: null })))).toBeUndefined();
    // A raw record the normaliser refuses (no status) leaves the typed columns empty instead of failing the batch.
    expect(canonicalFieldsOf("issues", JSON.stringify(event({ profile: "ecs", raw: { id: "x" } })))).toBeUndefined();
    const encoded = JSON.parse(encodeBatch([record(ocsf)]).subarray(1).toString("utf8")) as Array<{ c?: unknown }>;
    expect(encoded[0]?.c).toMatchObject({ severity: "HIGH" });
  });

  it("finds removals by the envelope's kind, whatever the record holds", () => {
    expect(isRemovalCandidate(JSON.stringify(event({ kind: "removal", raw: null })))).toBe(true);
    expect(isRemovalCandidate(JSON.stringify(event({ record: { kind: "removal" } })))).toBe(false);
    // Another key order: found the slow way, never missed.
    const reordered = JSON.stringify({ record: { big: "x".repeat(2000) }, raw: null, kind: "removal", id: "e" });
    expect(isRemovalCandidate(reordered)).toBe(true);
  });
});
