import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";

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
  it("list wraps friendly lists as {equals} and gets both detection types when asked", async () => {
    const expected = detections((d) => d.severity === "HIGH" || d.severity === "CRITICAL");
    const page = await client.detection.list({
      filterBy: { type: ["GENERATED_THREAT", "MATCH_ONLY"], severity: { equals: ["HIGH", "CRITICAL"] } },
      orderBy: { field: "CREATED_AT", direction: "ASC" },
      first: 1000,
    });
    expect(sim.requests.list({ rootField: "detections" }).at(-1)?.variables).toEqual({
      filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } },
      orderBy: { field: "CREATED_AT", direction: "ASC" },
      first: 1000,
    });
    expect(page.totalCount).toBe(expected.length);
    const byCreation = [...expected].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
    expect(page.nodes.map((n) => n.id)).toEqual(byCreation.map((d) => d.id));
    expect(page.nodes.some((n) => n.type === "MATCH_ONLY")).toBe(expected.some((d) => d.type === "MATCH_ONLY"));
  });

  it("list wraps resource ids and origins too", async () => {
    const record = detections((d) => d.primaryResource !== null)[0] as WizRecord;
    const resourceId = String((record.primaryResource as WizRecord).id);
    const origin = String((record.origins as string[])[0]);
    const page = await client.detection.list({ filterBy: { resource: { id: [resourceId] }, origin: [origin as "WIZ_SENSOR"], type: ["GENERATED_THREAT", "MATCH_ONLY"] } });
    expect(sim.requests.list({ rootField: "detections" }).at(-1)?.variables).toEqual({
      filterBy: { resource: { id: { equals: [resourceId] } }, origin: { equals: [origin] }, type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] } },
      first: 100,
    });
    expect(page.nodes.map((n) => n.id)).toContain(record.id);
  });

  it("get returns one detection with its triggering events", async () => {
    const record = detections(() => true)[2] as WizRecord;
    const detection = await client.detection.get({ id: String(record.id) });
    expect(sim.requests.list({ rootField: "detection" }).at(-1)?.variables).toEqual({ id: record.id });
    expect(detection).toMatchObject({ id: record.id, type: record.type, severity: record.severity, createdAt: record.createdAt });
    expect(detection.triggeringEvents.nodes.length).toBeGreaterThan(0);
  });
});
