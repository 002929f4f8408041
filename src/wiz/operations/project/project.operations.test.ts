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

describe("project operations against the simulator", () => {
  it("project list searches projects and getTeam names owners and champions", async () => {
    const record = sim.tenant.projects.get(1);
    const page = await client.project.list({ filterBy: { search: String(record.name) } });
    expect(sim.requests.list({ rootField: "projects" }).at(-1)?.variables).toEqual({ filterBy: { search: record.name, includeArchived: false }, first: 100 });
    expect(page.nodes[0]).toMatchObject({ id: record.id, slug: record.slug, riskProfile: { businessImpact: (record.riskProfile as WizRecord).businessImpact } });
    const team = await client.project.getTeam({ filterBy: { search: String(record.name).toUpperCase() } });
    expect(sim.requests.list({ rootField: "projects" }).at(-1)?.variables).toEqual({ filterBy: { search: String(record.name).toUpperCase() }, first: 100 });
    expect(team).toEqual({ id: record.id, name: record.name, slug: record.slug, projectOwners: record.projectOwners, securityChampions: record.securityChampions });
    await expect(client.project.getTeam({ filterBy: { search: "No Such Project Anywhere" } })).rejects.toBeInstanceOf(WizNotFoundError);
  });

  it("project list leaves archived projects out unless includeArchived is true", async () => {
    const projects = Array.from({ length: sim.tenant.projects.size() }, (_, i) => sim.tenant.projects.get(i));
    const active = await client.project.list({ first: 500 });
    expect(active.nodes.map((p) => p.id)).toEqual(projects.filter((p) => !p.archived).map((p) => p.id));
    const every = await client.project.list({ filterBy: { includeArchived: true }, first: 500 });
    expect(every.nodes.map((p) => p.id)).toEqual(projects.map((p) => p.id));
  });
});
