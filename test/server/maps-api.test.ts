import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapList } from "../../src/cli/map.command.js";
import { SAMPLE_RAW_RECORDS } from "../../src/transform/maps/sample-raw-records.js";
import { startApiHarness, type ApiHarness } from "./api-harness.js";

describe("/api/maps: the same catalog as `wizbridge map`", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("lists the built-ins, shows one, clones it (admin) and the copy is listed, by the API and by the CLI", async () => {
    const list = await h.inject("GET", "/api/maps", h.bearer.viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().maps.map((m: { name: string; builtIn: boolean }) => [m.name, m.builtIn])).toEqual([
      ["vm-vulnerability", true],
      ["vm-asset", true],
    ]);
    const shown = await h.inject("GET", "/api/maps/vm-asset", h.bearer.viewer);
    expect(shown.json()).toMatchObject({ name: "vm-asset", builtIn: true, map: { recordTypes: ["asset"], fields: { wiz_id: { from: "id" } } } });

    expect((await h.inject("POST", "/api/maps/vm-asset/clone", h.bearer.operator, { as: "my-assets" })).statusCode).toBe(403);
    const cloned = await h.inject("POST", "/api/maps/vm-asset/clone", h.bearer.admin, { as: "my-assets" });
    expect(cloned.statusCode).toBe(201);
    expect(cloned.json()).toMatchObject({ name: "my-assets", builtIn: false, map: { name: "my-assets", recordTypes: ["asset"] } });
    const again = await h.inject("POST", "/api/maps/vm-asset/clone", h.bearer.admin, { as: "my-assets" });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already saved/);
    expect((await h.inject("POST", "/api/maps/vm-asset/clone", h.bearer.admin, { as: "my-assets", force: true })).statusCode).toBe(201);
    expect((await h.inject("POST", "/api/maps/nope/clone", h.bearer.admin, { as: "other" })).json()).toMatchObject({ error: "not_found", message: expect.stringContaining("vm-asset") });

    const names = (await h.inject("GET", "/api/maps", h.bearer.viewer)).json().maps.map((m: { name: string }) => m.name);
    expect(names).toContain("my-assets");
    const chunks: string[] = [];
    await mapList({ dataDir: h.dir, json: true }, { out: { write: (c: string) => chunks.push(c) } });
    expect((JSON.parse(chunks.join("")) as Array<{ name: string }>).map((m) => m.name)).toContain("my-assets");
  });

  it("PUT saves a valid map (201 created, 200 replaced), refuses a bad one listing each problem by field, and keeps built-ins read-only", async () => {
    const map = { recordTypes: ["vulnerabilityFinding"], description: "mine", fields: { cve: { from: "cve.id" }, sev: { from: "severityLevel", apply: ["lowercase"] }, tenant: { const: "acme" } } };
    const created = await h.inject("PUT", "/api/maps/my-vulns", h.bearer.admin, map);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: "my-vulns", builtIn: false, map: { ...map, name: "my-vulns" } });
    expect((await h.inject("PUT", "/api/maps/my-vulns", h.bearer.admin, { ...map, description: "changed" })).statusCode).toBe(200);
    expect((await h.inject("GET", "/api/maps/my-vulns", h.bearer.viewer)).json().map.description).toBe("changed");

    const bad = await h.inject("PUT", "/api/maps/my-vulns", h.bearer.admin, { ...map, fields: { c: { from: "resource.nope" }, d: { from: "nope.deeper" } } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().issues.map((i: { path: string }) => i.path);
    expect(paths.some((p: string) => p.startsWith("body.fields.c"))).toBe(true);
    expect(paths.some((p: string) => p.startsWith("body.fields.d"))).toBe(true);
    expect(bad.json().message).toMatch(/^body\.fields\./);
    const cycle = await h.inject("PUT", "/api/maps/my-vulns", h.bearer.admin, { ...map, fields: { a: { from: "@b" }, b: { from: "@a" } } });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().message).toMatch(/a -> b -> a/);
    // Nothing of the refused map was saved.
    expect((await h.inject("GET", "/api/maps/my-vulns", h.bearer.viewer)).json().map.description).toBe("changed");

    const shape = await h.inject("PUT", "/api/maps/shape", h.bearer.admin, { recordTypes: ["nope"], fields: {} });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().message).toMatch(/^body\.recordTypes\.0/);
    const mismatch = await h.inject("PUT", "/api/maps/my-vulns", h.bearer.admin, { ...map, name: "other" });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().message).toMatch(/^body\.name/);
    const builtIn = await h.inject("PUT", "/api/maps/vm-asset", h.bearer.admin, map);
    expect(builtIn.statusCode).toBe(409);
    expect(builtIn.json().message).toContain("read-only");
    expect((await h.inject("PUT", "/api/maps/my-vulns", h.bearer.operator, map)).statusCode).toBe(403);
  });

  it("test shapes sample or given records with a saved map, a profile, or an unsaved map; nothing is saved", async () => {
    const sample = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: "vm-vulnerability" });
    expect(sample.statusCode).toBe(200);
    expect(sample.json()).toMatchObject({ profile: "map:vm-vulnerability", stream: "vulnerabilityFindings", outputs: [{ input: 0, profile: "map:vm-vulnerability", record: { cloud_platform: "EC2" } }] });

    const raw = SAMPLE_RAW_RECORDS.vulnerabilityFinding.raw;
    const { name: _drop, ...nameless } = raw;
    const given = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: "my-vulns", records: [raw, { id: "e1", source: "wiz", kind: "upsert", raw }, nameless, 7] });
    const outputs = given.json().outputs;
    expect(outputs[0]).toMatchObject({ input: 0, record: { tenant: "acme" } });
    expect(outputs[1]).toMatchObject({ input: 1, record: { tenant: "acme" } });
    expect(outputs[2]).toMatchObject({ input: 2, refused: expect.stringMatching(/has no name/) });
    expect(outputs[3]).toMatchObject({ input: 3, refused: expect.stringContaining("not a JSON object") });

    const ocsf = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: "ocsf", stream: "vulnerabilityFindings", ladder: "four-tier" });
    expect(ocsf.json().outputs[0].record.class_uid).toBe(2002);

    const unsaved = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: { name: "draft", recordTypes: ["asset"], fields: { id: { from: "id" }, kind: { const: "vm" } } } });
    expect(unsaved.json()).toMatchObject({ profile: "map:draft", stream: "cloudResources", outputs: [{ record: { kind: "vm" } }] });
    expect((await h.inject("GET", "/api/maps/draft", h.bearer.viewer)).statusCode).toBe(404);

    const broken = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: { name: "draft", recordTypes: ["asset"], fields: { x: { from: "resource.nope" } } } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^body\.map\.fields\.x/);
    expect((await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: "nope" })).statusCode).toBe(404);
    const badStream = await h.inject("POST", "/api/maps/test", h.bearer.viewer, { map: "my-vulns", stream: "issuez" });
    expect(badStream.statusCode).toBe(400);
    expect(badStream.json().message).toMatch(/^body\.stream/);
  });
});
