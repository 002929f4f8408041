import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toEcs } from "../../src/transform/ecs/ecs-mapper.js";
import { STREAM_NORMALISERS } from "../../src/transform/normalisers/stream-normaliser.js";
import { resolveSeverityLadder } from "../../src/transform/severity/severity-ladder.js";
import { ecsProblems } from "./ecs-flat-checker.js";
import { PARITY_CASES } from "./elastic-parity-cases.js";

const context = { portalOrigin: "https://app.wiz.io", ladder: resolveSeverityLadder("wiz") };

/** Dotted paths to leaves; arrays are leaves (ECS compares a field's whole value). */
function flatten(value: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, path, out);
    else out[path] = v;
  }
  return out;
}

/** The fields docs/output-profiles.md names in its table of differences from Elastic's Wiz integration. */
function documentedDifferences(): Set<string> {
  const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "output-profiles.md"), "utf8");
  const section = doc.split("### Differences from Elastic's Wiz integration")[1]?.split(/\n#{2,3} /)[0] ?? "";
  return new Set([...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1] as string));
}

describe("ECS output matches what Elastic's own Wiz integration writes", () => {
  const documented = documentedDifferences();

  for (const c of PARITY_CASES) {
    it(`${c.name}: every ECS field Elastic sets has Elastic's value, or a documented one`, () => {
      const record = STREAM_NORMALISERS[c.stream](c.raw, context);
      const ours = flatten(toEcs(record, { observedAt: "2030-01-01T00:00:00.000Z", raw: c.raw }));
      const mismatches: string[] = [];
      for (const [field, elastic] of Object.entries(c.elastic)) {
        const expected = field in c.differences ? c.differences[field] : elastic;
        if (JSON.stringify(ours[field]) !== JSON.stringify(expected)) mismatches.push(`${field}: ours ${JSON.stringify(ours[field])}, expected ${JSON.stringify(expected)} (Elastic: ${JSON.stringify(elastic)})`);
      }
      expect(mismatches).toEqual([]);
      for (const field of Object.keys(c.differences)) expect(documented, `${field} differs from Elastic but docs/output-profiles.md does not say why`).toContain(field);
      expect(ecsProblems(toEcs(record, { observedAt: "2030-01-01T00:00:00.000Z", raw: c.raw }))).toEqual([]);
    });
  }

  it("covers every stream Elastic maps (issue, vulnerability, cloud configuration finding, audit, Defend API and webhook)", () => {
    const datasets = new Set(PARITY_CASES.map((c) => c.elastic["event.dataset"]));
    expect([...datasets].sort()).toEqual(["wiz.audit", "wiz.cloud_configuration_finding", "wiz.defend", "wiz.defend_v2", "wiz.issue", "wiz.vulnerability"]);
  });

  it("the share of Elastic's fields we set to Elastic's own value is at least 85% per case", () => {
    for (const c of PARITY_CASES) {
      const record = STREAM_NORMALISERS[c.stream](c.raw, context);
      const ours = flatten(toEcs(record, { observedAt: "2030-01-01T00:00:00.000Z", raw: c.raw }));
      const fields = Object.keys(c.elastic);
      const same = fields.filter((f) => JSON.stringify(ours[f]) === JSON.stringify(c.elastic[f])).length;
      expect(same / fields.length, c.name).toBeGreaterThanOrEqual(0.85);
    }
  });
});
