import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalRecordSchema, type CanonicalRecord } from "../../src/model/canonical/index.js";
import type { Simulator } from "../../src/sim/index.js";
import { toEcs } from "../../src/transform/ecs/ecs-mapper.js";
import { STREAM_NORMALISERS } from "../../src/transform/normalisers/stream-normaliser.js";
import { toOcsf } from "../../src/transform/ocsf/ocsf-mapper.js";
import { FOUR_TIER_LADDER } from "../../src/transform/severity/severity-ladder.js";
import { clientFor, startTestSimulator } from "../sync/sync-fixtures.js";
import { ecsProblems } from "./ecs-flat-checker.js";
import { ocsfProblems } from "./ocsf-schema-checker.js";
import { fixtureRecords, streamRecords, tenantRecords, type RawRecord } from "./wiz-records.js";

const context = { portalOrigin: "https://app.wiz.io", ladder: FOUR_TIER_LADDER };

interface Outcome {
  problems: string[];
  classes: Set<number>;
  records: CanonicalRecord[];
}

function runGolden(records: readonly RawRecord[]): Outcome {
  const problems: string[] = [];
  const classes = new Set<number>();
  const canonical: CanonicalRecord[] = [];
  for (const { stream, raw, origin } of records) {
    const record = STREAM_NORMALISERS[stream](raw, context);
    canonical.push(record);
    const parsed = canonicalRecordSchema.safeParse(record);
    if (!parsed.success) problems.push(`${origin}: canonical: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
    if (JSON.stringify(record).includes('"raw"')) problems.push(`${origin}: canonical record carries raw`);
    const ocsf = toOcsf(record, { observedAtMs: Date.parse("2026-01-01T00:00:00Z"), raw });
    if (ocsf) {
      classes.add(ocsf.class_uid);
      for (const p of ocsfProblems(ocsf)) problems.push(`${origin}: ocsf ${ocsf.class_uid}: ${p}`);
      if (ocsf.raw_data !== JSON.stringify(raw)) problems.push(`${origin}: ocsf raw_data is not the untouched node`);
    } else if (record.recordType !== "project") problems.push(`${origin}: no OCSF class for ${record.recordType}`);
    for (const p of ecsProblems(toEcs(record, { observedAt: "2026-01-01T00:00:00Z", raw }))) problems.push(`${origin}: ecs: ${p}`);
  }
  return { problems, classes, records: canonical };
}

describe("golden: Wiz records normalise and map to OCSF 1.8.0 and ECS with nothing required missing", () => {
  it("the Wiz fixtures in shared/fixtures (the Wiz Defend detection webhook)", () => {
    const { problems, records } = runGolden(fixtureRecords());
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      recordType: "detection",
      id: "6a440e9b-c8d8-5482-a0e9-da714359aecf",
      severity: "MEDIUM",
      severityLevel: "medium",
      issueId: "733edfe5-db25-5b14-ac58-dc69d6005c81",
      resource: { id: "da259b23-de77-5adb-8336-8c4071696305", providerUniqueId: "provider-resource-uid-456", cloudPlatform: "AWS", account: { externalId: "134653897021" }, kubernetes: { namespace: "production" } },
      mitre: { tactics: ["TA0005"], techniques: ["T1070.006"] },
    });
  });

  it("every record of a generated tenant: all vulnerableAsset members, issue types and entitySnapshot variants", () => {
    const records = tenantRecords();
    const { problems, classes, records: canonical } = runGolden(records);
    expect(problems.slice(0, 20)).toEqual([]);
    expect([...classes].sort()).toEqual([2002, 2003, 2004, 5023, 6003]);
    const members = new Set(records.filter((r) => r.stream === "vulnerabilityFindings").map((r) => (r.raw.vulnerableAsset as { __typename: string }).__typename));
    expect([...members].sort()).toEqual(["VulnerableAssetContainer", "VulnerableAssetContainerImage", "VulnerableAssetRepositoryBranch", "VulnerableAssetServerless", "VulnerableAssetVirtualMachine"]);
    const issueTypes = new Set(canonical.flatMap((r) => (r.recordType === "issue" ? [r.issueType] : [])));
    expect([...issueTypes].sort()).toEqual(["CLOUD_CONFIGURATION", "THREAT_DETECTION", "TOXIC_COMBINATION"]);
    const snapshotTypes = new Set(canonical.flatMap((r) => (r.recordType === "issue" && r.resource?.type ? [r.resource.type] : [])));
    expect(snapshotTypes.size).toBeGreaterThan(10);
    // Union-member fields reach the canonical resource.
    const vm = canonical.find((r) => r.recordType === "vulnerabilityFinding" && r.resource?.type === "VIRTUAL_MACHINE");
    expect(vm?.recordType === "vulnerabilityFinding" && vm.resource?.ipAddresses.length).toBeGreaterThan(0);
    const container = canonical.find((r) => r.recordType === "vulnerabilityFinding" && r.resource?.type === "CONTAINER");
    expect(container?.recordType === "vulnerabilityFinding" && container.resource?.kubernetes?.pod).toBeTruthy();
  }, 60_000);

  describe("every stream, paged from a simulator with the sync's own queries", () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startTestSimulator();
    });
    afterAll(async () => {
      await sim.close();
    });

    it("normalises and maps every record of every stream", async () => {
      const records = await streamRecords(clientFor(sim));
      expect(new Set(records.map((r) => r.stream)).size).toBe(9);
      const { problems, classes } = runGolden(records);
      expect(problems.slice(0, 20)).toEqual([]);
      expect([...classes].sort()).toEqual([2002, 2003, 2004, 5023, 6003]);
    }, 120_000);
  });
});

describe("the OCSF checker itself", () => {
  it("reports a missing required attribute, a wrong type, an unknown attribute and a bad type_uid", () => {
    const [fixture] = fixtureRecords();
    if (!fixture) throw new Error("no fixture");
    const record = STREAM_NORMALISERS[fixture.stream](fixture.raw, context);
    const event = toOcsf(record, { observedAtMs: 0, raw: fixture.raw }) as Record<string, unknown>;
    expect(ocsfProblems(event)).toEqual([]);
    const broken = { ...event, finding_info: undefined, time: "yesterday", colour: "red", type_uid: 1 };
    delete broken.finding_info;
    expect(ocsfProblems(broken)).toEqual(
      expect.arrayContaining([
        "finding_info: required attribute missing",
        'time: "yesterday" is not a timestamp_t',
        "colour: not an attribute of detection_finding in OCSF 1.8.0",
        "type_uid 1 is not class_uid * 100 + activity_id",
      ]),
    );
  });
});

describe("the ECS checker itself", () => {
  it("reports a field outside ECS, a wrong type, a value ECS does not allow, a missing array and an unexpected event type", () => {
    const [fixture] = fixtureRecords();
    if (!fixture) throw new Error("no fixture");
    const record = STREAM_NORMALISERS[fixture.stream](fixture.raw, context);
    const doc = toEcs(record, { observedAt: "2026-01-01T00:00:00Z", raw: fixture.raw });
    expect(ecsProblems(doc)).toEqual([]);
    const broken = {
      ...doc,
      colour: "red",
      source: { ip: "not-an-ip" },
      event: { ...doc.event, kind: "finding", type: "indicator", category: ["configuration"] },
      related: { ip: "192.0.2.1" },
    };
    expect(ecsProblems(broken)).toEqual(
      expect.arrayContaining([
        "colour: neither an ECS field (EcsFlat) nor one of Elastic's Wiz extension fields",
        'source.ip: "not-an-ip" is not an IP address (ECS type ip)',
        'event.kind: "finding" is not one of alert, asset, enrichment, event, metric, state, pipeline_error, signal',
        'event.type: ECS normalises it to an array; got "indicator"',
        'related.ip: ECS normalises it to an array; got "192.0.2.1"',
      ]),
    );
    expect(ecsProblems({ ...doc, event: { ...doc.event, type: ["indicator"], category: ["configuration"] } })).toContain('event.type indicator is not expected for event.category ["configuration"]');
  });
});

