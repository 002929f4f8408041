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

describe("project operations against the simulator", () => {
  it("project list searches projects and getTeam names owners and champions", async () => {
    const record = sim.tenant.projects.get(1);
    const page = await client.project.list({ filterBy: { search: String(record.name) } });
    expect(sim.requests.list({ rootField: "projects" }).at(-1)?.variables).toEqual({ filterBy: { search: record.name }, first: 100 });
    expect(page.nodes[0]).toMatchObject({ id: record.id, slug: record.slug, riskProfile: { businessImpact: (record.riskProfile as WizRecord).businessImpact } });
    const team = await client.project.getTeam({ slug: String(record.slug) });
    expect(sim.requests.list({ rootField: "project" }).at(-1)?.variables).toEqual({ slug: record.slug });
    expect(team).toEqual({ id: record.id, name: record.name, slug: record.slug, projectOwners: record.projectOwners, securityChampions: record.securityChampions });
    expect(await client.project.getTeam({ id: String(record.id) })).toEqual(team);
  });
});
