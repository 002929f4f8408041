import { describe, expect, it } from "vitest";
import { bulkSucceeded, readBulkOutcome } from "./bulk-response.js";

const item = (op: string, id: string, status: number, error?: unknown): unknown => ({ [op]: { _index: "wiz-issues", _id: id, status, ...(error ? { error } : {}) } });

describe("bulk response", () => {
  it("takes every item on errors:false without reading the items", () => {
    expect(bulkSucceeded('{"errors":false,"took":3,"items":[{"index":{"status":201}}]}')).toBe(true);
    expect(bulkSucceeded('{"took":3, "errors" : false,"items":[]}')).toBe(true);
    expect(bulkSucceeded('{"took":3,"errors":true,"items":[{"index":{"error":{"reason":"\\"errors\\":false"}}}]}')).toBe(false);
    // A broken list is never read on this path: errors:false is the cluster's word for all of them.
    expect(readBulkOutcome('{"errors":false,"items":[not json', ["a", "b"]).accepted).toEqual(["a", "b"]);
  });

  it("sorts items: 2xx and 409 on create accepted, 429/5xx/rejected execution retried, set-up problems retried as config, document errors refused with the reason", () => {
    const text = JSON.stringify({
      errors: true,
      items: [
        item("create", "ok", 201),
        item("create", "dup", 409, { type: "version_conflict_engine_exception", reason: "[dup]: version conflict, document already exists (current version [1])" }),
        item("create", "busy", 429, { type: "es_rejected_execution_exception", reason: "rejected execution of primary operation" }),
        item("create", "down", 503, { type: "unavailable_shards_exception", reason: "primary shard is not active" }),
        item("create", "bad", 400, { type: "document_parsing_exception", reason: "failed to parse field [record.x] of type [date]", caused_by: { type: "illegal_argument_exception", reason: "failed to parse date field [nope]" } }),
        item("create", "deny", 403, { type: "security_exception", reason: "action [indices:data/write/bulk[s]] is unauthorized" }),
        item("create", "pipe", 400, { type: "illegal_argument_exception", reason: "pipeline with id [wiz] does not exist" }),
        item("create", "arg", 400, { type: "illegal_argument_exception", reason: "Limit of total fields [1000] has been exceeded" }),
      ],
    });
    const outcome = readBulkOutcome(text, ["ok", "dup", "busy", "down", "bad", "deny", "pipe", "arg"]);
    expect(outcome.accepted).toEqual(["ok", "dup"]);
    expect([...outcome.rejected.keys()]).toEqual(["bad", "arg"]);
    expect(outcome.rejected.get("bad")).toBe("400 document_parsing_exception: failed to parse field [record.x] of type [date] (caused by illegal_argument_exception: failed to parse date field [nope])");
    expect(outcome.rejected.get("arg")).toBe("400 illegal_argument_exception: Limit of total fields [1000] has been exceeded");
    expect(Object.fromEntries([...outcome.retry].map(([id, r]) => [id, r.kind]))).toEqual({ busy: "transient", down: "transient", deny: "config", pipe: "config" });
  });

  it("refuses to guess when the answer does not line up with the request", () => {
    expect(() => readBulkOutcome('{"errors":true,"items":[]}', ["a"])).toThrow(/0 item results for 1 events/);
    expect(() => readBulkOutcome(JSON.stringify({ errors: true, items: [item("index", "b", 400, { type: "x", reason: "y" })] }), ["a"])).toThrow(/lists item 0 as _id b where a was sent/);
    expect(() => readBulkOutcome("<html>proxy error</html>", ["a"])).toThrow(/not JSON/);
  });

  it("reports where accepted items landed when asked (a data stream's backing index)", () => {
    const text = JSON.stringify({ errors: false, items: [{ create: { _index: ".ds-wiz-issues-2025.01.01-000001", _id: "a", status: 201 } }] });
    expect(readBulkOutcome(text, ["a"], { withIndices: true }).indices?.get("a")).toBe(".ds-wiz-issues-2025.01.01-000001");
  });
});
