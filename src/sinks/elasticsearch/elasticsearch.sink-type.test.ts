import { describe, expect, it } from "vitest";
import { describeSearchSink, elasticsearchSinkSchema, opensearchSinkSchema } from "./elasticsearch.sink-type.js";

const messages = (input: unknown): string[] => {
  const result = elasticsearchSinkSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("elasticsearch / opensearch settings", () => {
  it("takes a minimal and a full configuration", () => {
    expect(messages({ type: "elasticsearch", url: "https://es.example.com:9200" })).toEqual([]);
    expect(
      messages({
        type: "elasticsearch",
        url: "https://proxy.example.com/es/",
        auth: { type: "apiKey", apiKey: "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==" },
        index: "wiz-{connector}-{stream}",
        mode: "data-stream",
        pipeline: "wiz",
        refresh: "wait_for",
        storeRaw: "indexed",
        recordMappings: "ecs",
        timeoutMs: 30_000,
        tls: { caFile: "ca.pem" },
        batch: { maxEvents: 1000 },
        maxInFlight: 4,
      }),
    ).toEqual([]);
    expect(opensearchSinkSchema.safeParse({ type: "opensearch", url: "http://localhost:9200", auth: { type: "basic", username: "admin", password: "pw" } }).success).toBe(true);
  });

  it("says what is wrong", () => {
    expect(messages({ type: "elasticsearch", url: "es:9200" })).toEqual(["url: must be an http:// or https:// URL, e.g. https://localhost:9200"]);
    expect(messages({ type: "elasticsearch", url: "https://u:p@es:9200" })[0]).toMatch(/must not hold user:password@/);
    expect(messages({ type: "elasticsearch", url: "https://es:9200", index: "Wiz-{stream}" })[0]).toMatch(/^index: gives "Wiz-vulnerability-findings", which must be lower case/);
    expect(messages({ type: "elasticsearch", url: "https://es:9200", index: "wiz-{source}" })[0]).toMatch(/unknown placeholder \{source\}/);
    expect(messages({ type: "elasticsearch", url: "https://es:9200", mode: "stream" })[0]).toBe("mode: must be index or data-stream");
    expect(messages({ type: "elasticsearch", url: "https://es:9200", auth: { type: "apiKey", apiKey: "id:key" } })[0]).toMatch(/encoded API key/);
    expect(messages({ type: "elasticsearch", url: "http://es:9200", tls: { caFile: "x" } })[0]).toMatch(/tls: only applies to https/);
    expect(messages({ type: "elasticsearch", url: "https://es:9200", refresh: "yes" })[0]).toMatch(/false, true or wait_for/);
  });

  it("describes the sink without a secret", () => {
    const line = describeSearchSink("es", { type: "opensearch", url: "https://os.example.com:9200/prefix/", auth: { type: "basic", username: "u", password: "SENTINEL-SECRET-123" }, mode: "data-stream" });
    expect(line).toBe("es: OpenSearch at https://os.example.com:9200/prefix (data-stream wiz-{stream}, basic auth)");
    expect(line).not.toContain("SENTINEL");
  });
});
