import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";
import { WizInputError, WizNotFoundError } from "../../wiz-errors.js";

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

function resourceOfType(type: string, nth = 0): WizRecord {
  const found = Array.from({ length: sim.tenant.cloudResources.size() }, (_, i) => sim.tenant.cloudResources.get(i)).filter((r) => r.type === type)[nth];
  if (!found) throw new Error(`the tiny tenant has no ${type}`);
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("forensics operations against the simulator", () => {
  it("copyToExternalAccount sends a Wiz id as given", async () => {
    const vm = resourceOfType("VIRTUAL_MACHINE");
    const before = sim.requests.list({ rootField: "cloudResources" }).length;
    const copy = await client.forensics.copyToExternalAccount({ resourceId: String(vm.id) });
    expect(sim.requests.list({ rootField: "copyResourceForensicsToExternalAccount" }).at(-1)?.variables).toEqual({ input: { id: vm.id } });
    expect(sim.requests.list({ rootField: "cloudResources" })).toHaveLength(before);
    expect(copy.resourceId).toBe(vm.id);
    expect(copy.systemActivityGroupId).toMatch(UUID);
  });

  it("copyToExternalAccount resolves a provider id through cloudResources first, as XW does", async () => {
    const vm = resourceOfType("VIRTUAL_MACHINE", 1);
    const providerId = String((vm.graphEntity as WizRecord).providerUniqueId);
    const copy = await client.forensics.copyToExternalAccount({ resourceId: providerId });
    expect(sim.requests.list({ rootField: "cloudResources" }).at(-1)?.variables).toEqual({ filterBy: { providerUniqueId: [providerId] } });
    expect(sim.requests.list({ rootField: "copyResourceForensicsToExternalAccount" }).at(-1)?.variables).toEqual({ input: { id: vm.id } });
    expect(copy).toMatchObject({ resourceId: vm.id, providerUniqueId: providerId });
  });

  it("copyToExternalAccount asks for no copy when the provider id is unknown, and surfaces Wiz's refusal of a bucket", async () => {
    const before = sim.requests.list({ rootField: "copyResourceForensicsToExternalAccount" }).length;
    await expect(client.forensics.copyToExternalAccount({ resourceId: "arn:aws:ec2:us-east-1:000000000000:instance/i-nope" })).rejects.toBeInstanceOf(WizNotFoundError);
    expect(sim.requests.list({ rootField: "copyResourceForensicsToExternalAccount" })).toHaveLength(before);
    await expect(client.forensics.copyToExternalAccount({ resourceId: String(resourceOfType("BUCKET").id) })).rejects.toBeInstanceOf(WizInputError);
  });
});
