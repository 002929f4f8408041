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

function all<T extends { size(): number; get(i: number): WizRecord }>(collection: T): WizRecord[] {
  return Array.from({ length: collection.size() }, (_, i) => collection.get(i));
}

describe("versionControlResource operations against the simulator", () => {
  it("versionControlResource list finds branches by type", async () => {
    const expected = all(sim.tenant.versionControlResources).filter((r) => r.type === "REPOSITORY_BRANCH");
    const page = await client.versionControlResource.list({ filterBy: { type: ["REPOSITORY_BRANCH"] }, first: 500 });
    expect(sim.requests.list({ rootField: "versionControlResources" }).at(-1)?.variables).toEqual({ filterBy: { type: ["REPOSITORY_BRANCH"] }, first: 500 });
    expect(page.nodes.map((n) => ({ id: n.id, providerID: n.providerID }))).toEqual(expected.map((r) => ({ id: r.id, providerID: r.providerID })));
  });
});
