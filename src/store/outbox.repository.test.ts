import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboxBytesRow, OutboxRepository } from "./outbox.repository.js";
import { openStore, type Store } from "./store-database.js";

describe("OutboxRepository.readBytesAfter", () => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), "wizbridge-outbox-")), "wizbridge.db"));
  });
  afterEach(async () => {
    await store.close();
  });

  it("reads the rows readAfter reads, each payload as its exact UTF-8 bytes, decoded only on demand", async () => {
    const outbox = new OutboxRepository(store.db);
    const payloads = ["{}", JSON.stringify({ title: "Überprüfung 🔒 日本語", quote: '"\\n' }), JSON.stringify({ pad: "x".repeat(20_000) })];
    await outbox.append(
      payloads.map((payload, i) => ({ connectorId: i === 1 ? "other" : "c", stream: "issues", eventId: `e${i}`, payload })),
      0,
    );
    await outbox.append([{ connectorId: "c", stream: "threats", eventId: "e3", payload: "[1]" }], 0);
    const text = await outbox.readAfter("c", 0, 10);
    const bytes = await outbox.readBytesAfter("c", 0, 10);
    expect(bytes.map((r) => [r.seq, r.connectorId, r.stream, r.eventId])).toEqual(text.map((r) => [r.seq, r.connectorId, r.stream, r.eventId]));
    for (const [i, row] of bytes.entries()) {
      expect(row).toBeInstanceOf(OutboxBytesRow);
      expect(Buffer.compare(row.bytes, Buffer.from(text[i]?.payload ?? "", "utf8"))).toBe(0);
      expect(row.payload).toBe(text[i]?.payload);
    }
    const first = text[0]?.seq ?? 0;
    expect((await outbox.readBytesAfter("c", first, 1)).map((r) => r.eventId)).toEqual(["e2"]);
  });
});
