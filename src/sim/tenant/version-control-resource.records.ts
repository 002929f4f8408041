/**
 * Version-control resources: repositories and their branches. Record v is cloud resource v (same id),
 * in groups of three: a repository, its main branch, one more branch.
 */
import type { TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

export function fillVersionControlColumns(model: TenantModel): void {
  const cols = model.stores.versionControlResources.cols;
  const firstSeen = model.stores.cloudResources.cols.firstSeen;
  for (let v = 0; v < model.stores.versionControlResources.size(); v += 1) cols.createdAt[v] = firstSeen[v] ?? Number.NaN;
}

export function buildVersionControlRecord(model: TenantModel, index: number): WizRecord {
  const loaded = model.loaded?.records.versionControlResources?.[index];
  if (loaded) return structuredClone(loaded) as WizRecord;
  const facts = model.facts.resource(index);
  const repository = model.facts.resource(index - (index % 3));
  return {
    id: facts.id,
    name: facts.name,
    type: facts.type,
    cloudPlatform: facts.cloudPlatform,
    providerID: facts.providerUniqueId,
    url: facts.cloudProviderURL,
    repository: { id: repository.id, name: facts.repositoryName, url: facts.repositoryUrl },
  };
}
