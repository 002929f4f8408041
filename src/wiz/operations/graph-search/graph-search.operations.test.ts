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
    const page = await client.graphSearch.run({ query, projectId: "*", first: 500, fetchTotalCount: true });
    expect(sim.requests.list({ rootField: "graphSearch" }).at(-1)?.variables).toEqual({
      query,
      projectId: "*",
      first: 500,
      fetchTotalCount: true,
      quick: true,
      fetchPublicExposurePaths: false,
      fetchInternalExposurePaths: false,
      fetchIssueAnalytics: false,
      fetchLateralMovement: false,
      fetchKubernetes: false,
    });
    expect(page.totalCount).toBe(buckets.length);
    expect(page.maxCountReached).toBe(false);
    expect(page.nodes.map((n) => n.entities[0]?.id)).toEqual(buckets.map((b) => b.id));
  });

  it("run without fetchTotalCount leaves the counts out; the fetch flags add the entity's paths and issue counts", async () => {
    const query = { type: ["VIRTUAL_MACHINE" as const], select: true };
    const page = await client.graphSearch.run({ query, projectId: "*", first: 2, fetchIssueAnalytics: true, fetchPublicExposurePaths: true, fetchLateralMovement: true, fetchKubernetes: true, fetchInternalExposurePaths: true, quick: false });
    expect(page.totalCount).toBeUndefined();
    expect(page.maxCountReached).toBeUndefined();
    const entity = page.nodes[0]?.entities[0] as unknown as Record<string, unknown>;
    expect(Object.keys(entity)).toEqual(expect.arrayContaining(["issueAnalytics", "publicExposures", "otherSubscriptionExposures", "otherVnetExposures", "lateralMovementPaths", "kubernetesPaths"]));
  });

  it("run refuses a missing projectId with what to write", async () => {
    const error = await client.graphSearch.run({ query: { type: ["BUCKET"] } } as never).catch((e: unknown) => e);
    expect((error as Error).message).toContain('projectId: is required by Wiz: a project UUID, or "*" for all projects');
  });

  it("resolveResourceGraphID finds the entity id of a query on providerUniqueId", async () => {
    const record = sim.tenant.cloudResources.get(9);
    const providerUniqueId = String((record.graphEntity as WizRecord).providerUniqueId);
    const query = { type: [String(record.type) as "VIRTUAL_MACHINE"], where: { providerUniqueId: { EQUALS: [providerUniqueId] } } };
    const resolved = await client.graphSearch.resolveResourceGraphID({ query, projectId: "*" });
    expect(sim.requests.list({ rootField: "graphSearch" }).at(-1)?.variables).toEqual({ query, projectId: "*", first: 1 });
    expect(resolved).toEqual({ providerUniqueId, id: record.id, name: record.name, type: record.type });
    const missing = { type: ["CLOUD_RESOURCE" as const], where: { providerUniqueId: { EQUALS: ["arn:aws:s3:::no-such-bucket"] } } };
    await expect(client.graphSearch.resolveResourceGraphID({ query: missing, projectId: "*" })).rejects.toBeInstanceOf(WizNotFoundError);
  });
});
