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

  it("list filters by the account's own id (subscriptionExternalId) and by provider id", async () => {
    const record = sim.tenant.cloudResources.get(5);
    const account = String(record.subscriptionExternalId);
    const expected = resources((r) => r.subscriptionExternalId === account);
    const page = await client.cloudResource.list({ filterBy: { subscriptionExternalId: [account], providerUniqueId: [providerIdOf(record)] }, first: 10 });
    expect(sim.requests.list({ rootField: "cloudResources" }).at(-1)?.variables).toEqual({ filterBy: { subscriptionExternalId: [account], providerUniqueId: [providerIdOf(record)] }, first: 10 });
    expect(page.nodes.map((n) => n.id)).toEqual([record.id]);
    const byAccount = await client.cloudResource.list({ filterBy: { subscriptionExternalId: [account] }, first: 500 });
    expect(byAccount.nodes.map((n) => n.id)).toEqual(expected.map((r) => r.id));
  });

  it("get returns the first resource matching a search text or a provider id, and NOT_FOUND otherwise", async () => {
    const record = sim.tenant.cloudResources.get(3);
    const byProviderId = await client.cloudResource.get({ filterBy: { providerUniqueId: providerIdOf(record) } });
    expect(sim.requests.list({ rootField: "cloudResources" }).at(-1)?.variables).toEqual({ filterBy: { providerUniqueId: providerIdOf(record) }, first: 1 });
    expect(byProviderId).toMatchObject({ id: record.id, name: record.name, type: record.type, subscriptionExternalId: record.subscriptionExternalId });
    const bySearch = await client.cloudResource.get({ filterBy: { search: String(record.name) } });
    expect(bySearch.name).toContain(String(record.name));
    await expect(client.cloudResource.get({ filterBy: { search: "no-such-resource-anywhere" } })).rejects.toBeInstanceOf(WizNotFoundError);
  });

  it("listIDs takes the list filters and returns only the Wiz ids", async () => {
    const known = [sim.tenant.cloudResources.get(1), sim.tenant.cloudResources.get(7)];
    const missing = "arn:aws:ec2:us-east-1:000000000000:instance/i-missing";
    const page = await client.cloudResource.listIDs({ filterBy: { providerUniqueId: [providerIdOf(known[0] as WizRecord), missing, providerIdOf(known[1] as WizRecord)] } });
    expect(sim.requests.list({ rootField: "cloudResources" }).at(-1)?.variables).toEqual({
      filterBy: { providerUniqueId: [providerIdOf(known[0] as WizRecord), missing, providerIdOf(known[1] as WizRecord)] },
      first: 100,
    });
    expect(page.nodes).toEqual(known.map((r) => ({ id: r.id, graphEntity: { providerUniqueId: providerIdOf(r) } })));
  });
});
