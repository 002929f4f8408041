import { describe, expect, it } from "vitest";
import { KafkaMessageMapper, eventKindOf } from "./kafka-message.js";

describe("Kafka record mapping", () => {
  it("reads the event's own kind, not one inside its record", () => {
    expect(eventKindOf(JSON.stringify({ id: "a", source: "wiz", kind: "removal", record: { kind: "upsert" } }))).toBe("removal");
    expect(eventKindOf(JSON.stringify({ id: 'has "kind":"x" inside', source: "wiz", kind: "upsert" }))).toBe("upsert");
    expect(eventKindOf("{}")).toBe("unknown");
  });

  it("keys by event id, keeps the payload text and adds the standard and custom headers", () => {
    const mapper = new KafkaMessageMapper("wiz.{stream}", { env: "prod" });
    const m = mapper.map({ seq: 1, eventId: "evt-1", connectorId: "c1", stream: "threats", payload: '{"id":"evt-1","source":"wiz","kind":"upsert"}' });
    expect(m.topic).toBe("wiz.threats");
    expect(m.key.toString()).toBe("evt-1");
    expect(m.value).toBe('{"id":"evt-1","source":"wiz","kind":"upsert"}');
    expect(m.valueBytes).toBe(Buffer.byteLength(m.value));
    expect(m.headers.map(([k, v]) => [k.toString(), v.toString()])).toEqual([
      ["wiz-stream", "threats"],
      ["wiz-event-kind", "upsert"],
      ["wiz-connector", "c1"],
      ["content-type", "application/json"],
      ["env", "prod"],
    ]);
  });
});
