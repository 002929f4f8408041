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

function detections(where: (detection: WizRecord) => boolean): WizRecord[] {
  return Array.from({ length: sim.tenant.detections.size() }, (_, i) => sim.tenant.detections.get(i)).filter(where);
}

describe("detection operations against the simulator", () => {
  it("list sends {equals} wrappers as given and gets both detection types when asked", async () => {
    const expected = detections((d) => d.severity === "HIGH" || d.severity === "CRITICAL");
    const page = await client.detection.list({
      filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } },
      orderBy: { field: "CREATED_AT", direction: "ASC" },
      first: 1000,
    });
    expect(sim.requests.list({ rootField: "detections" }).at(-1)?.variables).toEqual({
      filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } },
      orderBy: { field: "CREATED_AT", direction: "ASC" },
      includeTriggeringEvents: true,
      first: 1000,
    });
    expect(page.nodes[0]?.triggeringEvents?.nodes.length).toBeGreaterThan(0);
    expect(page.totalCount).toBe(expected.length);
    const byCreation = [...expected].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
    expect(page.nodes.map((n) => n.id)).toEqual(byCreation.map((d) => d.id));
    expect(page.nodes.some((n) => n.type === "MATCH_ONLY")).toBe(expected.some((d) => d.type === "MATCH_ONLY"));
  });

  it("list sends resource ids, origins and the scalars (issueId, matchedRule.id) as Wiz takes them", async () => {
    const record = detections((d) => d.primaryResource !== null)[0] as WizRecord;
    const resourceId = String((record.primaryResource as WizRecord).id);
    const origin = String((record.origins as string[])[0]);
    const filterBy = { resource: { id: { equals: [resourceId] } }, origin: { equals: [origin as "WIZ_SENSOR"] }, type: { equals: ["GENERATED_THREAT" as const, "MATCH_ONLY" as const] } };
    const page = await client.detection.list({ filterBy, includeTriggeringEvents: false });
    expect(sim.requests.list({ rootField: "detections" }).at(-1)?.variables).toEqual({ filterBy, includeTriggeringEvents: false, first: 250 });
    expect(page.nodes.map((n) => n.id)).toContain(record.id);
    expect(page.nodes[0]?.triggeringEvents).toBeUndefined();
    const linked = detections((d) => d.issue !== null)[0] as WizRecord;
    const issueId = String((linked.issue as WizRecord).id);
    const byIssue = await client.detection.list({ filterBy: { issueId, type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] } } });
    expect(byIssue.nodes.map((n) => n.id)).toContain(linked.id);
    expect(byIssue.nodes.every((n) => n.issue?.id === issueId)).toBe(true);
  });

  it("refuses a bare list where detections take {equals}, and a list where they take a scalar", async () => {
    const bare = await client.detection.list({ filterBy: { severity: ["HIGH"] } } as never).catch((e: unknown) => e);
    expect(bare).toBeInstanceOf(WizInputError);
    expect((bare as WizInputError).message).toContain('filterBy.severity: detection filters take Wiz\'s {equals: [...]} wrapper here, not a bare list: write {"equals": ["HIGH"]}');
    const listed = await client.detection.list({ filterBy: { projectId: ["6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f"] } } as never).catch((e: unknown) => e);
    expect((listed as WizInputError).message).toContain('filterBy.projectId: detection filters take one value here (a scalar), not a list: write "6f0b5b1a-6d1e-4a51-9b3f-1d2c3b4a5e6f"');
  });

  it("get returns one detection with its triggering events", async () => {
    const record = detections(() => true)[2] as WizRecord;
    const detection = await client.detection.get({ id: String(record.id) });
    expect(sim.requests.list({ rootField: "detection" }).at(-1)?.variables).toEqual({ id: record.id });
    expect(detection).toMatchObject({ id: record.id, type: record.type, severity: record.severity, createdAt: record.createdAt });
    expect(detection.triggeringEvents.nodes.length).toBeGreaterThan(0);
  });
});
