import type { RepositoryRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { objectOf, requiredId, textOf, type RawNode } from "./raw-fields.js";

export function normaliseVersionControlResource(raw: RawNode, context: NormaliseContext): RepositoryRecord {
  const id = requiredId("repository", raw);
  const repo = objectOf(raw.repository);
  const repoId = repo ? textOf(repo.id) : null;
  const type = textOf(raw.type);
  return {
    recordType: "repository",
    id,
    title: textOf(raw.name),
    severity: null,
    severityLevel: null,
    status: null,
    createdAt: null,
    updatedAt: null,
    // `url` is the repository's own page; the record links to Wiz.
    portalUrl: portalLinkOf(context.portalOrigin, "versionControlResources", id, type),
    resourceType: type,
    cloudPlatform: textOf(raw.cloudPlatform),
    providerId: textOf(raw.providerID) ?? textOf(raw.providerId),
    url: textOf(raw.url),
    repository: repo && repoId !== null ? { id: repoId, name: textOf(repo.name), url: textOf(repo.url) } : null,
  };
}
