/** Cloud accounts: AWS accounts, Azure subscriptions, GCP projects, OCI tenancies and VCS organisations. */
import { SERVICE_WORDS, TEAM_NAMES } from "./catalogue.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { fieldUnit, recordRandom, rowKey, streamKey } from "./seeded-random.js";
import { at, DAY, HOUR, between, wizTime, type AccountFacts, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

/** Providers of generated accounts by index: every provider appears within the first 10 accounts. */
export const ACCOUNT_PROVIDER_PATTERN = ["AWS", "Azure", "GCP", "GitHub", "AWS", "OCI", "AWS", "GCP", "Azure", "GitLab", "AWS", "GCP", "Azure", "AWS", "OCI", "AWS"] as const;
export const CLOUD_PROVIDERS = new Set(["AWS", "Azure", "GCP", "OCI"]);
export const VCS_PROVIDERS = new Set(["GitHub", "GitLab"]);

export function generatedAccountProvider(index: number): string {
  return ACCOUNT_PROVIDER_PATTERN[index % ACCOUNT_PROVIDER_PATTERN.length] ?? "AWS";
}

/** First generated account at or after `start` (wrapping) whose provider passes `accept`; -1 when none. */
export function findGeneratedAccount(count: number, start: number, accept: (provider: string) => boolean): number {
  for (let step = 0; step < Math.min(count, ACCOUNT_PROVIDER_PATTERN.length); step += 1) {
    const a = (start + step) % count;
    if (accept(generatedAccountProvider(a))) return a;
  }
  return -1;
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const ENV_LABEL: Readonly<Record<string, string>> = { prod: "Production", staging: "Staging", dev: "Development", qa: "QA", sandbox: "Sandbox" };

export function generateAccountFacts(model: TenantModel, index: number): AccountFacts {
  const rng = recordRandom(model.seed, KIND.cloudAccount, index);
  const provider = generatedAccountProvider(index);
  const env = VCS_PROVIDERS.has(provider) ? "prod" : rng.weighted(["prod", "staging", "dev", "qa", "sandbox"], [35, 20, 25, 10, 10]);
  const service = rng.pick(SERVICE_WORDS);
  const company = model.names.company;
  const round = Math.floor(index / ACCOUNT_PROVIDER_PATTERN.length);
  let name: string;
  let externalId: string;
  switch (provider) {
    case "AWS":
      name = `${company}-${service}-${env}`;
      externalId = `${rng.between(1, 9)}${rng.digits(11)}`;
      break;
    case "Azure":
      name = `${capitalise(company)} ${capitalise(service)} ${ENV_LABEL[env] ?? env}`;
      externalId = rng.uuid();
      break;
    case "GCP":
      name = `${company}-${service}-${env}`;
      externalId = `${company}-${service}-${env}-${rng.digits(6)}`;
      break;
    case "OCI":
      name = `${company}${env}${round > 0 ? round + 1 : ""}`;
      externalId = `ocid1.tenancy.oc1..aaaaaaaa${rng.chars(52, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
      break;
    default:
      name = `${company}-${provider === "GitHub" ? "eng" : "group"}${round > 0 ? `-${round + 1}` : ""}`;
      externalId = name;
  }
  const projects = model.stores.projects.size();
  return {
    index,
    id: recordId(model.seed, KIND.cloudAccount, index),
    name,
    externalId,
    cloudProvider: provider,
    env,
    projectIndex: projects > 0 ? index % projects : -1,
    tags: { env, owner: rng.pick(TEAM_NAMES), "cost-center": `cc-${rng.digits(4)}` },
  };
}

export function fillAccountColumns(model: TenantModel): void {
  const cols = model.stores.cloudAccounts.cols;
  const stream = streamKey(model.seed, KIND.cloudAccount);
  for (let i = 0; i < model.stores.cloudAccounts.size(); i += 1) {
    cols.createdAt[i] = at(model.createdAt - 100 * DAY - fieldUnit(rowKey(stream, i), 0) * 600 * DAY);
  }
}

/** Resource, container and VM counts per account (3 ints per account), computed once. */
export function accountStats(model: TenantModel): Int32Array {
  if (model.accountStats) return model.accountStats;
  const accounts = model.stores.cloudAccounts.size();
  const stats = new Int32Array(accounts * 3);
  const cols = model.stores.cloudResources.cols;
  const typeName = model.resourceTypes.map((t) => t.type);
  for (let i = 0; i < model.stores.cloudResources.size(); i += 1) {
    const a = cols.account[i] as number;
    if (a < 0 || a >= accounts) continue;
    stats[a * 3] = (stats[a * 3] ?? 0) + 1;
    const type = typeName[cols.type[i] as number];
    if (type === "CONTAINER") stats[a * 3 + 1] = (stats[a * 3 + 1] ?? 0) + 1;
    if (type === "VIRTUAL_MACHINE") stats[a * 3 + 2] = (stats[a * 3 + 2] ?? 0) + 1;
  }
  model.accountStats = stats;
  return stats;
}

/** The CloudAccount node. */
export function generateCloudAccountRecord(model: TenantModel, index: number): WizRecord {
  const facts = generateAccountFacts(model, index);
  const rng = recordRandom(model.seed, KIND.cloudAccount, index, 1);
  const stats = accountStats(model);
  const firstScannedAt = model.stores.cloudAccounts.cols.createdAt[index] ?? Number.NaN;
  const projects = model.stores.projects.size();
  return {
    id: facts.id,
    name: facts.name,
    externalId: facts.externalId,
    cloudProvider: facts.cloudProvider,
    status: rng.weighted(["CONNECTED", "PARTIALLY_CONNECTED", "ERROR"], [90, 7, 3]),
    firstScannedAt: wizTime(firstScannedAt),
    lastScannedAt: wizTime(between(model.createdAt - 12 * HOUR, model.createdAt, fieldUnit(rowKey(streamKey(model.seed, KIND.cloudAccount), index), 1))),
    resourceCount: stats[index * 3] ?? 0,
    containerCount: stats[index * 3 + 1] ?? 0,
    virtualMachineCount: stats[index * 3 + 2] ?? 0,
    linkedProjects: facts.projectIndex >= 0 && facts.projectIndex < projects ? [model.records.project(facts.projectIndex)] : [],
    sourceConnectors: [{ id: recordId(model.seed, KIND.connector, index), name: `${facts.cloudProvider} connector (${facts.name})` }],
  };
}
