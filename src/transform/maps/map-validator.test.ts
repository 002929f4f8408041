import { describe, expect, it } from "vitest";
import { normaliseVulnerabilityFinding } from "../normalisers/vulnerability-finding.normaliser.js";
import { FOUR_TIER_LADDER } from "../severity/severity-ladder.js";
import { BUILT_IN_MAPS } from "./built-in-maps.js";
import { compileTransformMap } from "./map-evaluator.js";
import { TransformMapError, validateTransformMap } from "./map-validator.js";
import { SAMPLE_RAW_RECORDS } from "./sample-raw-records.js";
import { loadRawSchema } from "./source-paths.js";

const deps = { rawSchema: loadRawSchema() };

async function refusal(map: unknown): Promise<TransformMapError> {
  try {
    await validateTransformMap(map, deps);
  } catch (error) {
    if (error instanceof TransformMapError) return error;
    throw error;
  }
  throw new Error("the map was accepted");
}

const vuln = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: "m", recordTypes: ["vulnerabilityFinding"], fields, ...extra });

describe("transform maps", () => {
  it("the built-in maps validate and map a sample finding the way vulnerability managers expect", async () => {
    for (const map of Object.values(BUILT_IN_MAPS)) await validateTransformMap(map, deps);
    const map = compileTransformMap(await validateTransformMap(BUILT_IN_MAPS["vm-vulnerability"], deps));
    const raw = SAMPLE_RAW_RECORDS.vulnerabilityFinding.raw;
    const out = map.applySync(normaliseVulnerabilityFinding(raw, { portalOrigin: "https://app.wiz.io", ladder: FOUR_TIER_LADDER }), raw);
    expect(out).toMatchObject({
      asset_name: "checkout-qa-74c6",
      external_asset_id: "arn:aws:ec2:sa-east-1:719496092296:instance/i-09a0ec6edd68d1466",
      source_finding_id: raw.id,
      severity: "high",
      original_severity: "HIGH",
      detection_method: "library",
      first_found: "2025-11-21T14:44:18.831Z",
      exploit_available: false,
      cve_id: "CVE-2023-43804",
      score: 8.1,
      status: "Active",
      ips: ["10.10.152.58"],
      os: "Ubuntu 22.04",
      cloud_platform: "EC2",
      references: [],
    });
  });

  it("supports value maps, defaults, named functions, raw paths into union members, @field references and nesting", async () => {
    const map = await validateTransformMap(
      vuln({
        "asset.os": { from: "raw.vulnerableAsset.operatingSystem", apply: ["uppercase"] },
        "asset.ip": { from: "resource.ipAddresses", apply: ["first"] },
        projects: { from: "projects.name", apply: [{ fn: "join", separator: "|" }] },
        seen: { from: "firstDetectedAt", apply: [{ fn: "date", format: "epoch_s" }], type: "integer" },
        tier: { from: "severity", apply: [{ fn: "lookup", table: { HIGH: 3, CRITICAL: 4 }, default: 1 }], type: "number" },
        label: { from: "@tier", type: "string" },
        missing: { from: "raw.vulnerableAsset.PodName", default: "n/a" },
        constant: { const: "wiz" },
      }),
      deps,
    );
    const raw = SAMPLE_RAW_RECORDS.vulnerabilityFinding.raw;
    const out = compileTransformMap(map).applySync(normaliseVulnerabilityFinding(raw, { portalOrigin: "https://app.wiz.io", ladder: FOUR_TIER_LADDER }), raw);
    expect(out).toEqual({ asset: { os: "UBUNTU 22.04", ip: "10.10.152.58" }, projects: "Payments", seen: 1763736258, tier: 3, label: "3", missing: "n/a", constant: "wiz" });
  });

  it("refuses a cycle, naming it", async () => {
    const error = await refusal(vuln({ a: { from: "@b" }, b: { from: "@c" }, c: { from: "@a" } }));
    expect(error.message).toMatch(/a -> b -> c -> a.*cycle/);
  });

  it("refuses unknown canonical and raw paths and unknown @fields", async () => {
    const error = await refusal(vuln({ a: { from: "resource.colour" }, b: { from: "raw.vulnerableAsset.shoeSize" }, c: { from: "@nope" } }));
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["fields.a.from", "fields.b.from", "fields.c.from"]));
    expect(error.message).toContain("resource.colour is not a path of the canonical vulnerabilityFinding record");
    expect(error.message).toContain("raw.vulnerableAsset.shoeSize is not a path of the raw Wiz vulnerabilityFinding node");
  });

  it("refuses type clashes: a list into a single value, an object into a string, text functions on numbers, bad defaults and value maps", async () => {
    const error = await refusal(
      vuln({
        ips: { from: "resource.ipAddresses", type: "string" },
        res: { from: "resource", type: "string" },
        score: { from: "cve.score", apply: ["lowercase"] },
        when: { from: "firstDetectedAt", type: "date", default: "soon" },
        flag: { from: "status", type: "boolean", values: { OPEN: "maybe" } },
      }),
    );
    const paths = error.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["fields.ips.type", "fields.res.type", "fields.score.apply[0]", "fields.when.default", "fields.flag.values.OPEN"]));
    expect(error.message).toMatch(/add apply: \[first\]/);
  });

  it("refuses a slow expression (checked on sample records under the time budget) and a broken one", async () => {
    const slow = await refusal(vuln({ x: { expr: "$count($map([1..5000000], function($v) { $v * 2 }))", type: "number" } }, { expressionBudgetMs: 20 }));
    expect(slow.message).toMatch(/ran past its 20 ms budget/);
    const broken = await refusal(vuln({ x: { expr: "record.(" } }));
    expect(broken.message).toMatch(/does not parse/);
  });

  it("evaluates expressions over {record, raw, out}", async () => {
    const map = compileTransformMap(
      await validateTransformMap(vuln({ cve: { from: "cve.id" }, summary: { expr: "out.cve & ' on ' & raw.vulnerableAsset.name" }, n: { expr: "$count(record.references) + 1", type: "integer" } }), deps),
    );
    const raw = SAMPLE_RAW_RECORDS.vulnerabilityFinding.raw;
    const out = await map.apply(normaliseVulnerabilityFinding(raw, { portalOrigin: "https://app.wiz.io", ladder: FOUR_TIER_LADDER }), raw);
    expect(out).toEqual({ cve: "CVE-2023-43804", summary: "CVE-2023-43804 on checkout-qa-74c6", n: 1 });
  });

  it("refuses maps of the wrong shape with the key at fault", async () => {
    const error = await refusal({ name: "Bad Name", recordTypes: ["gadget"], fields: { a: { from: "id", const: "x" } } });
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["name", "recordTypes.0", "fields.a"]));
  });
});
