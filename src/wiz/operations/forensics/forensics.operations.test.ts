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

function resourceOfType(type: string, nth = 0): WizRecord {
  const found = Array.from({ length: sim.tenant.cloudResources.size() }, (_, i) => sim.tenant.cloudResources.get(i)).filter((r) => r.type === type)[nth];
  if (!found) throw new Error(`the tiny tenant has no ${type}`);
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("forensics operations against the simulator", () => {
  it("copyToExternalAccount sends input.id as given", async () => {
    const vm = resourceOfType("VIRTUAL_MACHINE");
    const copy = await client.forensics.copyToExternalAccount({ input: { id: String(vm.id) } });
    expect(sim.requests.list({ rootField: "copyResourceForensicsToExternalAccount" }).at(-1)?.variables).toEqual({ input: { id: vm.id } });
    expect(copy.resourceId).toBe(vm.id);
    expect(copy.systemActivityGroupId).toMatch(UUID);
  });

  it("copyToExternalAccount refuses a provider id (ARN) before sending, pointing to cloudResource.listIDs", async () => {
    const vm = resourceOfType("VIRTUAL_MACHINE", 1);
    const providerId = String((vm.graphEntity as WizRecord).providerUniqueId);
    const before = sim.requests.list().length;
    const error = await client.forensics.copyToExternalAccount({ input: { id: providerId } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).message).toContain("use cloudResource.listIDs first");
    expect((error as WizInputError).message).toContain(`{"filterBy": {"providerUniqueId": [${JSON.stringify(providerId)}]}}`);
    expect(sim.requests.list()).toHaveLength(before);
  });

  it("copyToExternalAccount surfaces Wiz's refusal of a bucket", async () => {
    await expect(client.forensics.copyToExternalAccount({ input: { id: String(resourceOfType("BUCKET").id) } })).rejects.toBeInstanceOf(WizInputError);
  });
});
