import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";
import { WizInputError } from "../../wiz-errors.js";

let sim: Simulator;
let client: WizClient;

beforeAll(async () => {
  sim = await startTestSimulator();
  client = new WizClient(simClient(sim));
});
afterAll(async () => {
  await client.core.close();
  await sim.close();
});

function threats(where: (issue: WizRecord) => boolean): WizRecord[] {
  return Array.from({ length: sim.tenant.issues.size() }, (_, i) => sim.tenant.issues.get(i)).filter((i) => i.type === "THREAT_DETECTION" && where(i));
}

describe("threat operations against the simulator", () => {
  it("list sends THREAT_DETECTION with filterScope ALL_ISSUE_DETECTIONS, newest first, and XD's filter shapes", async () => {
    const expected = threats((i) => i.status === "OPEN" || i.status === "IN_PROGRESS");
    const page = await client.threat.list({ filterBy: { status: ["OPEN", "IN_PROGRESS"], createdAt: { inLast: { amount: 3650, unit: "DurationFilterValueUnitDays" } } }, first: 500 });
    expect(sim.requests.list({ rootField: "issuesV2" }).at(-1)?.variables).toEqual({
      filterBy: { status: ["OPEN", "IN_PROGRESS"], createdAt: { inLast: { amount: 3650, unit: "DurationFilterValueUnitDays" } }, type: ["THREAT_DETECTION"] },
      filterScope: "ALL_ISSUE_DETECTIONS",
      orderBy: { field: "CREATED_AT", direction: "DESC" },
      first: 500,
    });
    const newestFirst = [...expected].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    expect(page.nodes.map((n) => n.id)).toEqual(newestFirst.map((i) => i.id));
    expect(page.nodes.every((n) => n.type === "THREAT_DETECTION")).toBe(true);
    const first = page.nodes[0];
    const details = (newestFirst[0] as WizRecord).threatDetectionDetails as WizRecord;
    expect(first?.threatDetectionDetails).toMatchObject({ eventOrigin: details.eventOrigin, actorsTotalCount: details.actorsTotalCount });
  });

  it("list sends eventOrigin in {equals}, platform and resource filters bare, id and project as scalars", async () => {
    const record = threats(() => true)[0] as WizRecord;
    const origin = String((record.threatDetectionDetails as WizRecord).eventOrigin);
    const resourceId = String((record.entitySnapshot as WizRecord).id);
    const platform = String((record.entitySnapshot as WizRecord).cloudPlatform);
    const page = await client.threat.list({
      filterBy: { eventOrigin: { equals: [origin as "WIZ_SENSOR"] }, threatResource: { ids: [resourceId] }, relatedEntity: { cloudPlatform: [platform as "AWS"] } },
    });
    expect(sim.requests.list({ rootField: "issuesV2" }).at(-1)?.variables?.filterBy).toEqual({
      eventOrigin: { equals: [origin] },
      threatResource: { ids: [resourceId] },
      relatedEntity: { cloudPlatform: [platform] },
      type: ["THREAT_DETECTION"],
    });
    expect(page.nodes.map((n) => n.id)).toContain(record.id);
    const one = await client.threat.list({ filterBy: { id: String(record.id) } });
    expect(sim.requests.list({ rootField: "issuesV2" }).at(-1)?.variables).toEqual({
      filterBy: { id: record.id, type: ["THREAT_DETECTION"] },
      filterScope: "ALL_ISSUE_DETECTIONS",
      orderBy: { field: "CREATED_AT", direction: "DESC" },
      first: 250,
    });
    expect(one.nodes.map((n) => n.id)).toEqual([record.id]);
  });

  it("refuses detection-style filters on threats, saying what to write", async () => {
    const platform = await client.threat.list({ filterBy: { cloudPlatform: ["AWS"] } } as never).catch((e: unknown) => e);
    expect(platform).toBeInstanceOf(WizInputError);
    expect((platform as WizInputError).message).toContain('threat filters take the platform nested under relatedEntity (unlike detections): write {"relatedEntity": {"cloudPlatform": ["AWS"]}}');
    const wrapped = await client.threat.list({ filterBy: { severity: { equals: ["HIGH"] } } } as never).catch((e: unknown) => e);
    expect((wrapped as WizInputError).message).toContain('threat filters take a bare list here, not an {equals} wrapper: write ["HIGH"]');
    const bareOrigin = await client.threat.list({ filterBy: { eventOrigin: ["WIZ_SENSOR"] } } as never).catch((e: unknown) => e);
    expect((bareOrigin as WizInputError).message).toContain('write {"equals": ["WIZ_SENSOR"]}');
  });

  it("get returns one threat with its actors, resources and detections", async () => {
    const record = threats(() => true)[1] as WizRecord;
    const threat = await client.threat.get({ id: String(record.id) });
    expect(sim.requests.list({ rootField: "issuesV2" }).at(-1)?.variables).toEqual({
      filterBy: { id: [record.id], type: ["THREAT_DETECTION"] },
      filterScope: "ALL_ISSUE_DETECTIONS",
    });
    const details = record.threatDetectionDetails as WizRecord;
    expect(threat).toMatchObject({ id: record.id, type: "THREAT_DETECTION", severity: record.severity });
    expect(threat.threatDetectionDetails?.actors.map((a) => a.id)).toEqual((details.actors as WizRecord[]).map((a) => a.id));
    expect(threat.threatDetectionDetails?.detections.totalCount).toBeGreaterThan(0);
  });
});
