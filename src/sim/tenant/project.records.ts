/** Projects: generated facts, columns and the Project node. */
import { BUSINESS_UNITS, PROJECT_NAMES, TEAM_NAMES } from "./catalogue.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { fieldUnit, recordRandom, rowKey, streamKey } from "./seeded-random.js";
import { at, DAY, wizTime, type ProjectFacts, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function generateProjectFacts(model: TenantModel, index: number): ProjectFacts {
  const offset = streamKey(model.seed, KIND.tenantNames) % PROJECT_NAMES.length;
  const base = PROJECT_NAMES[(index + offset) % PROJECT_NAMES.length] ?? "Project";
  const round = Math.floor(index / PROJECT_NAMES.length);
  const name = round === 0 ? base : `${base} ${round + 1}`;
  return { index, id: recordId(model.seed, KIND.project, index), name, slug: slugOf(name) };
}

export function fillProjectColumns(model: TenantModel): void {
  const cols = model.stores.projects.cols;
  const stream = streamKey(model.seed, KIND.project);
  for (let i = 0; i < model.stores.projects.size(); i += 1) {
    cols.createdAt[i] = at(model.createdAt - 120 * DAY - fieldUnit(rowKey(stream, i), 0) * 900 * DAY);
  }
}

const YES_NO = ["YES", "NO", "UNKNOWN"] as const;

/** The Project node; owners and champions are tenant users. */
export function generateProjectRecord(model: TenantModel, index: number): WizRecord {
  const facts = generateProjectFacts(model, index);
  const rng = recordRandom(model.seed, KIND.project, index);
  const users = model.stores.users.size();
  const accounts = model.stores.cloudAccounts.size();
  const projects = model.stores.projects.size();
  const userAt = (k: number): WizRecord[] => (users > 0 ? [model.records.user((index * 3 + k) % users)] : []);
  const team = rng.pick(TEAM_NAMES);
  const businessImpact = rng.weighted(["HBI", "MBI", "LBI"], [3, 5, 2]);
  const internetFacing = rng.pick(YES_NO);
  return {
    id: facts.id,
    name: facts.name,
    slug: facts.slug,
    description: `${facts.name} workloads, owned by the ${team} team.`,
    businessUnit: rng.pick(BUSINESS_UNITS),
    archived: false,
    isFolder: projects > 8 && index % 10 === 9,
    projectOwners: userAt(0),
    securityChampions: userAt(1),
    // Generated accounts belong to project (account index mod project count).
    cloudAccountCount: index < accounts && projects > 0 ? Math.floor((accounts - 1 - index) / projects) + 1 : 0,
    repositoryCount: rng.between(0, 40),
    teamMemberCount: rng.between(3, 60),
    securityScore: Math.round(rng.between(350, 980)) / 10,
    riskProfile: {
      businessImpact,
      isActivelyDeveloped: rng.pick(YES_NO),
      hasAuthentication: rng.pick(YES_NO),
      hasExposedAPI: rng.pick(YES_NO),
      isInternetFacing: internetFacing,
      isCustomerFacing: rng.pick(YES_NO),
      storesData: "YES",
      isRegulated: businessImpact === "HBI" ? "YES" : rng.pick(YES_NO),
      sensitiveDataTypes: businessImpact === "LBI" ? [] : rng.chance(0.5) ? ["PII", "FINANCIAL"] : ["PII"],
      regulatoryStandards: businessImpact === "HBI" ? ["PCI_DSS", "SOC2"] : [],
    },
    createdAt: wizTime(model.stores.projects.cols.createdAt[index] ?? Number.NaN),
  };
}
