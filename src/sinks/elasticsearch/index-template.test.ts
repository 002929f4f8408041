import { describe, expect, it } from "vitest";
import { buildIndexTemplate, ecsProperties, indexTemplateName, loadEcsFields } from "./index-template.js";

type Props = Record<string, { type?: string; properties?: Props; fields?: Record<string, { type: string }>; ignore_above?: number; scaling_factor?: number; enabled?: boolean }>;

const at = (props: Props | undefined, path: string): Props[string] | undefined => {
  let node: Props[string] | undefined;
  let current = props;
  for (const part of path.split(".")) {
    node = current?.[part];
    current = node?.properties;
  }
  return node;
};

describe("index template", () => {
  it("types the envelope, stores raw only by default, and adds data_stream only in data-stream mode", async () => {
    const { body, hash } = await buildIndexTemplate({ flavor: "elasticsearch", indexPattern: "wiz-*", dataStream: false, storeRaw: "stored-only", recordMappings: "dynamic", sinkId: "es" });
    const props = (body.template as { mappings: { properties: Props } }).mappings.properties;
    expect(body.index_patterns).toEqual(["wiz-*"]);
    expect(body.data_stream).toBeUndefined();
    for (const f of ["id", "source", "kind", "connector", "stream", "profile"]) expect(props[f]?.type).toBe("keyword");
    expect(props["@timestamp"]?.type).toBe("date");
    expect(props.observedAt?.type).toBe("date");
    expect(props.raw).toEqual({ type: "object", enabled: false });
    expect(props.record).toEqual({ type: "object", dynamic: true });
    expect(body._meta).toEqual({ managed_by: "wizbridge", sink: "es", wizbridge_hash: hash });
    const stream = await buildIndexTemplate({ flavor: "elasticsearch", indexPattern: "wiz-*", dataStream: true, storeRaw: "stored-only", recordMappings: "dynamic", sinkId: "es" });
    expect(stream.body.data_stream).toEqual({});
    expect(stream.hash).not.toBe(hash);
    expect(indexTemplateName("My.Sink")).toBe("wizbridge-my.sink");
  });

  it("indexes raw as flattened on Elasticsearch and flat_object on OpenSearch", async () => {
    const es = await buildIndexTemplate({ flavor: "elasticsearch", indexPattern: "wiz-*", dataStream: false, storeRaw: "indexed", recordMappings: "dynamic", sinkId: "es" });
    const os = await buildIndexTemplate({ flavor: "opensearch", indexPattern: "wiz-*", dataStream: false, storeRaw: "indexed", recordMappings: "dynamic", sinkId: "es" });
    expect((es.body.template as { mappings: { properties: Props } }).mappings.properties.raw?.type).toBe("flattened");
    expect((os.body.template as { mappings: { properties: Props } }).mappings.properties.raw?.type).toBe("flat_object");
  });

  it("types record from @elastic/ecs's EcsFlat, with OpenSearch's nearest types, and raises the field limit", async () => {
    const fields = await loadEcsFields();
    const es = ecsProperties(fields, "elasticsearch");
    expect(at(es, "event.created")?.type).toBe("date");
    expect(at(es, "host.ip")?.type).toBe("ip");
    expect(at(es, "event.severity")?.type).toBe("long");
    expect(at(es, "host.name")).toEqual({ type: "keyword", ignore_above: 1024 });
    expect(at(es, "message")?.type).toBe("match_only_text");
    expect(at(es, "process.command_line")).toEqual({ type: "wildcard", fields: { text: { type: "match_only_text" } } });
    expect(at(es, "host.cpu.usage")).toEqual({ type: "scaled_float", scaling_factor: 1000 });
    expect(at(es, "dns.answers")?.type).toBe("object");
    expect(at(es, "data_stream.dataset")?.type).toBe("keyword");
    expect(at(es, "threat.enrichments")?.type).toBe("nested");
    expect(at(es, "threat.enrichments.indicator.ip")?.type).toBe("ip");
    expect(at(es, "dns.answers.name")?.type).toBe("keyword");
    const os = ecsProperties(fields, "opensearch");
    expect(at(os, "message")?.type).toBe("text");
    expect(at(os, "process.command_line")).toEqual({ type: "keyword", fields: { text: { type: "text" } } });
    expect(JSON.stringify(os)).not.toMatch(/"flattened"|"match_only_text"|"wildcard"|"constant_keyword"/);

    const built = await buildIndexTemplate({ flavor: "elasticsearch", indexPattern: "wiz-*", dataStream: false, storeRaw: "stored-only", recordMappings: "ecs", sinkId: "es" });
    const record = (built.body.template as { mappings: { properties: Props } }).mappings.properties.record;
    expect(at(record?.properties, "event.created")?.type).toBe("date");
    expect(built.fieldCount).toBeGreaterThan(fields.length);
    const limit = (built.body.template as { settings: { index: { mapping: { total_fields: { limit: number } } } } }).settings.index.mapping.total_fields.limit;
    expect(limit).toBeGreaterThanOrEqual(built.fieldCount + 1000);
  });
});
