import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { documentWithTimestamp, encodeBulkBody, topLevelStringLiteral } from "./bulk-request.js";
import { IndexNames } from "./index-naming.js";

const fallback = (): string => "1999-01-01T00:00:00.000Z";

describe("bulk request encoding", () => {
  it("splices @timestamp = observedAt in front of the event without re-serialising it", () => {
    const payload = JSON.stringify({ id: "e1", source: "wiz", kind: "upsert", observedAt: "2025-01-02T03:04:05.000Z", record: { observedAt: "nested-not-this" }, raw: null });
    const doc = documentWithTimestamp(payload, fallback) as string;
    expect(doc).toBe(`{"@timestamp":"2025-01-02T03:04:05.000Z",${payload.slice(1)}`);
    expect(JSON.parse(doc)).toEqual({ "@timestamp": "2025-01-02T03:04:05.000Z", ...(JSON.parse(payload) as object) });
  });

  it("finds the top-level observedAt even after nested objects holding the same key and escaped quotes", () => {
    const payload = JSON.stringify({ id: 'a "quoted\\" \\\\ id', record: { observedAt: "inner", list: [{ observedAt: "x" }] }, note: '"observedAt":"fake"', observedAt: "2025-05-05T00:00:00Z" });
    expect(topLevelStringLiteral(payload, "observedAt")).toBe('"2025-05-05T00:00:00Z"');
    expect(topLevelStringLiteral('{"a":{"observedAt":"x"}}', "observedAt")).toBeUndefined();
    expect(topLevelStringLiteral('{"observedAt":5}', "observedAt")).toBeUndefined();
  });

  it("falls back to the given time without observedAt, keeps an empty object valid, and puts a pretty-printed event on one line", () => {
    expect(documentWithTimestamp('{"id":"e"}', fallback)).toBe('{"@timestamp":"1999-01-01T00:00:00.000Z","id":"e"}');
    expect(documentWithTimestamp("{}", fallback)).toBe('{"@timestamp":"1999-01-01T00:00:00.000Z"}');
    const pretty = JSON.stringify({ id: "e", observedAt: "2025-01-01T00:00:00Z", text: "line\nbreak" }, null, 2);
    const doc = documentWithTimestamp(pretty, fallback) as string;
    expect(doc.includes("\n")).toBe(false);
    expect(JSON.parse(doc)).toEqual({ "@timestamp": "2025-01-01T00:00:00Z", id: "e", observedAt: "2025-01-01T00:00:00Z", text: "line\nbreak" });
    expect(documentWithTimestamp("[1,2]", fallback)).toBeUndefined();
    // Not valid JSON but one line: the cluster judges it (and refuses it with its reason).
    expect(documentWithTimestamp("{not json", fallback)).toBe('{"@timestamp":"1999-01-01T00:00:00.000Z",not json');
    expect(documentWithTimestamp("{not json\n", fallback)).toBeUndefined();
  });

  it("writes multi-byte events exactly, whatever their share of the body", () => {
    const names = new IndexNames("wiz-{stream}");
    for (const text of ["plain", "Überprüfung 🔒 日本語 ".repeat(200), "é".repeat(5000)]) {
      const records: SinkRecord[] = Array.from({ length: 5 }, (_, i) => ({ seq: i, eventId: `e${i}`, connectorId: "c", stream: "issues", payload: JSON.stringify({ id: `e${i}`, observedAt: "2025-01-01T00:00:00Z", text: i % 2 ? text : "a" }) }));
      const lines = encodeBulkBody(records, "index", names, fallback).bytes.toString("utf8").split("\n");
      expect(lines.length).toBe(11);
      expect(lines.filter((_, i) => i % 2 === 1).map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(records.map((_, i) => (i % 2 ? text : "a")));
    }
  });

  it("writes action and document lines per event, routed by connector and stream, and refuses a payload that is no object", () => {
    const record = (id: string, stream: string, payload: string): SinkRecord => ({ seq: 1, eventId: id, connectorId: "prod", stream, payload });
    const body = encodeBulkBody(
      [record('e"1', "issues", '{"id":"e1","observedAt":"2025-01-01T00:00:00Z"}'), record("e2", "vulnerabilityFindings", "[]"), record("e3", "vulnerabilityFindings", '{"id":"e3"}')],
      "create",
      new IndexNames("wiz-{stream}"),
      fallback,
    );
    expect(body.bytes.toString("utf8")).toBe(
      '{"create":{"_index":"wiz-issues","_id":"e\\"1"}}\n{"@timestamp":"2025-01-01T00:00:00Z","id":"e1","observedAt":"2025-01-01T00:00:00Z"}\n' +
        '{"create":{"_index":"wiz-vulnerability-findings","_id":"e3"}}\n{"@timestamp":"1999-01-01T00:00:00.000Z","id":"e3"}\n',
    );
    expect(body.eventIds).toEqual(['e"1', "e3"]);
    expect([...body.refused.keys()]).toEqual(["e2"]);
  });
});
