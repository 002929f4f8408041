import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TransformMapError } from "../transform/maps/map-validator.js";
import { SAMPLE_RAW_RECORDS } from "../transform/maps/sample-raw-records.js";
import { mapClone, mapList, mapSave, mapShow, mapTest } from "./map.command.js";

function capture(): { io: { out: { write(chunk: string): boolean } }; text: () => string } {
  const chunks: string[] = [];
  return { io: { out: { write: (c: string) => chunks.push(c) > 0 } }, text: () => chunks.join("") };
}

describe("wizbridge map", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "wizbridge-map-cli-"));

  it("lists the built-ins, clones one, and the clone can be edited and saved again while the built-in stays read-only", async () => {
    const list = capture();
    await mapList({ dataDir, json: true }, list.io);
    expect((JSON.parse(list.text()) as Array<{ name: string; builtIn: boolean }>).map((m) => m.name)).toEqual(["vm-vulnerability", "vm-asset"]);

    const clone = capture();
    await mapClone("vm-vulnerability", "my-vulns", { dataDir, force: false }, clone.io, 1);
    expect(clone.text()).toContain("saved my-vulns");
    await expect(mapClone("vm-vulnerability", "my-vulns", { dataDir, force: false }, capture().io)).rejects.toThrow(/already saved.*--force/);

    const shown = capture();
    await mapShow("my-vulns", { dataDir, json: true }, shown.io);
    const definition = JSON.parse(shown.text()) as { name: string; fields: Record<string, unknown> };
    expect(definition.name).toBe("my-vulns");
    definition.fields.tenant = { const: "acme" };
    const file = join(dataDir, "my-vulns.yaml");
    writeFileSync(file, stringify(definition));
    const saved = capture();
    await mapSave({ dataDir, file }, saved.io);
    expect(saved.text()).toContain('profile: "map:my-vulns"');

    writeFileSync(file, stringify({ ...definition, name: "vm-asset" }));
    await expect(mapSave({ dataDir, file }, capture().io)).rejects.toThrow(/built-in map and stays read-only/);

    const after = capture();
    await mapList({ dataDir, json: false }, after.io);
    expect(after.text()).toMatch(/my-vulns\s+saved/);
  });

  it("refuses to save a bad map, listing each problem by field", async () => {
    const file = join(dataDir, "bad.yaml");
    writeFileSync(file, stringify({ name: "bad", recordTypes: ["asset"], fields: { a: { from: "@b" }, b: { from: "@a" }, c: { from: "resource.nope" } } }));
    const error = await mapSave({ dataDir, file }, capture().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransformMapError);
    expect(String(error)).toMatch(/a -> b -> a/);
  });

  it("test shows a map's output for records from a file (raw nodes or wizbridge events), and refusals with the reason", async () => {
    const raw = SAMPLE_RAW_RECORDS.vulnerabilityFinding.raw;
    const input = join(dataDir, "findings.jsonl");
    const { name: _drop, ...nameless } = raw;
    writeFileSync(input, [JSON.stringify(raw), JSON.stringify({ id: "e1", source: "wiz", kind: "upsert", raw }), JSON.stringify(nameless)].join("\n"));
    const out = capture();
    await mapTest({ dataDir, map: "my-vulns", input }, out.io);
    const text = out.text();
    expect(text).toContain('"cloud_platform": "EC2"');
    expect(text).toContain('"tenant": "acme"');
    expect(text.match(/"profile": "map:my-vulns"/g)).toHaveLength(2);
    expect(text).toMatch(/"refused":".*has no name/);

    const ocsf = capture();
    await mapTest({ dataDir, map: "ocsf", stream: "vulnerabilityFindings", ladder: "four-tier" }, ocsf.io);
    expect(ocsf.text()).toContain('"class_uid": 2002');
  });
});
