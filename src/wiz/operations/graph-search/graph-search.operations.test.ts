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

describe("graphSearch operations against the simulator", () => {
  it("run sends the query as given over all projects and returns the entities", async () => {
    const buckets = Array.from({ length: sim.tenant.cloudResources.size() }, (_, i) => sim.tenant.cloudResources.get(i)).filter((r) => r.type === "BUCKET");
    const query = { type: ["BUCKET" as const], select: true, where: { name: { CONTAINS: [""] } } };
    const page = await client.graphSearch.run({ query, first: 500 });
    expect(sim.requests.list({ rootField: "graphSearch" }).at(-1)?.variables).toEqual({ query, projectId: "*", first: 500 });
    expect(page.totalCount).toBe(buckets.length);
    expect(page.maxCountReached).toBe(false);
    expect(page.nodes.map((n) => n.entities[0]?.id)).toEqual(buckets.map((b) => b.id));
  });

  it("resolveResourceGraphID finds the entity id by providerUniqueId EQUALS", async () => {
    const record = sim.tenant.cloudResources.get(9);
    const providerUniqueId = String((record.graphEntity as WizRecord).providerUniqueId);
    const resolved = await client.graphSearch.resolveResourceGraphID({ providerUniqueId });
    expect(sim.requests.list({ rootField: "graphSearch" }).at(-1)?.variables).toEqual({
      query: { type: ["CLOUD_RESOURCE"], select: true, where: { providerUniqueId: { EQUALS: [providerUniqueId] } } },
      projectId: "*",
      first: 1,
    });
    expect(resolved).toEqual({ providerUniqueId, id: record.id, name: record.name, type: record.type });
    await expect(client.graphSearch.resolveResourceGraphID({ providerUniqueId: "arn:aws:s3:::no-such-bucket" })).rejects.toBeInstanceOf(WizNotFoundError);
  });
});
