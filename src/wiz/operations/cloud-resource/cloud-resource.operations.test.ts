import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";
import { WizNotFoundError } from "../../wiz-errors.js";

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

function resources(where: (resource: WizRecord) => boolean): WizRecord[] {
  return Array.from({ length: sim.tenant.cloudResources.size() }, (_, i) => sim.tenant.cloudResources.get(i)).filter(where);
}

const providerIdOf = (resource: WizRecord): string => String((resource.graphEntity as WizRecord).providerUniqueId);

describe("cloudResource operations against the simulator", () => {
  it("list filters by type with a bare list and returns the matching resources", async () => {
    const expected = resources((r) => r.type === "VIRTUAL_MACHINE");
    const page = await client.cloudResource.list({ filterBy: { type: ["VIRTUAL_MACHINE"] }, first: 500 });
    expect(sim.requests.list({ rootField: "cloudResources" }).at(-1)?.variables).toEqual({ filterBy: { type: ["VIRTUAL_MACHINE"] }, first: 500 });
    expect(page.totalCount).toBe(expected.length);
    expect(page.nodes.map((n) => n.id)).toEqual(expected.map((r) => r.id));
    expect(page.nodes[0]?.graphEntity?.providerUniqueId).toBe(providerIdOf(expected[0] as WizRecord));
  });

  it("get returns one resource by its Wiz id, and NOT_FOUND for an unknown one", async () => {
    const record = sim.tenant.cloudResources.get(3);
    const resource = await client.cloudResource.get({ id: String(record.id) });
    expect(sim.requests.list({ rootField: "cloudResource" }).at(-1)?.variables).toEqual({ id: record.id });
    expect(resource).toMatchObject({ id: record.id, name: record.name, type: record.type, subscriptionExternalId: record.subscriptionExternalId });
    await expect(client.cloudResource.get({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toBeInstanceOf(WizNotFoundError);
  });

  it("listIDs maps provider ids to Wiz ids in batches of 500, reporting the missing ones", async () => {
    const known = [sim.tenant.cloudResources.get(1), sim.tenant.cloudResources.get(7)];
    const unknown = Array.from({ length: 500 }, (_, i) => `arn:aws:ec2:us-east-1:000000000000:instance/i-missing${i}`);
    const before = sim.requests.list({ rootField: "cloudResources" }).length;
    const result = await client.cloudResource.listIDs({ providerUniqueIds: [providerIdOf(known[0] as WizRecord), ...unknown, providerIdOf(known[1] as WizRecord)] });
    const sent = sim.requests.list({ rootField: "cloudResources" }).slice(before);
    expect(sent.map((e) => (e.variables?.filterBy as { providerUniqueId: string[] }).providerUniqueId.length)).toEqual([500, 2]);
    expect(sent[0]?.variables).toMatchObject({ first: 500, filterBy: { providerUniqueId: [providerIdOf(known[0] as WizRecord), ...unknown.slice(0, 499)] } });
    expect(result.resources).toEqual(known.map((r) => ({ providerUniqueId: providerIdOf(r), id: r.id })));
    expect(result.missing).toEqual(unknown);
  });
});
