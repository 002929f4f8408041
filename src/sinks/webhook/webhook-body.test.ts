import { describe, expect, it } from "vitest";
import type { SinkRecord } from "../sink.js";
import { encodeWebhookBody } from "./webhook-body.js";

const record = (id: string, extra: Record<string, unknown> = {}): SinkRecord => ({ seq: 1, eventId: id, connectorId: "c", stream: "issues", payload: JSON.stringify({ id, ...extra }) });

describe("encodeWebhookBody", () => {
  const batch = [record("e1", { title: "Überprüfung 🔒 日本語", text: "line\nbreak" }), record("e2"), record("e3", { n: 1 })];

  it("writes a JSON array of the payloads exactly as serialised", () => {
    const body = encodeWebhookBody(batch, "json-array");
    expect(body.toString("utf8")).toBe(`[${batch.map((r) => r.payload).join(",")}]`);
    expect(JSON.parse(body.toString("utf8"))).toEqual(batch.map((r) => JSON.parse(r.payload) as unknown));
    expect(encodeWebhookBody([], "json-array").toString()).toBe("[]");
  });

  it("writes NDJSON with every line, the last too, ending in a newline", () => {
    const body = encodeWebhookBody(batch, "ndjson").toString("utf8");
    expect(body).toBe(batch.map((r) => `${r.payload}\n`).join(""));
    expect(body.split("\n")).toHaveLength(4);
  });

  it("gives each call its own buffer (concurrent writes never share one)", () => {
    const a = encodeWebhookBody([record("a")], "ndjson");
    const b = encodeWebhookBody([record("b")], "ndjson");
    expect(a.toString()).toBe('{"id":"a"}\n');
    expect(b.toString()).toBe('{"id":"b"}\n');
  });
});

describe("encodeWebhookBody sizing", () => {
  it("grows past its first guess for text that takes several bytes a character", () => {
    const heavy = Array.from({ length: 50 }, (_, i) => record(`m${i}`, { text: "🔒日本語".repeat(200 + i) }));
    for (const format of ["json-array", "ndjson"] as const) {
      const body = encodeWebhookBody(heavy, format).toString("utf8");
      const expected = format === "json-array" ? `[${heavy.map((r) => r.payload).join(",")}]` : heavy.map((r) => `${r.payload}\n`).join("");
      expect(body).toBe(expected);
    }
  });
});
